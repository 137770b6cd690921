import { z } from 'zod';
import { ASSIST_ROLES, findAssistProvider, findCoreProvider, type AssistRole } from './providers.js';

/** Per-role custom model fields (`<role>ModelUrl|Id|ApiKey`), rest.md §3.8. */
/** `stt` is neko's own: the speech-to-text endpoint that lets text-only models hear (OpenAI-compatible transcriptions). */
export const CUSTOM_MODEL_ROLES = ['conversation', 'summary', 'correction', 'emotion', 'vision', 'agent', 'omni', 'tts', 'stt'] as const;
const CUSTOM_FIELDS = CUSTOM_MODEL_ROLES.flatMap((r) => [`${r}ModelUrl`, `${r}ModelId`, `${r}ModelApiKey`]);

export const ASSIST_KEY_FIELDS = {
  qwen: 'assistApiKeyQwen',
  openai: 'assistApiKeyOpenai',
  glm: 'assistApiKeyGlm',
  step: 'assistApiKeyStep',
  silicon: 'assistApiKeySilicon',
  gemini: 'assistApiKeyGemini',
  kimi: 'assistApiKeyKimi',
} as const;

/** Fields that hold secrets: never returned in clear. */
export const SECRET_FIELDS: readonly string[] = [
  'coreApiKey',
  ...Object.values(ASSIST_KEY_FIELDS),
  'mcpToken',
  ...CUSTOM_MODEL_ROLES.map((r) => `${r}ModelApiKey`),
];

/** Fields the settings page may write (the original's whitelist plus Kimi, which it forgot). */
export const WRITABLE_FIELDS: readonly string[] = [
  'coreApiKey', 'coreApi', 'assistApi', ...Object.values(ASSIST_KEY_FIELDS), 'mcpToken', 'enableCustomApi', ...CUSTOM_FIELDS, 'ttsVoiceId', 'sttLanguage',
  'memory_rerank',
];

/** Writable switches: true or false, nothing else. `memory_rerank` is neko's own (the assist model reorders recall). */
const BOOLEAN_FIELDS: readonly string[] = ['enableCustomApi', 'memory_rerank'];

/** core_config.json: known fields typed, unknown fields kept (the original's save dropped them). */
export const CoreConfigFileSchema = z
  .object({
    coreApiKey: z.string().optional(),
    coreApi: z.string().optional(),
    assistApi: z.string().optional(),
    enableCustomApi: z.boolean().optional(),
    textGuardMaxLength: z.number().optional(),
    recent_memory_auto_review: z.boolean().optional(),
    ttsVoiceId: z.string().optional(),
    mcpToken: z.string().optional(),
  })
  .catchall(z.unknown());
export type CoreConfigFile = z.infer<typeof CoreConfigFileSchema>;

export const DEFAULT_CORE_CONFIG: Readonly<Record<string, string | boolean | number>> = {
  coreApiKey: '',
  coreApi: 'qwen',
  assistApi: 'qwen',
  ...Object.fromEntries(Object.values(ASSIST_KEY_FIELDS).map((k) => [k, ''])),
  mcpToken: '',
  agentModelUrl: '',
  agentModelId: '',
  agentModelApiKey: '',
  textGuardMaxLength: 300,
};

const MASK_PREFIX = '••••';

/** `sk-abcdef123456` → `••••3456`: enough to recognise a key, not enough to use it. */
export function maskSecret(value: string): string {
  if (!value) return '';
  return value.length > 12 ? `${MASK_PREFIX}${value.slice(-4)}` : MASK_PREFIX;
}

export function isMaskedValue(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(MASK_PREFIX);
}

function str(file: CoreConfigFile, key: string): string {
  const v = file[key];
  return typeof v === 'string' ? v : '';
}

/** GET /api/config/core_api body (rest.md §3.8), with every secret masked. */
export function coreConfigForApi(file: CoreConfigFile): Record<string, unknown> {
  const out: Record<string, unknown> = {
    api_key: maskSecret(str(file, 'coreApiKey')),
    coreApi: str(file, 'coreApi') || String(DEFAULT_CORE_CONFIG.coreApi),
    assistApi: str(file, 'assistApi') || String(DEFAULT_CORE_CONFIG.assistApi),
  };
  for (const field of Object.values(ASSIST_KEY_FIELDS)) out[field] = maskSecret(str(file, field));
  out.mcpToken = maskSecret(str(file, 'mcpToken'));
  out.enableCustomApi = file.enableCustomApi === true;
  for (const field of CUSTOM_FIELDS) out[field] = SECRET_FIELDS.includes(field) ? maskSecret(str(file, field)) : str(file, field);
  out.ttsVoiceId = str(file, 'ttsVoiceId');
  out.sttLanguage = str(file, 'sttLanguage');
  out.recent_memory_auto_review = file.recent_memory_auto_review ?? true;
  out.memory_rerank = file.memory_rerank === true;
  out.success = true;
  return out;
}

