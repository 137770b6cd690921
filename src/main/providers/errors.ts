import type { ProviderErrorCode } from './realtime.js';

/**
 * Turns what a provider tells us about a failure (HTTP status, error code/type strings, WebSocket close code)
 * into the spec's status codes. Only structured fields are read: the original matched substrings such as
 * "429" anywhere in a message, which misfired on unrelated numbers (sessions.md §11.3 #12).
 */
export interface ProviderFailure {
  /** HTTP status of a rejected request or WebSocket handshake. */
  httpStatus?: number;
  /** Provider error code string (`invalid_api_key`, `Arrearage`, `rate_limit_exceeded`, …). */
  code?: string | number | null;
  /** Provider error type string (`invalid_request_error`, `server_error`, …). */
  type?: string | null;
  /** WebSocket close code when the provider closed the socket. */
  closeCode?: number;
  /** WebSocket close reason (some providers, e.g. Gemini, only explain themselves here). */
  closeReason?: string;
}

export interface ClassifiedError {
  code: ProviderErrorCode;
  fatal: boolean;
}

/** Codes after which the provider will not serve this connection again (the original closed on these). */
const FATAL_CODES: ReadonlySet<ProviderErrorCode> = new Set<ProviderErrorCode>([
  'API_KEY_REJECTED', 'API_ARREARS', 'API_QUOTA_TIME', 'API_POLICY_VIOLATION', 'API_RATE_LIMIT', 'API_RATE_LIMIT_SESSION',
  'CONNECTION_CLOSED_ABNORMAL', 'CONNECTION_TIMEOUT', 'RESPONSE_TIMEOUT', 'LLM_CONNECTION_FAILED',
]);

/** Provider error codes (lower-cased) by meaning: OpenAI, DashScope (Qwen), Zhipu (GLM), StepFun spellings. */
const CODE_TABLE: ReadonlyArray<[ProviderErrorCode, readonly string[]]> = [
  ['API_KEY_REJECTED', ['invalid_api_key', 'invalidapikey', 'unauthorized', 'authentication_error', 'access_denied', 'accessdenied', '1000', '1001', '1002', '1003']],
  ['API_ARREARS', ['arrearage', 'insufficient_quota', 'billing_hard_limit_reached', '1113']],
  ['API_QUOTA_TIME', ['session_expired', 'session_time_limit', 'max_session_duration']],
  ['API_RATE_LIMIT', ['rate_limit_exceeded', 'throttling', 'throttling.ratequota', 'throttling.allocationquota', 'too_many_requests', '1302', '1303', '1305']],
  ['API_POLICY_VIOLATION', ['datainspectionfailed', 'content_policy_violation', 'content_filter', '1301']],
  ['SERVER_BUSY_THROTTLE', ['server_overloaded', 'overloaded', 'service_unavailable']],
];

function fromCode(code: string): ProviderErrorCode | undefined {
  const c = code.toLowerCase();
  for (const [mapped, names] of CODE_TABLE) if (names.includes(c)) return mapped;
  return undefined;
}

function fromHttpStatus(status: number): ProviderErrorCode | undefined {
  if (status === 401 || status === 403) return 'API_KEY_REJECTED';
  if (status === 402) return 'API_ARREARS';
  if (status === 429) return 'API_RATE_LIMIT';
  if (status === 503 || status === 529) return 'SERVER_BUSY_THROTTLE';
  if (status >= 500) return 'LLM_CONNECTION_FAILED';
  return undefined;
}

/** Gemini explains closes only in the reason text; these are its documented phrasings, not number searches. */
function fromCloseReason(reason: string): ProviderErrorCode | undefined {
  if (/api key not valid|api_key_invalid|permission denied/i.test(reason)) return 'API_KEY_REJECTED';
  if (/exceeded your current quota|resource[_ ]exhausted/i.test(reason)) return 'API_RATE_LIMIT';
  if (/billing/i.test(reason)) return 'API_ARREARS';
  return undefined;
}

function fromCloseCode(code: number): ProviderErrorCode | undefined {
  if (code === 1008) return 'API_POLICY_VIOLATION';
  if (code === 1011) return 'RESPONSE_TIMEOUT';
  if (code === 1013) return 'SERVER_BUSY_THROTTLE';
  if (code === 1006 || code === 1002 || code === 1007 || code === 1009 || code === 1010 || code === 1012 || code === 1014) {
    return 'CONNECTION_CLOSED_ABNORMAL';
  }
  return undefined;
}

/** Normal closes (1000/1001) are not failures and are not passed here; any other close ends the connection. */
export function classifyProviderError(f: ProviderFailure): ClassifiedError {
  const code =
    (f.code !== undefined && f.code !== null && String(f.code) !== '' ? fromCode(String(f.code)) : undefined) ??
    (f.type ? fromCode(f.type) : undefined) ??
    (f.httpStatus !== undefined ? fromHttpStatus(f.httpStatus) : undefined) ??
    (f.closeReason ? fromCloseReason(f.closeReason) : undefined) ??
    (f.closeCode !== undefined ? fromCloseCode(f.closeCode) : undefined) ??
    (f.closeCode !== undefined ? 'CONNECTION_CLOSED_ABNORMAL' : 'API_UNKNOWN_ERROR');
  return { code, fatal: FATAL_CODES.has(code) || f.closeCode !== undefined };
}

/** A connect() failure: carries the classified code so the session can report it as a status. */
export class ProviderError extends Error {
  readonly code: ProviderErrorCode;
  readonly fatal: boolean;
  constructor(classified: ClassifiedError, message: string) {
    super(message);
    this.name = 'ProviderError';
    this.code = classified.code;
    this.fatal = classified.fatal;
  }
}
