import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * DashScope's own mechanisms for cloning a CosyVoice voice, so a user's reference clip goes to DashScope and
 * nowhere else (the original sent it to a third-party file host first; rest.md §4.20):
 *
 * 1. Temporary file storage (Model Studio "upload local files to get temporary URLs"): `GET /api/v1/uploads
 *    ?action=getPolicy&model=<model>` with the API key → an OSS form-upload policy (`data.upload_host`,
 *    `upload_dir`, `policy`, `signature`, `oss_access_key_id`, `x_oss_object_acl`, `x_oss_forbid_overwrite`,
 *    `max_file_size_mb`); the file is POSTed as a form to `upload_host` (the key itself never goes there) and is
 *    then known as `oss://<upload_dir>/<name>` for 48 hours, usable only with the model named in the policy and
 *    only when the request carries `X-DashScope-OssResourceResolve: enable`.
 * 2. CosyVoice voice enrollment: `POST /api/v1/services/audio/tts/customization` with `model: "voice-enrollment"`
 *    and `input.action` `create_voice` / `query_voice` / `list_voice` / `delete_voice`; answers
 *    `{output, usage, request_id}`, errors `{code, message, request_id}` with HTTP 4xx/5xx. A new voice is
 *    `DEPLOYING` (being reviewed and prepared, synthesis with it fails) until it turns `OK` (usable) or
 *    `UNDEPLOYED` (it failed the review and can never be used).
 */
export const VOICE_ENROLLMENT_MODEL = 'voice-enrollment';
export const UPLOADS_PATH = '/api/v1/uploads';
export const CUSTOMIZATION_PATH = '/api/v1/services/audio/tts/customization';
export const OSS_RESOLVE_HEADER = 'X-DashScope-OssResourceResolve';

const DEFAULT_TIMEOUT_MS = 30_000;
/** Uploading a clip of up to 10 MB over a slow line. */
const UPLOAD_TIMEOUT_MS = 120_000;

/**
 * The key cloned voices are made and spoken with: the Qwen (DashScope) key when one is set, else the assist key
 * (the original prefers the Qwen key for them). One rule for cloning and for the engine that speaks them.
 */
export function clonedVoiceKey(coreFile: Record<string, unknown>, assistApiKey: string): string {
  const qwenKey = coreFile.assistApiKeyQwen;
  return (typeof qwenKey === 'string' && qwenKey.trim()) || assistApiKey;
}

export interface DashScopeClientOptions {
  apiKey: string;
  /** `https://dashscope.aliyuncs.com` (or the international host; `http://127.0.0.1:<port>` for a local test server). */
  httpBase: string;
  timeoutMs?: number;
}

/**
 * Why a call failed: `rejected-key` (HTTP 401/403), `provider` (another error DashScope or OSS answered with),
 * `network` (no answer), `invalid-response` (an answer we cannot use), `untrusted-host` (a policy naming an
 * upload host that is not DashScope's OSS: the clip is not sent there).
 */
export type DashScopeErrorKind = 'rejected-key' | 'provider' | 'network' | 'invalid-response' | 'untrusted-host';

