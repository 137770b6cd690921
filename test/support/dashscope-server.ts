import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server speaking the three DashScope endpoints of voice cloning, as Model Studio documents them:
 *
 * - `GET /api/v1/uploads?action=getPolicy&model=<m>` (Bearer key) → `{request_id, data:{policy, signature,
 *   upload_dir, upload_host, expire_in_seconds, max_file_size_mb, capacity_limit_mb, oss_access_key_id,
 *   x_oss_object_acl, x_oss_forbid_overwrite}}`; a wrong key → 401 `{code:"InvalidApiKey", message, request_id}`.
 * - `POST /` on the upload host (OSS PostObject form): checks OSSAccessKeyId, the issued policy and its HMAC
 *   signature, `key` under `upload_dir`, the ACL / overwrite fields, `success_action_status`, the file part last
 *   and its size; stores the bytes as `oss://<key>` bound to the policy's model. Errors are OSS XML.
 * - `POST /api/v1/services/audio/tts/customization` with `model:"voice-enrollment"`: `create_voice` requires a
 *   target_model, a prefix of at most 10 lowercase letters/digits, and a URL; an `oss://` URL must carry
 *   `X-DashScope-OssResourceResolve: enable`, exist, and have been uploaded for `voice-enrollment`.
 *   `query_voice` answers one voice's `{voice_id, gmt_create, gmt_modified, resource_link, target_model, status}`;
 *   `list_voice` and `delete_voice` work on the enrolled voices. A new voice is `DEPLOYING` for as many
 *   `query_voice` calls as `deployment.deployingQueries` says, then takes `deployment.outcome` (`OK`, or
 *   `UNDEPLOYED` for a voice that failed the review); with 0 it has its outcome at once.
 *
 * Every request is recorded (method, path, headers, body bytes) so tests can prove where the clip went.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface StoredObject {
  data: Buffer;
  model: string;
  contentType: string | undefined;
}

export interface EnrolledVoice {
  voice_id: string;
  prefix: string;
  target_model: string;
  url: string;
  language_hints: unknown;
  status: string;
  gmt_create: string;
  gmt_modified: string;
}

export interface DashScopeServer {
  /** `ws://127.0.0.1:<port>`: what NEKO_DASHSCOPE_WS_BASE takes (the client derives http:// from it). */
  wsBase: string;
  httpBase: string;
  requests: RecordedRequest[];
  /** Uploaded objects by their `oss://` URL. */
  objects: Map<string, StoredObject>;
  voices: EnrolledVoice[];
  /** When set, policies name this upload host instead of the server itself. */
  uploadHostOverride: string | null;
  /** How voices created from now on deploy (`deployingQueries` may be Infinity: never settles). */
  deployment: { deployingQueries: number; outcome: 'OK' | 'UNDEPLOYED' };
  /** The `query_voice` calls each voice got, by voice id. */
  queries: Map<string, number>;
  /** Ends a deploying voice's review now, with `status`. */
  settle(voiceId: string, status: 'OK' | 'UNDEPLOYED'): void;
  close(): Promise<void>;
}

const ACCESS_KEY_ID = 'LTAI5tLocalTestOnly';
const ACCESS_KEY_SECRET = randomBytes(16).toString('hex');
const MAX_FILE_MB = 100;

function requestId(): string {
  return randomUUID();
}

/** DashScope's time format for gmt_create / gmt_modified. */
function stamp(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sendDashScopeError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { request_id: requestId(), code, message });
}

