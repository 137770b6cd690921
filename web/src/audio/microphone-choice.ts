/** A stored answer comes back in milliseconds; past this the default microphone is used rather than waiting. */
const LOOKUP_TIMEOUT_MS = 1500;

/**
 * The microphone chosen on the settings page (`GET /api/characters/get_microphone`, rest.md §4.17), or
 * undefined for the system default (also when the server cannot be asked).
 */
export async function storedMicrophone(): Promise<string | undefined> {
  try {
    const res = await fetch('/api/characters/get_microphone', { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { microphone_id?: unknown };
    return typeof body.microphone_id === 'string' && body.microphone_id ? body.microphone_id : undefined;
  } catch {
    return undefined;
  }
}