export class DashScopeError extends Error {
  constructor(
    readonly kind: DashScopeErrorKind,
    message: string,
    /** The provider's HTTP status; 0 when there was none. */
    readonly status = 0,
    readonly code?: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** The HTTPS base for DashScope's REST API from the configured WebSocket host (`wss:` → `https:`; `ws:` is loopback only). */
export function dashscopeHttpBase(wsBase: string): string {
  const url = new URL(wsBase);
  const protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
  return `${protocol}//${url.host}`;
}

function isLoopback(hostname: string): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(hostname);
}

/**
 * Whether a policy's upload host may receive the clip: DashScope's OSS buckets are `https://….aliyuncs.com`;
 * a loopback API base (a local test server) may only name a loopback host.
 */
export function isTrustedUploadHost(uploadHost: string, httpBase: string): boolean {
  let host: URL;
  try {
    host = new URL(uploadHost);
  } catch {
    return false;
  }
  if (host.username || host.password) return false;
  if (isLoopback(new URL(httpBase).hostname)) return isLoopback(host.hostname) && (host.protocol === 'http:' || host.protocol === 'https:');
  return host.protocol === 'https:' && host.hostname.endsWith('.aliyuncs.com');
}

export interface UploadPolicy {
  uploadHost: string;
  uploadDir: string;
  policy: string;
  signature: string;
  ossAccessKeyId: string;
  objectAcl: string;
  forbidOverwrite: string;
  maxFileSizeMb?: number;
}

export interface UploadFile {
  data: Buffer;
  contentType: string;
  /** File name extension with the dot (`.wav`); the object is named by a random id, never by the user's file name. */
  extension: string;
}

export interface CreatedVoice {
  voiceId: string;
  requestId?: string;
}

export interface EnrolledVoice {
  voiceId: string;
  status?: string;
  createdAt?: string;
  modifiedAt?: string;
}

/** The documented states of an enrolled voice (`query_voice` / `list_voice` `status`). */
export type VoiceStatus = 'DEPLOYING' | 'OK' | 'UNDEPLOYED';

export interface QueriedVoice {
  voiceId: string;
  /** As DashScope spells it; one of VoiceStatus unless the service adds states. */
  status: string;
  targetModel?: string;
  createdAt?: string;
  modifiedAt?: string;
}

function describeNetworkError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return '请求超时';
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message} (${cause})` : e.message;
}

async function send(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new DashScopeError('network', describeNetworkError(err));
  }
}

/** A non-2xx answer as an error: JSON `{code, message, request_id}` from DashScope, XML `<Error>` from OSS. */
async function failure(res: Response, what: string): Promise<DashScopeError> {
  const text = (await res.text().catch(() => '')).slice(0, 2000);
  let code: string | undefined;
  let message: string | undefined;
  let requestId: string | undefined;
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; request_id?: unknown };
    if (typeof body.code === 'string') code = body.code;
    if (typeof body.message === 'string') message = body.message;
    if (typeof body.request_id === 'string') requestId = body.request_id;
  } catch {
    code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
    requestId = /<RequestId>([^<]*)<\/RequestId>/.exec(text)?.[1];
  }
  const detail = message || code || text.slice(0, 300) || res.statusText;
  const kind = res.status === 401 || res.status === 403 ? 'rejected-key' : 'provider';
  return new DashScopeError(kind, `${what}: HTTP ${res.status}${detail ? ` ${detail}` : ''}`, res.status, code, requestId);
}

async function json(res: Response, what: string): Promise<Record<string, unknown>> {
  try {
    const body = (await res.json()) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new DashScopeError('invalid-response', `${what}: 返回的不是 JSON 对象`, res.status);
}

function authHeaders(opts: DashScopeClientOptions): Record<string, string> {
  return { authorization: `Bearer ${opts.apiKey}`, 'content-type': 'application/json' };
}

/** Step 1 of the temporary storage: the OSS form-upload policy for files that `model` will read. */
export async function getUploadPolicy(opts: DashScopeClientOptions, model: string): Promise<UploadPolicy> {
  const url = new URL(UPLOADS_PATH, opts.httpBase);
  url.searchParams.set('action', 'getPolicy');
  url.searchParams.set('model', model);
  const res = await send(url.href, { method: 'GET', headers: authHeaders(opts) }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (!res.ok) throw await failure(res, 'DashScope 上传凭证');
  const body = await json(res, 'DashScope 上传凭证');
  const data = (body.data ?? {}) as Record<string, unknown>;
  const field = (name: string): string => {
    const v = data[name];
    if (typeof v !== 'string' || !v) throw new DashScopeError('invalid-response', `DashScope 上传凭证缺少 ${name}`, res.status);
    return v;
  };
  const policy: UploadPolicy = {
    uploadHost: field('upload_host'),
    uploadDir: field('upload_dir').replace(/^\/+|\/+$/g, ''),
    policy: field('policy'),
    signature: field('signature'),
    ossAccessKeyId: field('oss_access_key_id'),
    objectAcl: typeof data.x_oss_object_acl === 'string' && data.x_oss_object_acl ? data.x_oss_object_acl : 'private',
    forbidOverwrite: typeof data.x_oss_forbid_overwrite === 'string' && data.x_oss_forbid_overwrite ? data.x_oss_forbid_overwrite : 'true',
  };
  if (typeof data.max_file_size_mb === 'number') policy.maxFileSizeMb = data.max_file_size_mb;
  return policy;
}

/**
 * Uploads `file` to DashScope's temporary storage for `model` and returns its `oss://` URL (valid 48 hours).
 * The clip goes only to the upload host the policy names, and only when that host is DashScope's OSS.
 */
