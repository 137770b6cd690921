/**
 * The offline agent model: a deterministic stand-in for an OpenAI-compatible tool-calling model, so the agent's
 * planner, browser loop and computer loop run end to end with no key and no network. It reads only what a
 * real model would read (the messages and the offered tools) and answers with one tool call or plain text.
 *
 * Which job it is doing follows from the tools offered: page actions (`navigate`) → browser driver; desktop
 * actions (`double_click`, `key`) → computer driver; anything else → task planner.
 */

type Json = Record<string, unknown>;

export interface SimToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface SimAgentReply {
  content: string | null;
  toolCall: SimToolCall | null;
}

interface OfferedTool {
  name: string;
  description: string;
  parameters: Json;
}

/** Said when the planner sees nothing to do; the agent treats any text reply as "no task". */
export const SIM_NO_TASK = 'NO_TASK';

const BROWSER_WORDS = /\b(https?:\/\/|browse|browser|website|web ?page|open the page|search the web)|网页|浏览器|网站/i;
const COMPUTER_WORDS = /\b(desktop|terminal|xterm|window|screen|mouse|keyboard)\b|电脑|桌面|终端/i;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return (content as Json[]).filter((p) => p.type === 'text').map((p) => String(p.text ?? '')).join('\n');
  return '';
}

function offeredTools(body: Json): OfferedTool[] {
  const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  return tools.flatMap((t) => {
    const fn = t.function as Json | undefined;
    if (!fn || typeof fn.name !== 'string') return [];
    return [{ name: fn.name, description: typeof fn.description === 'string' ? fn.description : '', parameters: (fn.parameters as Json) ?? {} }];
  });
}

/** Names of the tools the assistant already called in this conversation, in order. */
function calledTools(messages: Json[]): SimToolCall[] {
  const out: SimToolCall[] = [];
  for (const m of messages) {
    if (m.role !== 'assistant' || !Array.isArray(m.tool_calls)) continue;
    for (const c of m.tool_calls as Json[]) {
      const fn = c.function as Json | undefined;
      if (!fn || typeof fn.name !== 'string') continue;
      let args: Record<string, unknown> = {};
      try {
        args = JSON.parse(String(fn.arguments ?? '{}')) as Record<string, unknown>;
      } catch {
        // a malformed earlier call counts as made, with no arguments
      }
      out.push({ name: fn.name, arguments: args });
    }
  }
  return out;
}

function lastUserText(messages: Json[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return textOf(messages[i]!.content);
  return '';
}

function firstUserText(messages: Json[]): string {
  const m = messages.find((x) => x.role === 'user');
  return m ? textOf(m.content) : '';
}

/** `KEY: value` line from a prompt (the agent writes its observations in this shape). */
function field(text: string, key: string): string | null {
  const m = new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(text);
  return m ? m[1]!.trim() : null;
}

function quoted(text: string): string | null {
  const m = /["“「']([^"”」']+)["”」']/.exec(text);
  return m ? m[1]! : null;
}

/** What the user asked for: the planner's `LATEST_USER_REQUEST` line, or the driver's `TASK` line. */
function requestText(messages: Json[]): string {
  const first = firstUserText(messages);
  return field(first, 'LATEST_USER_REQUEST') ?? field(first, 'TASK') ?? lastUserText(messages);
}

export function agentBrainReply(body: Json): SimAgentReply {
  const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
  const tools = offeredTools(body);
  const names = new Set(tools.map((t) => t.name));
  if (names.has('navigate')) return browserStep(messages);
  if (names.has('double_click') && names.has('key')) return computerStep(messages);
  return plan(requestText(messages), tools);
}

// ── planner ────────────────────────────────────────────────────────────────────────────────────────────

function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9\u4e00-\u9fff]+/).filter((w) => w.length >= 3);
}

/** The MCP tool whose own name words appear most in the request (names like `get-sum`, `list_directory`). */
function bestMcpTool(request: string, tools: OfferedTool[]): OfferedTool | null {
  const said = new Set(words(request));
  let best: { tool: OfferedTool; score: number } | null = null;
  for (const tool of tools) {
    if (!tool.name.startsWith('mcp__')) continue;
    const own = tool.name.split('__').slice(2).join(' ');
    const hits = words(own).filter((w) => w !== 'get' && said.has(w)).length;
    const score = hits / Math.max(1, words(own).length);
    if (hits > 0 && (!best || score > best.score)) best = { tool, score };
  }
  return best?.tool ?? null;
}

