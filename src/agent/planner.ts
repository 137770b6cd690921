import { analyzeMessageText, type AnalyzeMessage } from '../shared/protocol/zmq.js';
import { chatWithTools, parseToolArguments, type AgentModelEndpoint, type ToolDefinition } from './model/chat-client.js';
import { MCP_TOOL_PREFIX, type McpToolRef } from './mcp/mcp-manager.js';

/** What the planner decided the latest user turn needs. */
export type TaskDecision =
  | { kind: 'mcp'; server: string; tool: string; args: Record<string, unknown>; instruction: string }
  | { kind: 'browser_use'; instruction: string }
  | { kind: 'computer_use'; instruction: string };

export interface PlannerTools {
  browser: boolean;
  computer: boolean;
  mcp: McpToolRef[];
  mcpDefinitions: ToolDefinition[];
}

/** Messages the planner reads (the original used ≤10; main sends ≤6). */
const MAX_CONTEXT_MESSAGES = 10;
/** Longest request text the planner forwards to a task. */
export const MAX_INSTRUCTION_CHARS = 2000;

const instructionParam = {
  type: 'object',
  properties: { instruction: { type: 'string', description: 'What to do, self-contained (include URLs, names, text to type).' } },
  required: ['instruction'],
};

const BROWSER_TOOL: ToolDefinition = {
  type: 'function',
  function: { name: 'browser_task', description: 'Do something on a website in a web browser: open pages, search, fill in web forms, read web content.', parameters: instructionParam },
};
const COMPUTER_TOOL: ToolDefinition = {
  type: 'function',
  function: { name: 'computer_task', description: "Operate the user's desktop with mouse and keyboard: open or use local applications and windows.", parameters: instructionParam },
};

const SYSTEM_PROMPT = [
  'You decide whether the user\'s latest request in a conversation with their AI companion needs an action in the real world.',
  'If it does and one of the tools can do it, call exactly one tool with complete arguments.',
  'Prefer a specific MCP tool when one fits; use browser_task only for websites, computer_task only for desktop applications.',
  'Judge LATEST_USER_REQUEST, not what the assistant claimed to have done. Chit-chat, questions you could answer from knowledge, or requests no tool fits need no action: then reply with the single word NO_TASK.',
].join(' ');

export function latestUserText(messages: readonly AnalyzeMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user') {
      const text = analyzeMessageText(m).trim();
      if (text) return text;
    }
  }
  return '';
}

function promptFor(messages: readonly AnalyzeMessage[], latest: string): string {
  const lines = messages
    .slice(-MAX_CONTEXT_MESSAGES)
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => `${m.role}: ${analyzeMessageText(m).slice(0, 500)}`);
  return `LATEST_USER_REQUEST: ${latest}\n\nRecent conversation:\n${lines.join('\n')}`;
}

/**
 * One tool-calling round with the agent model: which capability (if any) handles the latest user request.
 * Returns null for "no task". Throws when the model cannot be reached (the pipeline reports that).
 */
export async function planTask(
  endpoint: AgentModelEndpoint,
  messages: readonly AnalyzeMessage[],
  tools: PlannerTools,
  signal?: AbortSignal,
): Promise<TaskDecision | null> {
  const latest = latestUserText(messages).slice(0, MAX_INSTRUCTION_CHARS);
  if (!latest) return null;
  const offered = [...tools.mcpDefinitions, ...(tools.browser ? [BROWSER_TOOL] : []), ...(tools.computer ? [COMPUTER_TOOL] : [])];
  if (offered.length === 0) return null;
  const reply = await chatWithTools(
    endpoint,
    [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: promptFor(messages, latest) },
    ],
    offered,
    { signal },
  );
  const call = reply.toolCalls[0];
  if (!call) return null;
  const parsed = parseToolArguments(call);
  if (!parsed.ok) throw new Error(`the agent model called ${call.function.name} with bad arguments: ${parsed.error}`);
  const name = call.function.name;
  if (name === 'browser_task' || name === 'computer_task') {
    if (name === 'browser_task' && !tools.browser) return null;
    if (name === 'computer_task' && !tools.computer) return null;
    const instruction = typeof parsed.args.instruction === 'string' && parsed.args.instruction.trim() ? parsed.args.instruction.trim() : latest;
    return { kind: name === 'browser_task' ? 'browser_use' : 'computer_use', instruction: instruction.slice(0, MAX_INSTRUCTION_CHARS) };
  }
  if (name.startsWith(MCP_TOOL_PREFIX)) {
    const ref = tools.mcp.find((r) => r.qualifiedName === name);
    if (!ref) throw new Error(`the agent model called an MCP tool that is not offered: ${name}`);
    return { kind: 'mcp', server: ref.server, tool: ref.tool, args: parsed.args, instruction: latest };
  }
  throw new Error(`the agent model called an unknown tool: ${name}`);
}
