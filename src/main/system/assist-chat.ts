import type { ModelEndpoint } from '../../shared/config/core-config.js';
import { isLoopbackHost } from '../../shared/ports.js';

/** Why a one-shot assist call gave nothing usable; callers fall back (emotion) or report (translation). */
export class AssistCallError extends Error {}

export interface ChatOnceOptions {
  timeoutMs: number;
  temperature: number;
  maxTokens?: number;
}

/**
 * True when an endpoint can be called: it has a URL and a model, and a key unless it is on this machine
 * (the default config names a cloud provider with no key; calling it would only produce 401s).
 */
export function isUsableEndpoint(e: Pick<ModelEndpoint, 'baseUrl' | 'model' | 'apiKey'>): boolean {
  if (!e.baseUrl.trim() || !e.model.trim()) return false;
  let host: string;
  try {
    host = new URL(e.baseUrl).hostname;
  } catch {
    return false;
  }
  return Boolean(e.apiKey.trim()) || isLoopbackHost(host.replace(/^\[|\]$/g, ''));
}

/** Options some providers need on every request (Qwen's thinking mode would eat the token budget). */
function extraBody(model: string): Record<string, unknown> {
  return /^qwen/i.test(model) ? { enable_thinking: false } : {};
}

/** One non-streaming OpenAI-compatible chat completion with a hard deadline; returns the answer text. */
export async function chatOnce(
  endpoint: Pick<ModelEndpoint, 'baseUrl' | 'model' | 'apiKey'>,
  messages: ReadonlyArray<{ role: 'system' | 'user'; content: string }>,
  opts: ChatOnceOptions,
): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${endpoint.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}) },
      body: JSON.stringify({
        model: endpoint.model,
        messages,
        temperature: opts.temperature,
        ...(opts.maxTokens ? { max_completion_tokens: opts.maxTokens } : {}),
        stream: false,
        ...extraBody(endpoint.model),
      }),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    const e = err as Error;
    throw new AssistCallError(e.name === 'TimeoutError' ? `model did not answer within ${opts.timeoutMs} ms` : `model endpoint unreachable: ${e.message}`);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new AssistCallError(`model endpoint answered ${res.status} without JSON`);
  }
  if (!res.ok) throw new AssistCallError(`model endpoint answered ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
  const content = (body as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw new AssistCallError('model answer has no text');
  return content;
}