/** Fills a tool's arguments from the request: numbers in order, paths, quoted text. */
function argumentsFor(tool: OfferedTool, request: string): Record<string, unknown> {
  const props = (tool.parameters.properties as Record<string, Json> | undefined) ?? {};
  const numbers = (request.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
  const path = /(?:^|\s)(\/[^\s"'“”]+)/.exec(request)?.[1] ?? null;
  const args: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(props)) {
    const type = schema.type;
    if (type === 'number' || type === 'integer') {
      if (numbers.length) args[name] = numbers.shift();
    } else if (type === 'string') {
      if (/path|dir|file/i.test(name) && path) args[name] = path;
      else args[name] = quoted(request) ?? request;
    } else if (type === 'array' && /path/i.test(name) && path) {
      args[name] = [path];
    }
  }
  return args;
}

function plan(request: string, tools: OfferedTool[]): SimAgentReply {
  const names = new Set(tools.map((t) => t.name));
  if (!request.trim()) return { content: SIM_NO_TASK, toolCall: null };
  if (names.has('browser_task') && BROWSER_WORDS.test(request)) return call('browser_task', { instruction: request });
  if (names.has('computer_task') && COMPUTER_WORDS.test(request)) return call('computer_task', { instruction: request });
  const tool = bestMcpTool(request, tools);
  if (tool) return call(tool.name, argumentsFor(tool, request));
  return { content: SIM_NO_TASK, toolCall: null };
}

function call(name: string, args: Record<string, unknown>): SimAgentReply {
  return { content: null, toolCall: { name, arguments: args } };
}

// ── browser driver ─────────────────────────────────────────────────────────────────────────────────────

interface PageElement {
  id: number;
  role: string;
  name: string;
}

/** `[3] button "Submit"` lines of the agent's page observation. */
function pageElements(observation: string): PageElement[] {
  const out: PageElement[] = [];
  for (const m of observation.matchAll(/^\[(\d+)\]\s+(\S+)\s+"([^"]*)"/gm)) out.push({ id: Number(m[1]), role: m[2]!, name: m[3]! });
  return out;
}

function browserStep(messages: Json[]): SimAgentReply {
  const task = requestText(messages);
  const observation = lastUserText(messages);
  const done = calledTools(messages);
  const did = (name: string) => done.some((c) => c.name === name);
  const url = /https?:\/\/[^\s"'“”]+/.exec(task)?.[0]?.replace(/[.,;)]+$/, '');
  if (url && !did('navigate')) return call('navigate', { url });
  const elements = pageElements(observation);
  const typing = /type\s+["“']([^"”']+)["”']\s+into\s+(?:the\s+)?(.+?)\s+(?:field|box|input)/i.exec(task);
  if (typing && !did('type')) {
    const label = typing[2]!.toLowerCase();
    const target = elements.find((e) => /textbox|searchbox|combobox/.test(e.role) && e.name.toLowerCase().includes(label));
    if (target) return call('type', { element: target.id, text: typing[1] });
  }
  const clicking = /(?:click|press)\s+(?:the\s+)?["“']?([^"”']+?)["”']?\s+(?:button|link)/i.exec(task);
  if (clicking && !did('click')) {
    const label = clicking[1]!.toLowerCase();
    const target = elements.find((e) => /button|link/.test(e.role) && e.name.toLowerCase().includes(label));
    if (target) return call('click', { element: target.id });
  }
  const text = observation.split(/^TEXT:\s*$/m)[1]?.trim() ?? '';
  return call('done', { success: text.length > 0, answer: text.slice(0, 300) });
}

// ── computer driver ────────────────────────────────────────────────────────────────────────────────────

const KEY_NAMES: Record<string, string> = { enter: 'Return', return: 'Return', tab: 'Tab', escape: 'Escape', esc: 'Escape', space: 'space' };

function computerStep(messages: Json[]): SimAgentReply {
  const task = requestText(messages);
  const done = calledTools(messages);
  const did = (name: string) => done.some((c) => c.name === name);
  if (!did('click')) return call('click', { x: 500, y: 500 });
  const text = quoted(task);
  if (text && !did('type')) return call('type', { text });
  const press = /press\s+(?:the\s+)?([a-z]+)/i.exec(task.replace(/["“][^"”]*["”]/g, ''));
  const key = press ? KEY_NAMES[press[1]!.toLowerCase()] : undefined;
  if (key && !did('key')) return call('key', { keys: key });
  return call('done', { success: true, answer: text ? `typed "${text}"${key ? ` and pressed ${key}` : ''}` : 'nothing to type' });
}
