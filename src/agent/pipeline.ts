import { createHash } from 'node:crypto';
import type { Logger } from '../shared/log.js';
import type { AnalyzeRequest } from '../shared/protocol/zmq.js';
import { taskResultPayload, type AgentEventSink, type ResultChannel } from './events.js';
import type { AgentState } from './flags.js';
import { MAX_CALL_WITH_PROGRESS_MS } from './mcp/mcp-connection.js';
import type { McpManager } from './mcp/mcp-manager.js';
import { taskProgressOf } from './mcp/mcp-progress.js';
import type { ToolOutcome } from './mcp/mcp-result.js';
import type { AgentModel } from './model/agent-model.js';
import { MAX_INSTRUCTION_CHARS, planTask, type TaskDecision } from './planner.js';
import type { TaskOutcome, TaskRun } from './tasks/executor.js';
import { Deadline } from './tasks/deadline.js';
import { instructionKey } from './tasks/instruction-key.js';
import { ProgressThrottle } from './tasks/progress-throttle.js';
import { TaskCancelledError, type TaskRegistry, type TaskType } from './tasks/task-registry.js';
import { Slots } from './tasks/slots.js';

/** Tasks of one kind allowed to run at once; the rest wait queued. One desktop, one pair of hands. */
export const CONCURRENCY: Record<TaskType, number> = { mcp: 4, browser_use: 2, computer_use: 1 };
/** Longest a task may run once it has its slot (MCP uses the server's call timeout plus a margin). */
export const TASK_TIMEOUT_MS: Record<TaskType, number> = { mcp: 60_000, browser_use: 180_000, computer_use: 300_000 };
const MCP_TIMEOUT_MARGIN_MS = 5_000;

export interface PipelineDeps {
  state: AgentState;
  registry: TaskRegistry;
  model: AgentModel;
  mcp: McpManager;
  /** Whether each capability can run right now (flag on and its machinery present). */
  ready: (kind: TaskType) => boolean;
  /** Runs a browser / computer task; the instruction is `run.instruction`. */
  browser: (run: TaskRun) => Promise<TaskOutcome>;
  computer: (run: TaskRun) => Promise<TaskOutcome>;
  events: AgentEventSink;
  log: Logger;
  timeouts?: Partial<Record<TaskType, number>>;
}

export type SubmitResult =
  | { accepted: true; task_id: string; status: 'queued' | 'running'; start_time: string; done: Promise<TaskOutcome | null> }
  | { accepted: false; duplicate: true; matched_id: string }
  | { accepted: false; duplicate: false; reason: string };

class TaskTimeoutError extends Error {}

/**
 * From a finished turn to a reported result: plan with the agent model, refuse duplicates of running tasks,
 * queue per capability, run with a timeout and its own cancel signal, and tell main (task_update, task_result).
 * Analyses run one at a time per character, never globally (monitor.md §6.3.5).
 */
export class TaskPipeline {
  private readonly slots: Record<TaskType, Slots> = {
    mcp: new Slots(CONCURRENCY.mcp),
    browser_use: new Slots(CONCURRENCY.browser_use),
    computer_use: new Slots(CONCURRENCY.computer_use),
  };
  private readonly analyses = new Map<string, Promise<void>>();
  /** Per character, the user texts last analysed: each user turn is analysed once (agent.md §2.5 step 1). */
  private readonly lastUserTurns = new Map<string, string>();
  private readonly closing = new AbortController();

  constructor(private readonly deps: PipelineDeps) {}

