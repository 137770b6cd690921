import type { Logger } from '../shared/log.js';
import type { Capabilities } from './capabilities.js';
import { taskUpdatePayload, type AgentEventSink } from './events.js';
import { FLAG_KEYS, type AgentFlags, type AgentState, type FlagKey } from './flags.js';
import type { McpManager } from './mcp/mcp-manager.js';
import type { TaskPipeline } from './pipeline.js';
import type { TaskRegistry, TaskType } from './tasks/task-registry.js';
import { nowIso } from './time.js';

/** Flags and the task kind each one controls (user plugins have no tasks in neko). */
const FLAG_TASK: Partial<Record<FlagKey, TaskType>> = { computer_use_enabled: 'computer_use', browser_use_enabled: 'browser_use', mcp_enabled: 'mcp' };
/** Status snapshots are coalesced: a burst of changes produces one event. */
const STATUS_COALESCE_MS = 20;
const PRUNE_EVERY_MS = 60_000;
const STARTUP_EMIT_ATTEMPTS = 50;
const STARTUP_EMIT_INTERVAL_MS = 200;

export interface AgentServiceDeps {
  state: AgentState;
  registry: TaskRegistry;
  capabilities: Capabilities;
  pipeline: TaskPipeline;
  mcp: McpManager;
  events: AgentEventSink;
  log: Logger;
}

/**
 * The agent's state machine as the HTTP routes and ZeroMQ see it: switching flags (with the spec's checks and
 * notifications), the status snapshot, and telling main about every change.
 */
export class AgentService {
  private statusTimer: NodeJS.Timeout | undefined;
  private readonly pruneTimer: NodeJS.Timeout;

  constructor(readonly deps: AgentServiceDeps) {
    const { state, registry, events, mcp } = deps;
    registry.on('update', (task) => void events.emit('task_update', task.lanlan_name, { task: taskUpdatePayload(task) }));
    state.on('changed', () => this.scheduleStatus());
    mcp.on('changed', () => state.bump());
    // Finished records are pruned on a timer, not only when someone asks for a snapshot (monitor.md §6.3.7).
    this.pruneTimer = setInterval(() => registry.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  /** Start-up: tasks the previous process left active become failed, and main hears about each. */
  async recover(): Promise<number> {
    const failed = this.deps.registry.recoverAfterRestart();
    for (const t of failed) {
      this.deps.log.warn({ task_id: t.id, type: t.type }, 'task left unfinished by the previous run marked failed');
      void this.emitWhenConnected(() => this.deps.events.emit('task_update', t.lanlan_name, { task: taskUpdatePayload({ ...t, source: 'runtime' }) }));
    }
    if (this.deps.state.agentFlags.mcp_enabled) await this.deps.mcp.setEnabled(true);
    return failed.length;
  }

  /**
   * Right after start main may not be connected yet (ZeroMQ connects in the background and drops what it
   * cannot queue), so start-up news is retried for a few seconds.
   */
  private async emitWhenConnected(send: () => Promise<boolean>): Promise<void> {
    for (let attempt = 0; attempt < STARTUP_EMIT_ATTEMPTS; attempt++) {
      if (await send()) return;
      await new Promise((r) => setTimeout(r, STARTUP_EMIT_INTERVAL_MS).unref());
    }
  }

  /** Applies flag changes with the spec's rules; returns the flags afterwards. */
  async setFlags(changes: Partial<AgentFlags>): Promise<AgentFlags> {
    const { state, capabilities, mcp } = this.deps;
    const enabling = FLAG_KEYS.filter((k) => changes[k] === true && !state.agentFlags[k]);
    const gate = capabilities.gate();
    if (enabling.length && !gate.ready) {
      // Like the original: with the API gate closed nothing may be on.
      state.setFlags(Object.fromEntries(FLAG_KEYS.map((k) => [k, false])) as AgentFlags);
      state.notify({ code: 'AGENT_API_NOT_READY', details: { reasons: gate.reasons } });
      await mcp.setEnabled(false);
      this.cancelKinds(['computer_use', 'browser_use', 'mcp'], 'agent model not configured');
      return state.agentFlags;
    }
    const next: Partial<AgentFlags> = { ...changes };
    if (next.computer_use_enabled && !state.agentFlags.computer_use_enabled) {
      const cu = capabilities.computerUse();
      if (!cu.ready) {
        next.computer_use_enabled = false;
        state.notify({ code: 'AGENT_CU_UNAVAILABLE', details: { reason: cu.reason } });
      }
    }
    if (next.browser_use_enabled && !state.agentFlags.browser_use_enabled) {
      const bu = capabilities.browserUse();
      if (!bu.ready) {
        next.browser_use_enabled = false;
        state.notify({ code: 'AGENT_BU_NOT_INSTALLED', details: { reason: bu.reason } });
      }
    }
    if (next.user_plugin_enabled) {
      next.user_plugin_enabled = false;
      state.notify({ code: 'AGENT_NO_PLUGINS_FOUND' });
    }
    const turnedOff = FLAG_KEYS.filter((k) => next[k] === false && state.agentFlags[k]);
    const flags = state.setFlags(next);
    if (next.mcp_enabled !== undefined) await mcp.setEnabled(flags.mcp_enabled);
    this.cancelKinds(turnedOff.flatMap((k) => (FLAG_TASK[k] ? [FLAG_TASK[k]!] : [])), 'capability switched off');
    return flags;
  }

  /** `set_agent_enabled`: the analyzer master switch; off also clears every flag and ends all tasks. */
  async setAgentEnabled(enabled: boolean): Promise<void> {
    this.deps.state.setAnalyzerEnabled(enabled);
    if (!enabled) {
      await this.setFlags(Object.fromEntries(FLAG_KEYS.map((k) => [k, false])) as AgentFlags);
      this.deps.pipeline.endAll('agent disabled');
    }
  }

  /** The status snapshot (agent.md §2.4); `consume` clears the one-shot notification, as reads by the page do. */
  snapshot(consume = true): Record<string, unknown> {
    const { state, capabilities, registry } = this.deps;
    return {
      revision: state.stateRevision,
      server_online: true,
      analyzer_enabled: state.analyzerEnabled,
      flags: state.agentFlags,
      gate: capabilities.gate(),
      capabilities: capabilities.all(),
      active_tasks: registry.active().map((t) => ({
        id: t.id, status: t.status, type: t.type, start_time: t.start_time, params: t.params, session_id: t.session_id, lanlan_name: t.lanlan_name,
        progress: t.progress ?? null, stage: t.stage ?? null, message: t.message ?? null, step: t.step ?? null, step_total: t.step_total ?? null,
      })),
      limits: this.deps.pipeline.slotStatus(),
      notification: consume ? state.takeNotification() : state.peekNotification(),
      updated_at: nowIso(),
    };
  }

  /** Tells main right away (used after flag changes, which the spec ends with a status update). */
  publishStatus(): void {
    clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    void this.deps.events.emit('agent_status_update', null, { snapshot: this.snapshot(false) });
  }

  private scheduleStatus(): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => this.publishStatus(), STATUS_COALESCE_MS);
    this.statusTimer.unref();
  }

  private cancelKinds(kinds: TaskType[], reason: string): void {
    if (!kinds.length) return;
    for (const t of this.deps.registry.active()) if (kinds.includes(t.type as TaskType)) this.deps.pipeline.cancel(t.id);
    if (kinds.length) this.deps.log.info({ kinds, reason }, 'tasks of switched-off capabilities cancelled');
  }

  close(): void {
    clearTimeout(this.statusTimer);
    clearInterval(this.pruneTimer);
  }
}
