import { isLoopbackHost } from '../../shared/ports.js';

/**
 * Local TTS servers (GPT-SoVITS) are reached by URLs the user types in; the server fetches them, so they are
 * limited to this machine (an SSRF guard, rest.md §3.11/§4.16): http(s) only, host a loopback IP or `localhost`.
 */
export type LoopbackUrlResult =
  | { ok: true; url: string }
  | { ok: false; reason: 'missing' | 'invalid' | 'not_loopback' };

export function checkLoopbackHttpUrl(raw: unknown): LoopbackUrlResult {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, reason: 'missing' };
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'invalid' };
  // Credentials in the URL would be sent to the server and echoed back in api_url; nothing needs them.
  if (url.username || url.password) return { ok: false, reason: 'invalid' };
  if (!isLoopbackHost(url.hostname)) return { ok: false, reason: 'not_loopback' };
  return { ok: true, url: `${url.origin}${url.pathname}`.replace(/\/+$/, '') };
}
