import type { FastifyInstance } from 'fastify';
import { ASSIST_KEY_FIELDS, isMaskedValue, type CoreConfigFile } from '../../shared/config/core-config.js';
import { findAssistProvider, findCoreProvider } from '../../shared/config/providers.js';
import { badRequest } from '../../shared/errors.js';
import {
  TestConnectionRequestSchema,
  type LocalServersResult,
  type TestConnectionRequest,
  type TestConnectionResult,
  type TestFailure,
} from '../../shared/protocol/provider-check.js';
import type { MainContext } from '../context.js';
import { checkLoopbackHttpUrl } from '../net/loopback-url.js';
import { LOCAL_PROBE_TIMEOUT_MS, LOCAL_SERVER_CANDIDATES } from '../providers/local-servers.js';
import { SIM_CHAT_MODEL, SIM_REALTIME_MODEL } from '../sim/chat-routes.js';
import { objectBody } from './request-body.js';

/** A provider's `/models` answers within a second or two; longer than this the user is better told "timeout". */
export const TEST_TIMEOUT_MS = 6000;
/** The page lists the models it was told about; more than this is noise in a settings form. */
const MAX_MODELS = 100;
/** Upstream error text shown to the user is cut to this (it is only a hint). */
const MAX_DETAIL = 200;

/** Where and with what key one test goes. `key` is empty for servers that need none. */
interface Target {
  baseUrl: string;
  key: string;
}

const str = (file: CoreConfigFile, field: string): string => (typeof file[field] === 'string' ? (file[field] as string) : '');

/** A key typed on the page (not empty, not the mask the page was given). */
function typedKey(req: TestConnectionRequest): string {
  const key = req.api_key?.trim() ?? '';
  return key && !isMaskedValue(key) ? key : '';
}

