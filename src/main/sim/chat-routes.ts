import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { brainReply } from './brain.js';
import { splitTextReply } from './reply-chunks.js';
import type { SimStats } from './stats.js';

/** Model ids the sim lists on /v1/models. */
export const SIM_CHAT_MODEL = 'sim-chat';
export const SIM_REALTIME_MODEL = 'gpt-sim-realtime';
/** Requests larger than this are refused: the sim serves one local user, not uploads. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

type Json = Record<string, unknown>;

export interface ChatFaults {
  /** Answer the next `remaining` chat requests with this HTTP status (OpenAI error body). */
  remaining: number;
  status: number;
}

export interface ChatRouteContext {
  stats: SimStats;
  isBadKey(key: string | null): boolean;
  faults: ChatFaults;
  textIntervalMs: number;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function openAiError(status: number): Json {
  if (status === 401) return { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } };
  if (status === 429) return { error: { message: 'Rate limit reached for requests.', type: 'requests', param: null, code: 'rate_limit_exceeded' } };
  return { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } };
}

export function bearerKey(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return m ? m[1]!.trim() : null;
}

export async function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString();
}

/** The text of the conversation's last user message, and how many images it carries. */
function lastUserTurn(messages: Json[]): { text: string | null; images: number } {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return { text: m.content, images: 0 };
    const parts = Array.isArray(m.content) ? (m.content as Json[]) : [];
    const text = parts.filter((p) => p.type === 'text').map((p) => String(p.text ?? '')).join(' ');
    return { text, images: parts.filter((p) => p.type === 'image_url').length };
  }
  return { text: null, images: 0 };
}

export function handleModels(res: ServerResponse): void {
  const created = Math.floor(Date.now() / 1000);
  sendJson(res, 200, {
    object: 'list',
    data: [SIM_CHAT_MODEL, SIM_REALTIME_MODEL].map((id) => ({ id, object: 'model', created, owned_by: 'neko-sim' })),
  });
}

/** POST /v1/chat/completions, streaming (SSE `chat.completion.chunk`s then `[DONE]`) or one JSON completion. */
export async function handleChatCompletions(req: IncomingMessage, res: ServerResponse, ctx: ChatRouteContext): Promise<void> {
  if (ctx.isBadKey(bearerKey(req))) return sendJson(res, 401, openAiError(401));
  if (ctx.faults.remaining > 0) {
    ctx.faults.remaining -= 1;
    return sendJson(res, ctx.faults.status, openAiError(ctx.faults.status));
  }
  let body: Json;
  try {
    body = JSON.parse(await readBody(req)) as Json;
  } catch {
    return sendJson(res, 400, { error: { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', param: null, code: null } });
  }
  const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
  const model = typeof body.model === 'string' ? body.model : SIM_CHAT_MODEL;
  const stream = body.stream === true;
  const turn = lastUserTurn(messages);
  // A reply requested after a system message (an agent result, a prime) answers that, not an old user turn.
  const last = messages[messages.length - 1];
  const heard = last?.role === 'user' ? turn.text : null;
  ctx.stats.chatRequests.push({ model, images: turn.images, messages: messages.length, stream });
  ctx.stats.responsesStarted += 1;
  const reply = brainReply({ heard, via: 'text', newImages: last?.role === 'user' ? turn.images : 0 });
  const id = `chatcmpl-${randomBytes(12).toString('base64url')}`;
  const created = Math.floor(Date.now() / 1000);

  if (!stream) {
    ctx.stats.responsesCompleted += 1;
    return sendJson(res, 200, {
      id, object: 'chat.completion', created, model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 0, completion_tokens: splitTextReply(reply).length, total_tokens: splitTextReply(reply).length },
    });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  let gone = false;
  res.on('close', () => {
    gone = true;
  });
  const chunk = (delta: Json, finish: string | null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.write(chunk({ role: 'assistant', content: '' }, null));
  for (const word of splitTextReply(reply)) {
    if (gone) {
      ctx.stats.responsesCancelled += 1;
      return;
    }
    res.write(chunk({ content: word }, null));
    await sleep(ctx.textIntervalMs);
  }
  ctx.stats.responsesCompleted += 1;
  res.write(chunk({}, 'stop'));
  res.end('data: [DONE]\n\n');
}
