/**
 * Finds an OpenAI-compatible model server on this machine (text mode without a cloud key): asks each
 * candidate's `/models` with a short deadline and takes the first, in priority order, that lists a model.
 */
export interface LocalServerCandidate {
  name: string;
  /** OpenAI-compatible base URL ending in `/v1`. */
  baseUrl: string;
}

export interface DetectedLocalServer extends LocalServerCandidate {
  /** First model the server lists. */
  model: string;
}

/** Default ports of the common local runtimes. */
export const LOCAL_SERVER_CANDIDATES: readonly LocalServerCandidate[] = [
  { name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
  { name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1' },
  { name: 'llama.cpp', baseUrl: 'http://127.0.0.1:8080/v1' },
];

/** A local server answers in milliseconds; waiting longer only delays the fallback to sim. */
export const LOCAL_PROBE_TIMEOUT_MS = 600;

async function firstModel(candidate: LocalServerCandidate, timeoutMs: number): Promise<string | null> {
  try {
    const res = await fetch(`${candidate.baseUrl.replace(/\/+$/, '')}/models`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return null;
    const body = (await res.json()) as { data?: Array<{ id?: unknown }> };
    const id = body.data?.find((m) => typeof m.id === 'string' && m.id)?.id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

export async function probeLocalServers(
  candidates: readonly LocalServerCandidate[] = LOCAL_SERVER_CANDIDATES,
  timeoutMs = LOCAL_PROBE_TIMEOUT_MS,
): Promise<DetectedLocalServer | null> {
  const models = await Promise.all(candidates.map((c) => firstModel(c, timeoutMs)));
  const index = models.findIndex((m) => m !== null);
  return index < 0 ? null : { ...candidates[index]!, model: models[index]! };
}
