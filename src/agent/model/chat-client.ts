import { z } from 'zod';

/** An OpenAI-compatible endpoint for the agent role (ConfigStore.resolvedCore().roles.agent, or the sim). */
export interface AgentModelEndpoint {
  baseUrl: string;
  model: string;
  apiKey: string;
}

export type ChatContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ChatContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A function the model may call: JSON Schema parameters, as the chat completions API takes them. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

const ReplySchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullable().optional(),
          tool_calls: z
            .array(z.object({ id: z.string().optional(), type: z.string().optional(), function: z.object({ name: z.string(), arguments: z.string().optional() }) }))
            .nullable()
            .optional(),
        }),
      }),
    )
    .min(1),
});

export interface ModelReply {
  content: string;
  toolCalls: ToolCall[];
}

export class AgentModelError extends Error {
  override readonly name = 'AgentModelError';
}

/** Long enough for a slow vision model; the task's own timeout and cancellation still apply. */
export const MODEL_TIMEOUT_MS = 65_000;

/**
 * One chat-completions round with tools. Uses plain fetch: the agent needs only this call, and any
 * OpenAI-compatible server (the providers, Ollama, the sim) answers it.
 */
export async function chatWithTools(
  endpoint: AgentModelEndpoint,
  messages: ChatMessage[],
  tools: ToolDefinition[],
  opts: { signal?: AbortSignal; timeoutMs?: number; toolChoice?: 'auto' | 'required' } = {},
): Promise<ModelReply> {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? MODEL_TIMEOUT_MS);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const body = {
    model: endpoint.model,
    messages,
    temperature: 0,
    ...(tools.length ? { tools, tool_choice: opts.toolChoice ?? 'auto' } : {}),
  };
  let res: Response;
  try {
    res = await fetch(`${endpoint.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (timeout.aborted) throw new AgentModelError(`agent model did not answer within ${opts.timeoutMs ?? MODEL_TIMEOUT_MS} ms`);
    throw new AgentModelError(`agent model unreachable: ${(err as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new AgentModelError(`agent model answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AgentModelError(`agent model answered with non-JSON: ${text.slice(0, 200)}`);
  }
  const parsed = ReplySchema.safeParse(json);
  if (!parsed.success) throw new AgentModelError(`agent model reply has no usable choice: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const message = parsed.data.choices[0]!.message;
  const toolCalls = (message.tool_calls ?? []).map((c, i) => ({
    id: c.id ?? `call_${i}`,
    type: 'function' as const,
    function: { name: c.function.name, arguments: c.function.arguments ?? '{}' },
  }));
  return { content: message.content ?? '', toolCalls };
}

/** A tool call's arguments as an object; models sometimes send invalid JSON, which becomes an error string. */
export function parseToolArguments(call: ToolCall): { ok: true; args: Record<string, unknown> } | { ok: false; error: string } {
  try {
    const value: unknown = JSON.parse(call.function.arguments || '{}');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'arguments must be a JSON object' };
    return { ok: true, args: value as Record<string, unknown> };
  } catch (err) {
    return { ok: false, error: `arguments are not valid JSON: ${(err as Error).message}` };
  }
}