export async function uploadTemporaryFile(opts: DashScopeClientOptions, model: string, file: UploadFile): Promise<string> {
  const policy = await getUploadPolicy(opts, model);
  if (!isTrustedUploadHost(policy.uploadHost, opts.httpBase)) {
    throw new DashScopeError('untrusted-host', `DashScope 上传凭证指向了非阿里云存储地址 (${safeHostLabel(policy.uploadHost)})，未上传音频`);
  }
  if (policy.maxFileSizeMb !== undefined && file.data.length > policy.maxFileSizeMb * 1024 * 1024) {
    throw new DashScopeError('provider', `文件超过 DashScope 临时存储的大小限制 (${policy.maxFileSizeMb} MB)`, 413, 'FileTooLarge');
  }
  const key = `${policy.uploadDir}/${randomUUID()}${/^\.[a-z0-9]{1,5}$/.test(file.extension) ? file.extension : ''}`;
  const form = new FormData();
  // OSS PostObject: the signed fields first, the file last; no API key goes to the storage host.
  form.append('OSSAccessKeyId', policy.ossAccessKeyId);
  form.append('Signature', policy.signature);
  form.append('policy', policy.policy);
  form.append('x-oss-object-acl', policy.objectAcl);
  form.append('x-oss-forbid-overwrite', policy.forbidOverwrite);
  form.append('key', key);
  form.append('success_action_status', '200');
  form.append('file', new Blob([file.data], { type: file.contentType }), key.slice(key.lastIndexOf('/') + 1));
  const res = await send(policy.uploadHost, { method: 'POST', body: form }, UPLOAD_TIMEOUT_MS);
  if (!res.ok) {
    const err = await failure(res, 'DashScope 临时存储上传');
    // OSS answers 403 for an expired or mismatched policy: that is not the API key being rejected.
    throw err.kind === 'rejected-key' ? new DashScopeError('provider', err.message, err.status, err.code, err.requestId) : err;
  }
  await res.arrayBuffer().catch(() => undefined);
  return `oss://${key}`;
}

function safeHostLabel(raw: string): string {
  try {
    return new URL(raw).host;
  } catch {
    return '无效地址';
  }
}

