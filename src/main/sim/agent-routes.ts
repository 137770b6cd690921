import { randomBytes } from 'node:crypto';
import { readBody } from './chat-routes.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { agentBrainReply } from './agent-brain.js';

/** Where the sim serves its agent model: `${sim.url}/agent/v1` is the base URL an OpenAI client takes. */
export const SIM_AGENT_CHAT_PATH = '/agent/v1/chat/completions';
export const SIM_AGENT_MODEL = 'sim-agent';
/** Planner prompts carry a short conversation and tool schemas; screenshots make driver prompts larger. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const value: unknown = JSON.parse(await readBody(req, MAX_BODY_BYTES));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('body must be a JSON object');
  return value as Record<string, unknown>;
}

/** POST /agent/v1/chat/completions: a non-streaming chat completion whose message may carry one tool call. */
export async function handleAgentChatCompletions(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: Record<string, unknown>;
  try {
    body = await readJson(req);
  } catch (err) {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `invalid request: ${(err as Error).message}`, type: 'invalid_request_error', param: null, code: null } }));
    return;
  }
  const reply = agentBrainReply(body);
  const toolCalls = reply.toolCall
    ? [{ id: `call_${randomBytes(6).toString('hex')}`, type: 'function', function: { name: reply.toolCall.name, arguments: JSON.stringify(reply.toolCall.arguments) } }]
    : undefined;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: `chatcmpl-${randomBytes(12).toString('base64url')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: typeof body.model === 'string' ? body.model : SIM_AGENT_MODEL,
      choices: [{ index: 0, message: { role: 'assistant', content: reply.content, ...(toolCalls ? { tool_calls: toolCalls } : {}) }, finish_reason: toolCalls ? 'tool_calls' : 'stop' }],
    }),
  );
}
