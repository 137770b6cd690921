import { hasKey, t } from '../i18n';
import type { ToastKind } from './toasts';

/** Codes after which the conversation cannot go on by itself (the original hides its "preparing" toast for these). */
const CRITICAL = new Set(['SESSION_START_CRITICAL', 'MEMORY_SERVER_CRASHED', 'API_KEY_REJECTED', 'API_RATE_LIMIT_SESSION', 'ERROR_1007_ARREARS', 'RESPONSE_TIMEOUT', 'CONNECTION_TIMEOUT', 'SERVER_ERROR', 'ORIGIN_NOT_ALLOWED']);
const INFORMATIONAL = new Set(['PROVIDER_NOTICE', 'PROVIDER_RECONNECTED', 'CHARACTER_LEFT']);

export interface StatusNotice {
  code?: string;
  details: Record<string, unknown>;
  text: string;
  kind: ToastKind;
}

/**
 * A `status` message's text (websocket.md §3.6): usually the JSON of `{code, details}`, translated here;
 * sometimes plain text (shown as is), sometimes plain text wrapping a code ("⚠️ {"code": …}").
 */
export function statusNotice(message: string): StatusNotice {
  const parsed = parseCode(message) ?? parseCode(message.slice(message.indexOf('{')));
  if (!parsed) return { details: {}, text: message, kind: 'warning' };
  const { code, details } = parsed;
  // API_UNKNOWN_ERROR wraps timeouts as {msg: '{"code": "RESPONSE_TIMEOUT"}'}: show the inner one.
  if (code === 'API_UNKNOWN_ERROR' && typeof details.msg === 'string') {
    const inner = parseCode(details.msg);
    if (inner) return statusNotice(details.msg);
  }
  const key = `status.${code}`;
  const text = hasKey(key) ? t(key, stringValues(details)) : t('status.unknown', { code });
  const kind: ToastKind = CRITICAL.has(code) ? 'error' : INFORMATIONAL.has(code) ? 'info' : 'warning';
  return { code, details, text, kind };
}

function parseCode(text: string): { code: string; details: Record<string, unknown> } | undefined {
  try {
    const v = JSON.parse(text) as { code?: unknown; details?: unknown };
    if (v && typeof v === 'object' && typeof v.code === 'string') {
      const details = v.details && typeof v.details === 'object' ? (v.details as Record<string, unknown>) : {};
      return { code: v.code, details };
    }
  } catch {
    // not JSON
  }
  return undefined;
}

/** Interpolation values as short strings (details may hold numbers or nested objects). */
function stringValues(details: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(details)) out[k] = (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 200);
  return out;
}
