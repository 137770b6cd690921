import { EventEmitter } from 'node:events';
import type { AgentDb } from './store/agent-db.js';

/** The sub-capability switches (agent.md §2.2), plus neko's real `mcp_enabled`. */
export const FLAG_KEYS = ['computer_use_enabled', 'browser_use_enabled', 'user_plugin_enabled', 'mcp_enabled'] as const;
export type FlagKey = (typeof FLAG_KEYS)[number];
export type AgentFlags = Record<FlagKey, boolean>;

export function isFlagKey(key: unknown): key is FlagKey {
  return typeof key === 'string' && (FLAG_KEYS as readonly string[]).includes(key);
}

const FLAGS_SETTING = 'agent_flags';
const ANALYZER_SETTING = 'analyzer_enabled';
const REVISION_SETTING = 'state_revision';

/** A one-shot message for the page (`{"code": …, "details": …}`), cleared when read. */
export interface AgentNotice {
  code: string;
  details?: Record<string, unknown>;
}

/**
 * Flags, the analyzer master switch and the state revision, persisted so a restart keeps what the user chose
 * (computer use stays off until explicitly enabled). Emits `changed` after every visible change.
 */
export class AgentState extends EventEmitter<{ changed: [] }> {
  private flags: AgentFlags;
  private analyzer: boolean;
  private revision: number;
  private notice: AgentNotice | null = null;

  constructor(private readonly db: AgentDb) {
    super();
    const stored = parseStoredFlags(db.getSetting(FLAGS_SETTING));
    this.flags = { computer_use_enabled: false, browser_use_enabled: false, user_plugin_enabled: false, mcp_enabled: false, ...stored };
    this.analyzer = db.getSetting(ANALYZER_SETTING) === 'true';
    this.revision = Number(db.getSetting(REVISION_SETTING) ?? 0) || 0;
  }

  get agentFlags(): AgentFlags {
    return { ...this.flags };
  }

  get analyzerEnabled(): boolean {
    return this.analyzer;
  }

  get stateRevision(): number {
    return this.revision;
  }

  /** Applies the given flags (others unchanged). Returns the flags after the change. */
  setFlags(changes: Partial<AgentFlags>): AgentFlags {
    let changed = false;
    for (const key of FLAG_KEYS) {
      const value = changes[key];
      if (value === undefined || this.flags[key] === value) continue;
      this.flags[key] = value;
      changed = true;
    }
    if (changed) {
      this.db.setSetting(FLAGS_SETTING, JSON.stringify(this.flags));
      this.bump();
    }
    return this.agentFlags;
  }

  setAnalyzerEnabled(enabled: boolean): void {
    if (this.analyzer === enabled) return;
    this.analyzer = enabled;
    this.db.setSetting(ANALYZER_SETTING, String(enabled));
    this.bump();
  }

  notify(notice: AgentNotice): void {
    this.notice = notice;
    this.bump();
  }

  /** The pending notification as the spec's JSON string, consumed by the read. */
  takeNotification(): string | null {
    const notice = this.notice;
    this.notice = null;
    return notice ? JSON.stringify(notice) : null;
  }

  /** The pending notification without consuming it (pushed snapshots may be lost while main is away). */
  peekNotification(): string | null {
    return this.notice ? JSON.stringify(this.notice) : null;
  }

  /** Something visible changed (a task, a capability): new revision, listeners told. */
  bump(): void {
    this.revision += 1;
    this.db.setSetting(REVISION_SETTING, String(this.revision));
    this.emit('changed');
  }
}

function parseStoredFlags(raw: string | undefined): Partial<AgentFlags> {
  if (!raw) return {};
  try {
    const value = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(FLAG_KEYS.filter((k) => typeof value[k] === 'boolean').map((k) => [k, value[k]])) as Partial<AgentFlags>;
  } catch {
    return {};
  }
}
