import type { IncomingMessage } from 'node:http';
import { serveHttp } from './loopback-server.js';

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
}

/** What the scripted model answers: text content, or an HTTP error status; optional delay first. */
export interface ScriptedAnswer {
  content?: string;
  status?: number;
  delayMs?: number;
}

export interface ChatModelServer {
  /** OpenAI-compatible base URL (`…/v1`). */
  baseUrl: string;
  requests: ChatRequest[];
  /** Replaces the answering function. */
  answer(fn: (req: ChatRequest) => ScriptedAnswer): void;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A real HTTP server speaking OpenAI chat completions and embeddings, scripted by the test: the memory
 * service's summary, review and embedding calls go through real sockets to it.
 */
export async function startChatModelServer(
  answer: (req: ChatRequest) => ScriptedAnswer = () => ({ content: '{"summary": "ok"}' }),
  embed: (text: string) => number[] = () => [1, 0, 0],
): Promise<ChatModelServer> {
  let respond = answer;
  const requests: ChatRequest[] = [];
  const server = await serveHttp(async (req, res) => {
    if (req.method === 'GET' && req.url?.endsWith('/models')) {
      // What local-server detection and connection checks ask first.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'test-chat', object: 'model', owned_by: 'neko-test' }] }));
      return;
    }
    const json = (await body(req)) as Record<string, unknown>;
    if (req.url?.endsWith('/embeddings')) {
      const input = Array.isArray(json.input) ? (json.input as string[]) : [String(json.input)];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: input.map((t, index) => ({ object: 'embedding', index, embedding: embed(t) })), model: json.model }));
      return;
    }
    const request = json as unknown as ChatRequest;
    requests.push(request);
    const a = respond(request);
    if (a.delayMs) await new Promise((r) => setTimeout(r, a.delayMs));
    if (a.status && a.status >= 400) {
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion', model: request.model, choices: [{ index: 0, message: { role: 'assistant', content: a.content ?? '' }, finish_reason: 'stop' }] }));
  });
  return {
    baseUrl: `http://127.0.0.1:${server.port}/v1`,
    requests,
    answer(fn) {
      respond = fn;
    },
    close: server.close,
  };
}

/** core_config.json that points the summary and correction roles at `baseUrl` (the user's custom-API settings). */
export function customModelConfig(baseUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    coreApi: 'sim',
    assistApi: 'sim',
    enableCustomApi: true,
    summaryModelUrl: baseUrl,
    summaryModelId: 'test-summary',
    correctionModelUrl: baseUrl,
    correctionModelId: 'test-correction',
    ...extra,
  };
}
