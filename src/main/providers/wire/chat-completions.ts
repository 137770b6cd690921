import { classifyProviderError, type ClassifiedError } from '../errors.js';

/** OpenAI-compatible chat completions: message shapes, the SSE framing and chunk/error mapping. Pure. */

export type ChatContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ChatContentPart[];
}

export function chatRequestBody(model: string, messages: ChatMessage[]): Record<string, unknown> {
  return { model, messages, stream: true, temperature: 1.0 };
}

/** Images first, then the text, as the original sent them (sessions.md §7.4). */
export function userMessageWithImages(text: string, jpegsBase64: readonly string[]): ChatMessage {
  if (jpegsBase64.length === 0) return { role: 'user', content: text };
  return {
    role: 'user',
    content: [
      ...jpegsBase64.map((b64): ChatContentPart => ({ type: 'image_url', image_url: { url: `data:image/jpeg;base64,${b64}` } })),
      { type: 'text', text },
    ],
  };
}

/**
 * Incremental SSE reader: feed it decoded text as it arrives, get back the `data:` payloads of every
 * complete event. Multi-line data fields are joined with "\n" as the SSE spec says; comments are ignored.
 */
export class SseReader {
  private buffer = '';
  private data: string[] = [];

  push(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    let nl: number;
    while ((nl = this.buffer.search(/\r?\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + (this.buffer[nl] === '\r' ? 2 : 1));
      if (line === '') {
        if (this.data.length) out.push(this.data.join('\n'));
        this.data = [];
      } else if (line.startsWith('data:')) {
        this.data.push(line.slice(line[5] === ' ' ? 6 : 5));
      }
    }
    return out;
  }
}

export type ChatChunk = { kind: 'delta'; text: string } | { kind: 'done' } | { kind: 'error'; message: string; classified: ClassifiedError } | { kind: 'none' };

/** One SSE `data:` payload → what it means for the reply. */
export function mapChatChunk(payload: string): ChatChunk {
  if (payload.trim() === '[DONE]') return { kind: 'done' };
  let json: { choices?: Array<{ delta?: { content?: unknown } }>; error?: { message?: unknown; code?: unknown; type?: unknown } };
  try {
    json = JSON.parse(payload);
  } catch {
    return { kind: 'none' };
  }
  if (json.error) {
    const e = json.error;
    return {
      kind: 'error',
      message: typeof e.message === 'string' ? e.message : 'stream error',
      classified: classifyProviderError({ code: e.code === undefined || e.code === null ? undefined : String(e.code), type: typeof e.type === 'string' ? e.type : undefined }),
    };
  }
  const content = json.choices?.[0]?.delta?.content;
  return typeof content === 'string' && content ? { kind: 'delta', text: content } : { kind: 'none' };
}

/** A non-2xx reply: the OpenAI error body `{error:{message,type,code}}` when there is one. */
export function mapChatHttpError(status: number, body: string): { message: string; classified: ClassifiedError } {
  let message = `HTTP ${status}`;
  let code: string | undefined;
  let type: string | undefined;
  try {
    const json = JSON.parse(body) as { error?: { message?: unknown; code?: unknown; type?: unknown } | string };
    const e = typeof json.error === 'object' && json.error ? json.error : undefined;
    if (e) {
      if (typeof e.message === 'string') message = e.message;
      if (e.code !== undefined && e.code !== null) code = String(e.code);
      if (typeof e.type === 'string') type = e.type;
    } else if (typeof json.error === 'string') message = json.error;
  } catch {
    if (body) message = `${message}: ${body.slice(0, 200)}`;
  }
  return { message, classified: classifyProviderError({ httpStatus: status, code, type }) };
}

/** Worth another attempt: the server may answer next time (connection trouble, 5xx, 429). */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
