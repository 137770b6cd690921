import type { ModelEndpoint } from './model-endpoints.js';

/** A call that failed in a way worth retrying (network, 429, 5xx) or not (4xx, bad answer). */
export class ModelCallError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

/** One model call must not hold a character's maintenance forever. */
const REQUEST_TIMEOUT_MS = 60_000;

function url(endpoint: ModelEndpoint, path: string): string {
  return `${endpoint.baseUrl.replace(/\/+$/, '')}${path}`;
}

async function post(endpoint: ModelEndpoint, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
  const signals = [AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...(signal ? [signal] : [])];
  let res: Response;
  try {
    res = await fetch(url(endpoint, path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.any(signals),
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ModelCallError(`model endpoint unreachable: ${(err as Error).message}`, true);
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    throw new ModelCallError(`model endpoint answered ${res.status}: ${text.slice(0, 200)}`, res.status === 429 || res.status >= 500);
  }
  return res.json();
}

/** The assistant text of one non-streaming chat completion. */
export async function chatCompletion(
  endpoint: ModelEndpoint,
  messages: ReadonlyArray<{ role: 'system' | 'user'; content: string }>,
  opts: { temperature: number; signal?: AbortSignal },
): Promise<string> {
  const body = (await post(endpoint, '/chat/completions', { model: endpoint.model, messages, temperature: opts.temperature, stream: false }, opts.signal)) as {
    choices?: Array<{ message?: { content?: unknown } }>;
  };
  const content = body.choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw new ModelCallError('chat completion without text content', false);
  return content;
}

/** Embeddings of `inputs`, in order. */
export async function embeddings(endpoint: ModelEndpoint, inputs: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
  const body = (await post(endpoint, '/embeddings', { model: endpoint.model, input: inputs }, signal)) as {
    data?: Array<{ index?: number; embedding?: number[] }>;
  };
  const data = body.data;
  if (!Array.isArray(data) || data.length !== inputs.length) throw new ModelCallError('embeddings answer does not match the inputs', false);
  const sorted = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return sorted.map((d) => {
    if (!Array.isArray(d.embedding)) throw new ModelCallError('embedding missing in answer', false);
    return Float32Array.from(d.embedding);
  });
}

/**
 * Calls `attempt` up to three times, as the original does: back off (1 s, 2 s by default) after network,
 * 429 and 5xx errors; retry at once after an unusable answer (`attempt` returns undefined); give up on
 * other errors. Throws the last error, or a ModelCallError when every answer was unusable.
 */
export async function withRetries<T>(
  attempt: () => Promise<T | undefined>,
  opts: { signal?: AbortSignal; backoffMs?: readonly number[] } = {},
): Promise<T> {
  const backoff = opts.backoffMs ?? [1000, 2000];
  let last: Error = new ModelCallError('no usable answer from the model', false);
  for (let i = 0; i < 3; i++) {
    opts.signal?.throwIfAborted();
    try {
      const value = await attempt();
      if (value !== undefined) return value;
      last = new ModelCallError('the model answer could not be used', false);
      continue;
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      last = err as Error;
      if (!(err instanceof ModelCallError) || !err.retryable) throw err;
    }
    if (i < 2) await new Promise((r) => setTimeout(r, backoff[i] ?? 0));
  }
  throw last;
}

/** The JSON object in a model answer, tolerating ```json fences and text around it. */
export function jsonInAnswer(text: string): Record<string, unknown> | undefined {
  const unfenced = text.replace(/```(?:json)?/gi, '').trim();
  const start = unfenced.indexOf('{');
  const end = unfenced.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    const value: unknown = JSON.parse(unfenced.slice(start, end + 1));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