function sendOssError(res: ServerResponse, status: number, code: string, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${code}</Code>\n  <Message>${message}</Message>\n  <RequestId>${requestId()}</RequestId>\n</Error>\n`);
}

interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** A multipart/form-data body split into its parts (enough of RFC 7578 for what fetch's FormData sends). */
function parseMultipart(body: Buffer, contentType: string | undefined): FormPart[] | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: FormPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) return null;
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts;
    pos += 2; // CRLF after the delimiter
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) return null;
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const next = body.indexOf(delimiter, headerEnd + 4);
    if (next < 0) return null;
    const data = body.subarray(headerEnd + 4, next - 2); // minus the CRLF before the delimiter
    const name = /name="([^"]*)"/.exec(headers)?.[1];
    if (name === undefined) return null;
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
    parts.push({ name, data, ...(filename !== undefined ? { filename } : {}), ...(type ? { contentType: type.trim() } : {}) });
    pos = next;
  }
}

export async function startDashScopeServer(opts: { apiKey: string }): Promise<DashScopeServer> {
  const requests: RecordedRequest[] = [];
  const objects = new Map<string, StoredObject>();
  const voices: EnrolledVoice[] = [];
  const queries = new Map<string, number>();
  /** Voices still deploying: queries left before they settle, and how. */
  const deploying = new Map<string, { left: number; outcome: 'OK' | 'UNDEPLOYED' }>();
  const settle = (voice: EnrolledVoice, status: 'OK' | 'UNDEPLOYED') => {
    deploying.delete(voice.voice_id);
    voice.status = status;
    voice.gmt_modified = stamp();
  };
  /** Issued policies by their base64 text: the upload dir and model each one allows. */
  const policies = new Map<string, { dir: string; model: string; expires: number }>();
  let httpBase = '';

  const authorized = (req: IncomingMessage) => req.headers.authorization === `Bearer ${opts.apiKey}`;

  function getPolicy(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (!authorized(req)) return sendDashScopeError(res, 401, 'InvalidApiKey', 'Invalid API-key provided.');
    if (url.searchParams.get('action') !== 'getPolicy') return sendDashScopeError(res, 400, 'InvalidParameter', 'action must be getPolicy');
    const model = url.searchParams.get('model');
    if (!model) return sendDashScopeError(res, 400, 'InvalidParameter', 'Missing required parameter: model');
    const dir = `dashscope-instant/${randomBytes(16).toString('hex')}/${new Date().toISOString().slice(0, 10)}/${randomUUID()}`;
    const expires = Date.now() + 300_000;
    const policy = Buffer.from(
      JSON.stringify({
        expiration: new Date(expires).toISOString(),
        conditions: [['content-length-range', 0, MAX_FILE_MB * 1024 * 1024], ['starts-with', '$key', dir], { bucket: 'dashscope-file-mgr' }, { 'x-oss-object-acl': 'private' }, { 'x-oss-forbid-overwrite': 'true' }],
      }),
    ).toString('base64');
    policies.set(policy, { dir, model, expires });
    sendJson(res, 200, {
      request_id: requestId(),
      data: {
        policy,
        signature: createHmac('sha1', ACCESS_KEY_SECRET).update(policy).digest('base64'),
        upload_dir: dir,
        upload_host: server.uploadHostOverride ?? httpBase,
        expire_in_seconds: 300,
        max_file_size_mb: MAX_FILE_MB,
        capacity_limit_mb: 999_999_999,
        oss_access_key_id: ACCESS_KEY_ID,
        x_oss_object_acl: 'private',
        x_oss_forbid_overwrite: 'true',
      },
    });
  }

  function ossUpload(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const parts = parseMultipart(body, req.headers['content-type']);
    if (!parts) return sendOssError(res, 400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
    const field = (name: string) => parts.find((p) => p.name.toLowerCase() === name.toLowerCase() && p.filename === undefined)?.data.toString('utf8');
    const file = parts.find((p) => p.name === 'file');
    if (!file || parts[parts.length - 1] !== file) return sendOssError(res, 400, 'InvalidArgument', 'The file field must be the last field in the form.');
    if (field('OSSAccessKeyId') !== ACCESS_KEY_ID) return sendOssError(res, 403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.');
    const policyText = field('policy') ?? '';
    const issued = policies.get(policyText);
    if (!issued) return sendOssError(res, 403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed.');
    if (issued.expires < Date.now()) return sendOssError(res, 403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
    if (field('Signature') !== createHmac('sha1', ACCESS_KEY_SECRET).update(policyText).digest('base64')) {
      return sendOssError(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    const key = field('key') ?? '';
    if (!key.startsWith(`${issued.dir}/`) || key.length === issued.dir.length + 1) return sendOssError(res, 403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", ...]');
    if (field('x-oss-object-acl') !== 'private') return sendOssError(res, 403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: x-oss-object-acl');
    if (field('x-oss-forbid-overwrite') !== 'true') return sendOssError(res, 403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: x-oss-forbid-overwrite');
    if (file.data.length > MAX_FILE_MB * 1024 * 1024) return sendOssError(res, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
    const url = `oss://${key}`;
    if (objects.has(url)) return sendOssError(res, 409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.');
    objects.set(url, { data: Buffer.from(file.data), model: issued.model, contentType: file.contentType });
    const status = field('success_action_status');
    if (status === '200') return void res.writeHead(200).end();
    if (status === '201') return void res.writeHead(201, { 'content-type': 'application/xml' }).end(`<PostResponse><Key>${key}</Key></PostResponse>`);
    res.writeHead(204).end();
  }

  function customization(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    if (!authorized(req)) return sendDashScopeError(res, 401, 'InvalidApiKey', 'Invalid API-key provided.');
    let parsed: { model?: unknown; input?: Record<string, unknown> };
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return sendDashScopeError(res, 400, 'InvalidParameter', 'Request body is not valid JSON.');
    }
    if (parsed.model !== 'voice-enrollment') return sendDashScopeError(res, 400, 'InvalidParameter', 'Model not exist.');
    const input = parsed.input ?? {};
    switch (input.action) {
      case 'create_voice': {
        const { target_model: target, prefix, url } = input;
        if (typeof target !== 'string' || !target) return sendDashScopeError(res, 400, 'InvalidParameter', 'Missing required parameter: target_model');
        if (typeof prefix !== 'string' || !/^[a-z0-9]{1,10}$/.test(prefix)) {
          return sendDashScopeError(res, 400, 'InvalidParameter', 'prefix must contain only lowercase letters and digits, at most 10 characters');
        }
        if (typeof url !== 'string' || !url) return sendDashScopeError(res, 400, 'InvalidParameter', 'Missing required parameter: url');
        if (url.startsWith('oss://')) {
          if (req.headers['x-dashscope-ossresourceresolve'] !== 'enable') {
            return sendDashScopeError(res, 400, 'InvalidParameter', 'The provided URL does not appear to be valid. Ensure it is correctly formatted.');
          }
          const object = objects.get(url);
          if (!object) return sendDashScopeError(res, 400, 'InvalidParameter', 'Download the media resource timed out or failed: the oss resource does not exist.');
          if (object.model !== 'voice-enrollment') return sendDashScopeError(res, 403, 'AccessDenied', 'The oss resource was uploaded for another model.');
        } else if (!/^https?:\/\//.test(url)) {
          return sendDashScopeError(res, 400, 'InvalidParameter', 'The provided URL does not appear to be valid. Ensure it is correctly formatted.');
        }
        const now = stamp();
        const { deployingQueries, outcome } = server.deployment;
        const voice: EnrolledVoice = {
          voice_id: `${target}-${prefix}-${randomBytes(16).toString('hex')}`,
          prefix, target_model: target, url, language_hints: input.language_hints, status: deployingQueries > 0 ? 'DEPLOYING' : outcome, gmt_create: now, gmt_modified: now,
        };
        voices.push(voice);
        if (deployingQueries > 0) deploying.set(voice.voice_id, { left: deployingQueries, outcome });
        return sendJson(res, 200, { output: { voice_id: voice.voice_id }, usage: { count: 1 }, request_id: requestId() });
      }
      case 'query_voice': {
        const voice = voices.find((v) => v.voice_id === input.voice_id);
        if (!voice) return sendDashScopeError(res, 400, 'InvalidParameter', `voice ${String(input.voice_id)} not found`);
        queries.set(voice.voice_id, (queries.get(voice.voice_id) ?? 0) + 1);
        const pending = deploying.get(voice.voice_id);
        if (pending) {
          pending.left -= 1;
          if (pending.left < 0) settle(voice, pending.outcome);
        }
        const { voice_id, gmt_create, gmt_modified, url: resource_link, target_model, status } = voice;
        return sendJson(res, 200, { output: { voice_id, gmt_create, gmt_modified, resource_link, target_model, status }, usage: { count: 1 }, request_id: requestId() });
      }
      case 'list_voice': {
        const index = typeof input.page_index === 'number' ? input.page_index : 0;
        const size = typeof input.page_size === 'number' ? input.page_size : 10;
        const list = voices.filter((v) => typeof input.prefix !== 'string' || v.prefix === input.prefix).slice(index * size, (index + 1) * size);
        return sendJson(res, 200, {
          output: { voice_list: list.map(({ voice_id, gmt_create, gmt_modified, status }) => ({ voice_id, gmt_create, gmt_modified, status })) },
          usage: { count: 1 },
          request_id: requestId(),
        });
      }
      case 'delete_voice': {
        const i = voices.findIndex((v) => v.voice_id === input.voice_id);
        if (i < 0) return sendDashScopeError(res, 400, 'InvalidParameter', `voice ${String(input.voice_id)} not found`);
        deploying.delete(voices[i]!.voice_id);
        voices.splice(i, 1);
        return sendJson(res, 200, { usage: { count: 1 }, request_id: requestId() });
      }
      default:
        return sendDashScopeError(res, 400, 'InvalidParameter', 'Unsupported action.');
    }
  }

  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', httpBase);
      requests.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body });
      if (req.method === 'GET' && url.pathname === '/api/v1/uploads') return getPolicy(req, res, url);
      if (req.method === 'POST' && url.pathname === '/') return ossUpload(req, res, body);
      if (req.method === 'POST' && url.pathname === '/api/v1/services/audio/tts/customization') return customization(req, res, body);
      sendDashScopeError(res, 404, 'NotFound', 'Not found');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  httpBase = `http://127.0.0.1:${port}`;
  const server: DashScopeServer = {
    wsBase: `ws://127.0.0.1:${port}`,
    httpBase,
    requests,
    objects,
    voices,
    uploadHostOverride: null,
    deployment: { deployingQueries: 0, outcome: 'OK' },
    queries,
    settle(voiceId, status) {
      const voice = voices.find((v) => v.voice_id === voiceId);
      if (!voice) throw new Error(`no voice ${voiceId}`);
      settle(voice, status);
    },
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
  return server;
}
