import type { BrowserPool } from './browser/browser-pool.js';
import type { Desktop } from './computer/desktop.js';
import type { AgentState } from './flags.js';
import type { McpManager } from './mcp/mcp-manager.js';
import type { AgentModel } from './model/agent-model.js';
import type { TaskType } from './tasks/task-registry.js';

export interface Capability {
  ready: boolean;
  reason: string;
}

export interface ApiGate {
  ready: boolean;
  reasons: string[];
  is_free_version: boolean;
}

/** What the agent can do on this machine right now, with the spec's reason codes for what it cannot. */
export class Capabilities {
  constructor(
    private readonly state: AgentState,
    private readonly model: AgentModel,
    private readonly browser: BrowserPool,
    private readonly desktop: Desktop,
    private readonly mcp: McpManager,
    private readonly isFreeVersion: () => boolean,
  ) {}

  /** The agent model must be usable before any capability can be switched on (agent.md §2.2 API gate). */
  gate(): ApiGate {
    const choice = this.model.choice();
    return { ready: choice.reasons.length === 0, reasons: choice.reasons, is_free_version: this.isFreeVersion() };
  }

  computerUse(): Capability {
    return this.desktop.available();
  }

  browserUse(): Capability {
    return this.browser.available();
  }

  mcpTools(): Capability {
    const a = this.mcp.availability();
    return { ready: a.ready, reason: a.reasons[0] ?? '' };
  }

  all(): Record<'computer_use' | 'browser_use' | 'user_plugin' | 'mcp', Capability> {
    return {
      computer_use: this.computerUse(),
      browser_use: this.browserUse(),
      // neko hosts no user-plugin server; MCP servers are its plugin mechanism.
      user_plugin: { ready: false, reason: 'AGENT_NO_PLUGINS_FOUND' },
      mcp: this.mcpTools(),
    };
  }

  /** A task of `kind` may start: gate open, its flag on, its machinery present. */
  ready(kind: TaskType): boolean {
    if (!this.gate().ready) return false;
    const flags = this.state.agentFlags;
    if (kind === 'computer_use') return flags.computer_use_enabled && this.computerUse().ready;
    if (kind === 'browser_use') return flags.browser_use_enabled && this.browserUse().ready;
    return flags.mcp_enabled && this.mcpTools().ready;
  }
}