export class CoreConfigValidationError extends Error {}

/**
 * Applies a settings-page save (rest.md §3.9) to the stored file. Whitelisted keys from the body replace
 * stored ones; a secret sent back in its masked form keeps the stored value; unknown stored keys survive.
 */
export function applyCoreConfigUpdate(current: CoreConfigFile, body: Record<string, unknown>): CoreConfigFile {
  const next: CoreConfigFile = { ...current };
  const enableCustom = body.enableCustomApi === true || (body.enableCustomApi === undefined && current.enableCustomApi === true);
  const coreApi = typeof body.coreApi === 'string' ? body.coreApi : str(current, 'coreApi');
  const assistApi = typeof body.assistApi === 'string' ? body.assistApi : str(current, 'assistApi');

  if (!enableCustom) {
    if (!('coreApiKey' in body)) throw new CoreConfigValidationError('缺少coreApiKey字段');
    if (body.coreApiKey === null) throw new CoreConfigValidationError('API Key不能为null');
    if (typeof body.coreApiKey !== 'string') throw new CoreConfigValidationError('API Key必须是字符串类型');
    const keyless = [coreApi, assistApi].some((p) => findCoreProvider(p)?.needsKey === false || findAssistProvider(p)?.needsKey === false);
    const effective = isMaskedValue(body.coreApiKey) ? str(current, 'coreApiKey') : body.coreApiKey.trim();
    if (!effective && !keyless) throw new CoreConfigValidationError('API Key不能为空');
  }
  if ('coreApi' in body && typeof body.coreApi !== 'string') throw new CoreConfigValidationError('coreApi must be a string');
  if ('assistApi' in body && typeof body.assistApi !== 'string') throw new CoreConfigValidationError('assistApi must be a string');
  if (typeof body.coreApi === 'string' && body.coreApi && !findCoreProvider(body.coreApi)) {
    throw new CoreConfigValidationError(`unknown core provider "${body.coreApi}"`);
  }
  if (typeof body.assistApi === 'string' && body.assistApi && !findAssistProvider(body.assistApi)) {
    throw new CoreConfigValidationError(`unknown assist provider "${body.assistApi}"`);
  }

  for (const field of WRITABLE_FIELDS) {
    if (!(field in body)) continue;
    const value = body[field];
    if (BOOLEAN_FIELDS.includes(field)) {
      if (typeof value !== 'boolean') throw new CoreConfigValidationError(`${field} must be true or false`);
      next[field] = value;
      continue;
    }
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string') throw new CoreConfigValidationError(`${field} must be a string`);
    if (SECRET_FIELDS.includes(field) && isMaskedValue(value)) continue; // unchanged masked value: keep stored key
    next[field] = field === 'coreApiKey' ? value.trim() : value;
  }
  return next;
}

export interface ModelEndpoint {
  model: string;
  baseUrl: string;
  apiKey: string;
  isCustom: boolean;
}

/** The effective runtime configuration: defaults → file → provider catalogue → environment. */
export interface ResolvedCoreConfig {
  coreApi: string;
  coreUrl: string;
  coreModel: string;
  coreApiKey: string;
  /** True when the chosen provider needs a key and none is set (the chat core then falls back to sim/local). */
  coreKeyMissing: boolean;
  assistApi: string;
  assistBaseUrl: string;
  assistApiKey: string;
  roles: Record<AssistRole, ModelEndpoint>;
  isFreeVersion: boolean;
  enableCustomApi: boolean;
  /**
   * DashScope's WebSocket host for its TTS services (Qwen realtime TTS, CosyVoice): the Beijing region by default,
   * `wss://dashscope-intl.aliyuncs.com` for international accounts (their keys only work there).
   */
  dashscopeWsBase: string;
  /**
   * Text mode's length guard (sessions.md §7.4): a reply longer than this many units is discarded and asked for
   * again. `textGuardMaxLength` / NEKO_TEXT_GUARD_MAX_LENGTH; 300 by default, 0 turns the guard off.
   */
  textGuardMaxLength: number;
}