/** http(s) URL without credentials → `origin + path` without trailing slashes; else a 400. */
function httpBase(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badRequest(`base_url is not a URL: ${JSON.stringify(raw.slice(0, 100))}`, 'INVALID_BASE_URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badRequest('base_url must be http:// or https://', 'INVALID_BASE_URL');
  if (url.username || url.password) throw badRequest('base_url must not carry credentials; use the key field', 'INVALID_BASE_URL');
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The `local` provider: a loopback server (given, else the stored conversation URL, else Ollama's port). */
function localTarget(ctx: MainContext, req: TestConnectionRequest): Target {
  const file = ctx.config.coreFile();
  const raw = req.base_url?.trim() || str(file, 'conversationModelUrl') || LOCAL_SERVER_CANDIDATES[0]!.baseUrl;
  const checked = checkLoopbackHttpUrl(raw);
  if (!checked.ok) throw badRequest('the local provider must be on this machine (http://127.0.0.1:… or http://localhost:…)', 'LOCAL_ONLY');
  return { baseUrl: checked.url, key: typedKey(req) };
}

/** Resolves what to ask; a `null` baseUrl is the offline sim. Refuses (400) anything that could leak a stored key. */
function resolveTarget(ctx: MainContext, req: TestConnectionRequest): Target | null {
  const file = ctx.config.coreFile();
  if (req.scope === 'custom') {
    if (!req.role) throw badRequest('role is required for a custom endpoint', 'INVALID_REQUEST');
    const storedUrl = str(file, `${req.role}ModelUrl`);
    const raw = req.base_url?.trim() || storedUrl;
    if (!raw) throw badRequest(`no address is set for the ${req.role} endpoint`, 'INVALID_BASE_URL');
    const baseUrl = httpBase(raw);
    const typed = typedKey(req);
    if (typed) return { baseUrl, key: typed };
    const storedKey = str(file, `${req.role}ModelApiKey`);
    // A saved key only ever goes to the address it was saved with.
    if (storedKey && (!storedUrl || httpBase(storedUrl) !== baseUrl)) {
      throw badRequest('the saved key is only sent to the address it was saved with: type the key again to test a new address', 'KEY_NEEDS_REENTRY');
    }
    return { baseUrl, key: storedKey };
  }

  if (!req.provider) throw badRequest('provider is required', 'INVALID_REQUEST');
  const known = req.scope === 'core' ? findCoreProvider(req.provider) : findAssistProvider(req.provider);
  if (!known) throw badRequest(`unknown ${req.scope} provider "${req.provider}"`, 'UNKNOWN_PROVIDER');
  if (req.provider === 'sim') return null;
  if (req.provider === 'local') return localTarget(ctx, req);
  if (req.base_url !== undefined && req.base_url.trim() !== '') {
    throw badRequest(`the ${req.provider} address is fixed; base_url is only for custom endpoints and the local provider`, 'INVALID_REQUEST');
  }
  const assist = findAssistProvider(req.provider);
  if (!assist?.baseUrl) throw badRequest(`provider "${req.provider}" has no REST endpoint to test`, 'UNKNOWN_PROVIDER');
  const typed = typedKey(req);
  if (typed) return { baseUrl: httpBase(assist.baseUrl), key: typed };
  if (assist.key === 'free') return { baseUrl: httpBase(assist.baseUrl), key: 'free-access' };
  // A stored key is used only with the provider it was saved for.
  const coreKey = str(file, 'coreApi') === req.provider ? str(file, 'coreApiKey') : '';
  const envCore = ctx.env.NEKO_CORE_API === req.provider ? ctx.env.NEKO_CORE_API_KEY?.trim() ?? '' : '';
  let key = envCore || coreKey;
  if (req.scope === 'assist') {
    const field = ASSIST_KEY_FIELDS[req.provider as keyof typeof ASSIST_KEY_FIELDS];
    key = ctx.env[`NEKO_ASSIST_API_KEY_${req.provider.toUpperCase()}`]?.trim() || (field ? str(file, field) : '') || key;
  }
  return { baseUrl: httpBase(assist.baseUrl), key };
}

function failure(code: TestFailure, error: string, extra: Partial<TestConnectionResult> = {}): TestConnectionResult {
  return { success: false, code, error, ...extra };
}

/** Upstream text with the key taken out, cut short: a hint for the user, never a way to read the key back. */
function scrub(text: string, key: string): string {
  let out = text.replace(/\s+/g, ' ').trim();
  if (key) out = out.split(key).join('••••');
  return out.slice(0, MAX_DETAIL);
}

function upstreamMessage(body: string): string {
  try {
    const json = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const msg = typeof json.error === 'string' ? json.error : json.error?.message ?? json.message;
    if (typeof msg === 'string') return msg;
  } catch {
    // not JSON
  }
  return body;
}

/** One GET {base}/models; every outcome becomes a result, nothing throws. */
export async function testModelsEndpoint(target: Target, timeoutMs = TEST_TIMEOUT_MS): Promise<TestConnectionResult> {
  const url = `${target.baseUrl}/models`;
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json', ...(target.key ? { authorization: `Bearer ${target.key}` } : {}) },
      // A redirect could carry the key elsewhere: an API that redirects is not one we talk to.
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      return failure('TIMEOUT', `no answer from ${target.baseUrl} within ${timeoutMs / 1000} s`, { base_url: target.baseUrl });
    }
    const cause = e.cause?.code ?? e.cause?.message ?? e.message;
    return failure('UNREACHABLE', `could not connect to ${target.baseUrl} (${scrub(String(cause), target.key)})`, { base_url: target.baseUrl });
  }
  const latency = Math.round(performance.now() - started);
  const text = await res.text().catch(() => '');
  const common = { base_url: target.baseUrl, latency_ms: latency, status: res.status };
  if (res.status === 401 || res.status === 403) {
    const why = target.key ? 'the provider refused the key' : 'the provider needs a key';
    return failure(target.key ? 'BAD_KEY' : 'NO_KEY', `${why} (HTTP ${res.status}): ${scrub(upstreamMessage(text), target.key)}`, common);
  }
  if (res.status === 404 || res.status === 405) {
    return failure('NOT_OPENAI_COMPATIBLE', `${target.baseUrl} has no OpenAI-compatible /models (HTTP ${res.status})`, common);
  }
  if (res.status === 429) return failure('RATE_LIMITED', `the provider is rate limiting (HTTP 429): ${scrub(upstreamMessage(text), target.key)}`, common);
  if (!res.ok) return failure('HTTP_ERROR', `the provider answered HTTP ${res.status}: ${scrub(upstreamMessage(text), target.key)}`, common);
  let data: unknown;
  try {
    data = (JSON.parse(text) as { data?: unknown }).data;
  } catch {
    data = undefined;
  }
  if (!Array.isArray(data)) {
    return failure('NOT_OPENAI_COMPATIBLE', `${target.baseUrl}/models did not answer an OpenAI-style model list`, common);
  }
  const models = data
    .map((m) => (typeof m === 'object' && m !== null ? (m as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length < 200)
    .slice(0, MAX_MODELS);
  return { success: true, ...common, models };
}

/** `POST /api/config/test_connection` and `GET /api/config/local_servers` (registered under /api/config). */
export async function providerCheckRoutes(app: FastifyInstance, ctx: MainContext): Promise<void> {
  app.post('/test_connection', async (req) => {
    const body = TestConnectionRequestSchema.parse(objectBody(req.body));
    const target = resolveTarget(ctx, body);
    if (!target) return { success: true, offline: true, latency_ms: 0, models: [SIM_CHAT_MODEL, SIM_REALTIME_MODEL] } satisfies TestConnectionResult;
    const result = await testModelsEndpoint(target);
    req.log.info({ scope: body.scope, provider: body.provider, role: body.role, success: result.success, code: result.code }, 'provider connection tested');
    return result;
  });

  app.get('/local_servers', async (): Promise<LocalServersResult> => {
    const file = ctx.config.coreFile();
    const configured = checkLoopbackHttpUrl(str(file, 'conversationModelUrl'));
    const candidates = [...LOCAL_SERVER_CANDIDATES];
    if (configured.ok && !candidates.some((c) => c.baseUrl === configured.url)) candidates.push({ name: 'configured', baseUrl: configured.url });
    const results = await Promise.all(candidates.map((c) => testModelsEndpoint({ baseUrl: c.baseUrl, key: '' }, LOCAL_PROBE_TIMEOUT_MS)));
    return {
      success: true,
      servers: candidates.flatMap((c, i) => (results[i]!.success ? [{ name: c.name, base_url: c.baseUrl, models: results[i]!.models ?? [] }] : [])),
      checked: candidates.map((c) => ({ name: c.name, base_url: c.baseUrl })),
    };
  });
}
