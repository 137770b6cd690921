import type { z } from 'zod';
import { chatWithTools, parseToolArguments, type AgentModelEndpoint, type ChatContentPart, type ChatMessage, type ToolDefinition } from '../model/chat-client.js';
import { checkAborted, type TaskOutcome, type TaskRun } from './executor.js';

/** One typed action the model may take: its schema (validated before anything runs) and how to run it. */
export interface ActionSpec<S extends z.ZodType = z.ZodType> {
  description: string;
  schema: S;
  /** JSON Schema shown to the model (kept next to the zod schema that checks it). */
  parameters: Record<string, unknown>;
  /** Runs the validated action; returns a short text result for the model. */
  run(args: z.infer<S>, signal: AbortSignal): Promise<string>;
}

export interface ActionLoopOptions {
  endpoint: AgentModelEndpoint;
  system: string;
  /** Every action except `done`, which the loop handles itself. */
  actions: Record<string, ActionSpec>;
  /** The current state of the world as text (+ screenshot) for the model. */
  observe(step: number): Promise<{ text: string; image?: string }>;
  maxSteps: number;
  run: TaskRun;
}

const DONE_TOOL: ToolDefinition = {
  type: 'function',
  function: {
    name: 'done',
    description: 'Finish the task: say whether it succeeded and what the user should know (the answer, what was found or done).',
    parameters: { type: 'object', properties: { success: { type: 'boolean' }, answer: { type: 'string' } }, required: ['success', 'answer'] },
  },
};
/** Replies without a tool call tolerated in a row before the task fails. */
const MAX_IDLE_REPLIES = 2;
/** Earlier observations are replaced by this to keep prompts small; the model keeps its own action history. */
const OMITTED = '(earlier observation omitted)';

/**
 * Observe → ask the model → validate its one action → run it, until `done`, the step budget, or
 * cancellation. The model never supplies code: only actions from `actions`, checked by their schemas.
 */
export async function runActionLoop(opts: ActionLoopOptions): Promise<TaskOutcome> {
  const { run } = opts;
  const tools: ToolDefinition[] = [
    ...Object.entries(opts.actions).map(([name, spec]) => ({ type: 'function' as const, function: { name, description: spec.description, parameters: spec.parameters } })),
    DONE_TOOL,
  ];
  const messages: ChatMessage[] = [{ role: 'system', content: opts.system }];
  const history: string[] = [];
  let idle = 0;
  for (let step = 1; step <= opts.maxSteps; step++) {
    checkAborted(run.signal);
    const seen = await opts.observe(step);
    checkAborted(run.signal);
    const task = `TASK: ${run.instruction}\n`;
    for (const m of messages) if (m.role === 'user') m.content = task + OMITTED;
    const header = `${task}STEP: ${step}/${opts.maxSteps}\n`;
    const content: ChatContentPart[] = [{ type: 'text', text: header + seen.text }];
    if (seen.image) content.push({ type: 'image_url', image_url: { url: seen.image } });
    messages.push({ role: 'user', content });
    const reply = await chatWithTools(opts.endpoint, messages, tools, { signal: run.signal, toolChoice: 'required' });
    checkAborted(run.signal);
    const call = reply.toolCalls[0];
    if (!call) {
      idle += 1;
      if (idle > MAX_IDLE_REPLIES) return { success: false, detail: `the model stopped choosing actions: ${reply.content.slice(0, 200)}`, result: { success: false, steps: step, actions: history } };
      messages.push({ role: 'assistant', content: reply.content });
      continue;
    }
    idle = 0;
    messages.push({ role: 'assistant', content: null, tool_calls: [call] });
    const name = call.function.name;
    const parsed = parseToolArguments(call);
    let result: string;
    if (!parsed.ok) {
      result = `error: ${parsed.error}`;
    } else if (name === 'done') {
      const answer = typeof parsed.args.answer === 'string' ? parsed.args.answer : '';
      const success = parsed.args.success !== false;
      run.report({ step, step_total: opts.maxSteps, stage: 'done', message: answer.slice(0, 200) });
      return { success, detail: answer, result: { success, result: answer, steps: step, actions: history } };
    } else {
      const spec = opts.actions[name];
      const args = spec?.schema.safeParse(parsed.args);
      if (!spec) result = `error: unknown action "${name}"`;
      else if (!args?.success) result = `error: invalid arguments for ${name}: ${args?.error.issues[0]?.message ?? 'invalid'}`;
      else {
        run.report({ step, step_total: opts.maxSteps, stage: name, message: `${name} ${JSON.stringify(args.data).slice(0, 160)}` });
        try {
          result = await spec.run(args.data, run.signal);
        } catch (err) {
          checkAborted(run.signal);
          result = `error: ${(err as Error).message.slice(0, 300)}`;
        }
      }
    }
    history.push(`${name} ${call.function.arguments.slice(0, 200)} → ${result.slice(0, 200)}`);
    messages.push({ role: 'tool', tool_call_id: call.id, content: result.slice(0, 8000) });
  }
  return { success: false, detail: `stopped after ${opts.maxSteps} steps without finishing`, result: { success: false, steps: opts.maxSteps, actions: history } };
}