async function customization(opts: DashScopeClientOptions, input: Record<string, unknown>, what: string, ossUrl = false): Promise<Record<string, unknown>> {
  const headers = authHeaders(opts);
  if (ossUrl) headers[OSS_RESOLVE_HEADER] = 'enable';
  const res = await send(
    new URL(CUSTOMIZATION_PATH, opts.httpBase).href,
    { method: 'POST', headers, body: JSON.stringify({ model: VOICE_ENROLLMENT_MODEL, input }) },
    opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  if (!res.ok) throw await failure(res, what);
  return json(res, what);
}

/** `create_voice`: enrolls the clip at `url` (an `oss://` URL from uploadTemporaryFile, or a public URL) for `targetModel`. */
export async function createVoice(
  opts: DashScopeClientOptions,
  req: { targetModel: string; prefix: string; url: string; languageHints?: string[] },
): Promise<CreatedVoice> {
  const input: Record<string, unknown> = { action: 'create_voice', target_model: req.targetModel, prefix: req.prefix, url: req.url };
  if (req.languageHints?.length) input.language_hints = req.languageHints;
  const body = await customization(opts, input, 'DashScope 声音复刻', req.url.startsWith('oss://'));
  const voiceId = (body.output as { voice_id?: unknown } | undefined)?.voice_id;
  if (typeof voiceId !== 'string' || !voiceId) throw new DashScopeError('invalid-response', 'DashScope 声音复刻没有返回 voice_id', 200);
  return { voiceId, ...(typeof body.request_id === 'string' ? { requestId: body.request_id } : {}) };
}

/** `query_voice`: one enrolled voice, with its status. */
export async function queryVoice(opts: DashScopeClientOptions, voiceId: string): Promise<QueriedVoice> {
  const body = await customization(opts, { action: 'query_voice', voice_id: voiceId }, 'DashScope 查询音色');
  const out = (body.output ?? {}) as Record<string, unknown>;
  if (typeof out.status !== 'string' || !out.status) throw new DashScopeError('invalid-response', 'DashScope 查询音色没有返回 status', 200);
  return {
    voiceId,
    status: out.status,
    ...(typeof out.target_model === 'string' ? { targetModel: out.target_model } : {}),
    ...(typeof out.gmt_create === 'string' ? { createdAt: out.gmt_create } : {}),
    ...(typeof out.gmt_modified === 'string' ? { modifiedAt: out.gmt_modified } : {}),
  };
}

export interface DeploymentWait {
  /** Time between two queries. */
  intervalMs: number;
  /** How long to wait in all before answering "still deploying"; 0 asks once. */
  limitMs: number;
}

/**
 * What a wait for a new voice ended with: `OK` and `UNDEPLOYED` are final; `DEPLOYING` means not settled when
 * the wait ended (still being prepared, or the state could not be read: `error` says why).
 */
export interface DeploymentOutcome {
  status: 'OK' | 'UNDEPLOYED' | 'DEPLOYING';
  queries: number;
  error?: DashScopeError;
}

/** A failed query worth repeating: no answer, too many requests, or a server-side error. */
function isTransient(err: DashScopeError): boolean {
  return err.kind === 'network' || err.status === 429 || err.status >= 500;
}

/**
 * Polls `query_voice` until the voice is `OK` or `UNDEPLOYED`, for at most `wait.limitMs`. A transient failure
 * is retried at the next tick; any other failure ends the wait at once (repeating it would not help).
 */
export async function waitForDeployment(opts: DashScopeClientOptions, voiceId: string, wait: DeploymentWait): Promise<DeploymentOutcome> {
  const deadline = Date.now() + wait.limitMs;
  let queries = 0;
  let error: DashScopeError | undefined;
  for (;;) {
    queries += 1;
    try {
      const { status } = await queryVoice(opts, voiceId);
      error = undefined;
      if (status === 'OK' || status === 'UNDEPLOYED') return { status, queries };
    } catch (err) {
      if (!(err instanceof DashScopeError)) throw err;
      error = err;
      if (!isTransient(err)) break;
    }
    if (Date.now() + wait.intervalMs > deadline) break;
    await sleep(wait.intervalMs);
  }
  return { status: 'DEPLOYING', queries, ...(error ? { error } : {}) };
}

/** `list_voice`: the account's enrolled voices (optionally those made with `prefix`), one page. */
export async function listVoices(opts: DashScopeClientOptions, req: { prefix?: string; pageIndex?: number; pageSize?: number } = {}): Promise<EnrolledVoice[]> {
  const input: Record<string, unknown> = { action: 'list_voice', page_index: req.pageIndex ?? 0, page_size: req.pageSize ?? 100 };
  if (req.prefix) input.prefix = req.prefix;
  const body = await customization(opts, input, 'DashScope 音色列表');
  const list = (body.output as { voice_list?: unknown } | undefined)?.voice_list;
  if (!Array.isArray(list)) throw new DashScopeError('invalid-response', 'DashScope 音色列表格式无效', 200);
  return list.flatMap((v: Record<string, unknown>) =>
    typeof v?.voice_id === 'string'
      ? [{
          voiceId: v.voice_id,
          ...(typeof v.status === 'string' ? { status: v.status } : {}),
          ...(typeof v.gmt_create === 'string' ? { createdAt: v.gmt_create } : {}),
          ...(typeof v.gmt_modified === 'string' ? { modifiedAt: v.gmt_modified } : {}),
        }]
      : [],
  );
}

/** `delete_voice`: removes an enrolled voice (it then no longer counts against the account's voice quota). */
export async function deleteVoice(opts: DashScopeClientOptions, voiceId: string): Promise<void> {
  await customization(opts, { action: 'delete_voice', voice_id: voiceId }, 'DashScope 删除音色');
}
