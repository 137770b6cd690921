/**
 * Reads the voice list of a local GPT-SoVITS server (`GET {base}/api/v3/voices`). Callers check the URL with
 * checkLoopbackHttpUrl first; redirects are refused so a local server cannot bounce us elsewhere.
 */
export const GSV_VOICE_PREFIX = 'gsv:';
export const GPT_SOVITS_TIMEOUT_MS = 10_000;

export class GptSovitsError extends Error {
  constructor(
    /** `upstream`: it answered with an error or non-JSON; `connection`: no usable answer at all. */
    readonly kind: 'upstream' | 'connection',
    message: string,
  ) {
    super(message);
  }
}

export async function fetchGptSovitsVoices(baseUrl: string, timeoutMs = GPT_SOVITS_TIMEOUT_MS): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/api/v3/voices`, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : ((err as { cause?: Error }).cause?.message ?? (err as Error).message);
    throw new GptSovitsError('connection', reason);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new GptSovitsError('upstream', `HTTP ${res.status}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GptSovitsError('upstream', `not JSON: ${text.slice(0, 200)}`);
  }
}

export interface CustomTtsVoice {
  voice_id: string;
  raw_id: string;
  name: string;
  description: string;
  version: string;
}

/** The character page's shape: ids prefixed `gsv:`; accepts a bare list or `{voices:[...]}`, items as ids or objects. */
export function normaliseGptSovitsVoices(data: unknown): CustomTtsVoice[] {
  const list = Array.isArray(data) ? data : Array.isArray((data as { voices?: unknown })?.voices) ? (data as { voices: unknown[] }).voices : [];
  const out: CustomTtsVoice[] = [];
  for (const item of list) {
    const v = typeof item === 'string' ? { id: item } : (item as Record<string, unknown> | null);
    if (!v || typeof v !== 'object') continue;
    const rawId = [v.id, v.voice_id, v.name].find((x): x is string => typeof x === 'string' && x.trim() !== '');
    if (!rawId) continue;
    const text = (x: unknown) => (typeof x === 'string' || typeof x === 'number' ? String(x) : '');
    out.push({ voice_id: `${GSV_VOICE_PREFIX}${rawId}`, raw_id: rawId, name: text(v.name) || rawId, description: text(v.description), version: text(v.version) });
  }
  return out;
}