  /** Called once per analyze event_id by the ZeroMQ bridge. */
  handleAnalyze(req: AnalyzeRequest): Promise<void> {
    if (!this.deps.state.analyzerEnabled) {
      this.deps.log.debug({ lanlan_name: req.lanlan_name }, 'analyze request ignored: agent disabled');
      return Promise.resolve();
    }
    const key = req.lanlan_name;
    // The turn that reports a result (and any other reply with no new user words) must not plan the same request again.
    const userTurns = userFingerprint(req);
    if (!userTurns || this.lastUserTurns.get(key) === userTurns) {
      this.deps.log.info({ event: 'analyze_skipped', lanlan_name: key }, 'analyze request skipped: no new user turn');
      return Promise.resolve();
    }
    this.lastUserTurns.set(key, userTurns);
    const previous = this.analyses.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.analyze(req));
    const tracked = next.finally(() => {
      if (this.analyses.get(key) === tracked) this.analyses.delete(key);
    });
    this.analyses.set(key, tracked);
    return tracked;
  }

  /** What the planner may offer right now. */
  private offered() {
    const mcpOn = this.deps.ready('mcp');
    return {
      browser: this.deps.ready('browser_use'),
      computer: this.deps.ready('computer_use'),
      mcp: mcpOn ? this.deps.mcp.toolRefs() : [],
      mcpDefinitions: mcpOn ? this.deps.mcp.toolDefinitions() : [],
    };
  }

  private async analyze(req: AnalyzeRequest): Promise<void> {
    const { log, events } = this.deps;
    const tools = this.offered();
    if (!tools.browser && !tools.computer && tools.mcp.length === 0) return;
    const t0 = performance.now();
    let decision: TaskDecision | null;
    try {
      const endpoint = await this.deps.model.endpoint();
      decision = await planTask(endpoint, req.messages, tools, this.closing.signal);
    } catch (err) {
      if (this.closing.signal.aborted) return;
      const message = (err as Error).message;
      log.warn({ lanlan_name: req.lanlan_name, err: message }, 'task assessment failed');
      await events.emit('agent_notification', req.lanlan_name, { text: `⚠️ Agent assessment failed: ${message.slice(0, 200)}`, source: 'brain', status: 'error', error_message: message.slice(0, 500) });
      return;
    }
    log.info({ event: 'task_planned', lanlan_name: req.lanlan_name, kind: decision?.kind ?? 'none', ms: Math.round(performance.now() - t0) }, 'analyze request assessed');
    if (!decision) return;
    const outcome = this.submit(decision, req.lanlan_name);
    if (!outcome.accepted) log.info({ lanlan_name: req.lanlan_name, ...outcome }, 'planned task not started');
  }

  /** Starts a task (or says why not). Used by the analyze path and by the HTTP run endpoints. */
  submit(decision: TaskDecision, lanlanName: string | null): SubmitResult {
    const { registry, state } = this.deps;
    const kind: TaskType = decision.kind;
    if (!this.deps.ready(kind)) return { accepted: false, duplicate: false, reason: `${kind} is not enabled or not available` };
    const instruction = decision.instruction.slice(0, MAX_INSTRUCTION_CHARS);
    const key = decision.kind === 'mcp' ? instructionKey(`mcp:${decision.server}:${decision.tool}`, '', decision.args) : instructionKey(kind, instruction);
    const duplicate = registry.findDuplicate(lanlanName, key);
    if (duplicate) return { accepted: false, duplicate: true, matched_id: duplicate.id };
    const params: Record<string, unknown> =
      decision.kind === 'mcp' ? { instruction, server: decision.server, tool: decision.tool, args: decision.args } : { instruction };
    const { id, signal } = registry.create({ type: kind, lanlan_name: lanlanName, params, dedupe_key: key });
    state.bump();
    const task = registry.get(id)!;
    const done = this.run(id, decision, lanlanName, signal);
    return { accepted: true, task_id: id, status: 'queued', start_time: task.start_time, done };
  }

  private timeoutFor(decision: TaskDecision): number {
    const configured = this.deps.timeouts?.[decision.kind];
    if (configured) return configured;
    if (decision.kind === 'mcp') return (this.deps.mcp.callTimeoutMs(decision.server) ?? TASK_TIMEOUT_MS.mcp) + MCP_TIMEOUT_MARGIN_MS;
    return TASK_TIMEOUT_MS[decision.kind];
  }

  private async run(id: string, decision: TaskDecision, lanlanName: string | null, cancelSignal: AbortSignal): Promise<TaskOutcome | null> {
    const { registry, log, events, state } = this.deps;
    const kind = decision.kind;
    let release: (() => void) | undefined;
    let outcome: TaskOutcome | null = null;
    let error = '';
    let cancelled = false;
    let deadline: Deadline | undefined;
    try {
      release = await this.slots[kind].acquire(cancelSignal);
      registry.setRunning(id);
      const timeoutMs = this.timeoutFor(decision);
      // An MCP call that reports progress has its timeout started over each time, up to the SDK's cap.
      const capMs = decision.kind === 'mcp' ? Math.max(timeoutMs, MAX_CALL_WITH_PROGRESS_MS + MCP_TIMEOUT_MARGIN_MS) : timeoutMs;
      deadline = new Deadline(timeoutMs, capMs, (cause) =>
        new TaskTimeoutError(cause === 'cap' ? `still running after ${Math.round(capMs / 60_000)} min` : `timed out after ${Math.round(timeoutMs / 1000)} s`),
      );
      const signal = AbortSignal.any([cancelSignal, deadline.signal, this.closing.signal]);
      const run: TaskRun = { id, instruction: decision.instruction, signal, report: (p) => registry.report(id, p), log: log.child({ task_id: id, kind }) };
      outcome = await Promise.race([this.execute(decision, run, deadline), rejectOnAbort(signal)]);
    } catch (err) {
      const reason = cancelSignal.aborted ? cancelSignal.reason : err;
      cancelled = reason instanceof TaskCancelledError;
      error = cancelled ? (reason as Error).message : this.closing.signal.aborted ? 'agent stopped' : (reason as Error)?.message ?? String(reason);
      if (!cancelled) log.warn({ task_id: id, kind, err: error }, 'task failed');
    } finally {
      deadline?.clear();
      release?.();
    }
    const status = cancelled ? 'cancelled' : outcome?.success ? 'completed' : 'failed';
    const finished = cancelled ? true : registry.finish(id, status, { result: outcome?.result ?? null, error: outcome && !outcome.success ? outcome.detail.slice(0, 500) : error || null });
    if (!finished) return outcome;
    state.bump();
    if (this.closing.signal.aborted) return outcome;
    await events.emit(
      'task_result',
      lanlanName,
      taskResultPayload({
        taskId: id,
        channel: kind as ResultChannel,
        description: decision.kind === 'mcp' ? `${decision.tool}: ${decision.instruction}` : decision.instruction,
        success: outcome?.success ?? false,
        detail: outcome?.detail ?? '',
        error: outcome && !outcome.success ? outcome.detail : error,
        cancelled,
      }),
    );
    return outcome;
  }

  private async execute(decision: TaskDecision, run: TaskRun, deadline: Deadline): Promise<TaskOutcome> {
    if (decision.kind === 'mcp') {
      run.report({ stage: 'calling', message: `${decision.server}/${decision.tool}` });
      // A chatty server's notifications are thinned out; each one still restarts the task's time limit.
      const progress = new ProgressThrottle((p) => run.report(p));
      let result: ToolOutcome;
      try {
        result = await this.deps.mcp.call(decision.server, decision.tool, decision.args, {
          signal: run.signal,
          timeoutMs: this.timeoutFor(decision) - MCP_TIMEOUT_MARGIN_MS,
          onProgress: (p) => {
            deadline.extend();
            progress.report(taskProgressOf(p));
          },
        });
      } finally {
        // The last progress goes out before the task's final update.
        progress.flush();
      }
      return { success: result.success, detail: result.text, result: { success: result.success, result: result.text, server: decision.server, tool: decision.tool } };
    }
    if (decision.kind === 'browser_use') return this.deps.browser(run);
    return this.deps.computer(run);
  }

  cancel(id: string): boolean {
    const ok = this.deps.registry.cancel(id);
    if (ok) this.deps.state.bump();
    return ok;
  }

  /** `end_all`: every task cancelled, finished records cleared. */
  endAll(reason = 'all tasks ended'): number {
    const n = this.deps.registry.cancelAll(reason);
    this.deps.registry.clearFinished();
    this.deps.state.bump();
    return n;
  }

  slotStatus(): Record<TaskType, { running: number; queued: number; limit: number }> {
    const s = (k: TaskType) => ({ running: this.slots[k].inUse, queued: this.slots[k].queued, limit: this.slots[k].limit });
    return { mcp: s('mcp'), browser_use: s('browser_use'), computer_use: s('computer_use') };
  }

  /** Stops planning and aborts running executors; records stay as they are (the next start marks them failed). */
  close(): void {
    this.closing.abort(new Error('agent stopped'));
  }
}

/** SHA-256 of the request's user texts, or '' when it has none. */
function userFingerprint(req: AnalyzeRequest): string {
  const texts = req.messages.filter((m) => m.role === 'user').map((m) => String(m.content ?? m.text ?? '').trim()).filter(Boolean);
  return texts.length ? createHash('sha256').update(JSON.stringify(texts)).digest('hex') : '';
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