export const DASHSCOPE_WS_BASE = 'wss://dashscope.aliyuncs.com';

/** The key travels with every connection: only `wss://`, or plain `ws://` to this machine, is accepted. */
function safeWsBase(value: string): string {
  try {
    const url = new URL(value);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (url.protocol === 'wss:' || (url.protocol === 'ws:' && loopback)) return `${url.protocol}//${url.host}`;
  } catch {
    // not a URL: the default
  }
  return DASHSCOPE_WS_BASE;
}

/**
 * NEKO_MEMORY_RERANK when it is set to a yes or a no (`1`/`true`/`on`/`yes`, `0`/`false`/`off`/`no`); it then
 * wins over `memory_rerank` in core_config.json. Undefined otherwise.
 */
export function memoryRerankFromEnv(env: NodeJS.ProcessEnv): boolean | undefined {
  const v = env.NEKO_MEMORY_RERANK?.trim().toLowerCase();
  if (v && ['1', 'true', 'on', 'yes'].includes(v)) return true;
  if (v && ['0', 'false', 'off', 'no'].includes(v)) return false;
  return undefined;
}

/** The original's TEXT_GUARD_MAX_LENGTH. */
const DEFAULT_TEXT_GUARD_MAX_LENGTH = 300;

/** A whole number ≥ 0 (0: no guard); anything else is the default. */
function guardLength(value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : DEFAULT_TEXT_GUARD_MAX_LENGTH;
}

export function resolveCoreConfig(file: CoreConfigFile, env: NodeJS.ProcessEnv = process.env): ResolvedCoreConfig {
  const pick = (envName: string, field: string, fallback = ''): string => env[envName]?.trim() || str(file, field) || fallback;
  const coreApi = pick('NEKO_CORE_API', 'coreApi', String(DEFAULT_CORE_CONFIG.coreApi));
  const core = findCoreProvider(coreApi) ?? findCoreProvider('qwen')!;
  let assistApi = pick('NEKO_ASSIST_API', 'assistApi', String(DEFAULT_CORE_CONFIG.assistApi));
  if (coreApi === 'free') assistApi = 'free';
  if (coreApi === 'sim' && !env.NEKO_ASSIST_API && !str(file, 'assistApi')) assistApi = 'sim';
  const assist = findAssistProvider(assistApi) ?? findAssistProvider('qwen')!;
  const coreApiKey = pick('NEKO_CORE_API_KEY', 'coreApiKey', core.key === 'free' ? 'free-access' : '');
  const assistKeyField = ASSIST_KEY_FIELDS[assist.key as keyof typeof ASSIST_KEY_FIELDS];
  const assistApiKey =
    (assistKeyField ? pick(`NEKO_ASSIST_API_KEY_${assist.key.toUpperCase()}`, assistKeyField) : '') ||
    (assist.key === 'free' ? 'free-access' : coreApiKey);
  const enableCustomApi = file.enableCustomApi === true;
  const roles = Object.fromEntries(
    ASSIST_ROLES.map((role) => {
      const customUrl = str(file, `${role}ModelUrl`);
      const customId = str(file, `${role}ModelId`);
      const isCustom = (enableCustomApi || role === 'agent') && Boolean(customUrl && customId);
      const endpoint: ModelEndpoint = isCustom
        ? { model: customId, baseUrl: customUrl, apiKey: str(file, `${role}ModelApiKey`) || assistApiKey, isCustom: true }
        : { model: env[`NEKO_${role.toUpperCase()}_MODEL`]?.trim() || assist.models[role], baseUrl: assist.baseUrl, apiKey: assistApiKey, isCustom: false };
      return [role, endpoint];
    }),
  ) as Record<AssistRole, ModelEndpoint>;
  return {
    coreApi: core.key,
    coreUrl: core.coreUrl,
    coreModel: core.coreModel,
    coreApiKey,
    coreKeyMissing: core.needsKey && !coreApiKey,
    assistApi: assist.key,
    assistBaseUrl: assist.baseUrl,
    assistApiKey,
    roles,
    isFreeVersion: core.isFree === true,
    enableCustomApi,
    dashscopeWsBase: safeWsBase(pick('NEKO_DASHSCOPE_WS_BASE', 'dashscopeWsBase', DASHSCOPE_WS_BASE)),
    textGuardMaxLength: guardLength(env.NEKO_TEXT_GUARD_MAX_LENGTH ?? file.textGuardMaxLength),
  };
}
