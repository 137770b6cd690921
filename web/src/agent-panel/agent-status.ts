import type { Availability, FlagKey, FlagsAnswer, Overview } from './agent-api';

/** One switch of the panel: whether it is on, whether it can work, and why not. */
export interface CapabilityView {
  on: boolean;
  ready: boolean;
  /** Reason codes (agent.md §2.2, plus neko's MCP_* and AGENT_DISPLAY_* codes) or plain sentences. */
  reasons: string[];
  /** MCP: how many tools the running servers offer. */
  tools?: number;
}

export interface AgentStatus {
  online: boolean;
  /** Why the agent service cannot be reached (when offline). */
  error?: string;
  /** The master switch (`analyzer_enabled`). */
  agent: CapabilityView;
  capabilities: Record<FlagKey, CapabilityView>;
  /** A one-shot notice from the agent (`{"code", "details"}` JSON), e.g. why a switch did not turn on. */
  notification: string | null;
}

/** neko hosts no user-plugin server: MCP servers take that role, so the switch can never work. */
const NO_PLUGINS = 'AGENT_NO_PLUGINS_FOUND';
/** "MCP is off" says what the switch already shows; it is not a reason the switch cannot work. */
const NOT_A_PROBLEM = new Set(['MCP_DISABLED']);

const reasonsOf = (a: Availability | undefined): string[] => (a?.reasons ?? []).filter((r) => !NOT_A_PROBLEM.has(r));

export function offlineStatus(error: string): AgentStatus {
  const off = (): CapabilityView => ({ on: false, ready: false, reasons: [] });
  return {
    online: false,
    error,
    agent: off(),
    capabilities: { mcp_enabled: off(), browser_use_enabled: off(), computer_use_enabled: off(), user_plugin_enabled: off() },
    notification: null,
  };
}

export function statusFromOverview(overview: Overview): AgentStatus {
  if (!overview.online) return offlineStatus(overview.error);
  const { flags, availability } = overview;
  const on = (k: FlagKey) => flags.agent_flags[k] === true;
  const gate = flags.agent_api_gate ?? { ready: true, reasons: [] };
  const mcp = availability.mcp;
  return {
    online: true,
    agent: { on: flags.analyzer_enabled, ready: gate.ready, reasons: gate.reasons },
    capabilities: {
      // MCP needs a running server with tools; with the switch off that is not a problem yet.
      mcp_enabled: { on: on('mcp_enabled'), ready: gate.ready && (mcp.ready || !on('mcp_enabled')), reasons: [...(gate.ready ? [] : gate.reasons), ...reasonsOf(mcp)], tools: mcp.capabilities_count ?? 0 },
      browser_use_enabled: { on: on('browser_use_enabled'), ready: availability.browser_use.ready, reasons: reasonsOf(availability.browser_use) },
      computer_use_enabled: { on: on('computer_use_enabled'), ready: availability.computer_use.ready, reasons: reasonsOf(availability.computer_use) },
      user_plugin_enabled: { on: on('user_plugin_enabled'), ready: false, reasons: [NO_PLUGINS] },
    },
    notification: flags.notification ?? null,
  };
}

interface Snapshot {
  analyzer_enabled?: boolean;
  flags?: FlagsAnswer['agent_flags'];
  gate?: { ready: boolean; reasons: string[] };
  capabilities?: Partial<Record<'computer_use' | 'browser_use' | 'mcp' | 'user_plugin', { ready: boolean; reason: string }>>;
}

/**
 * A pushed `agent_status_update` snapshot applied over what the panel shows. The snapshot carries one reason
 * per capability and no tool count, so those come from the last full answer when the snapshot has none.
 */
export function applySnapshot(previous: AgentStatus, raw: Record<string, unknown>): AgentStatus {
  const s = raw as Snapshot;
  if (!s.flags) return previous;
  const gate = s.gate ?? { ready: previous.agent.ready, reasons: previous.agent.reasons };
  const cap = (key: FlagKey, name: keyof NonNullable<Snapshot['capabilities']>): CapabilityView => {
    const c = s.capabilities?.[name];
    const before = previous.capabilities[key];
    const on = s.flags?.[key] === true;
    if (!c) return { ...before, on };
    const own = c.reason && !NOT_A_PROBLEM.has(c.reason) ? [c.reason] : [];
    const reasons = [...(gate.ready ? [] : gate.reasons), ...own];
    const ready = key === 'mcp_enabled' ? gate.ready && (c.ready || !on) : gate.ready && c.ready;
    return { ...before, on, ready, reasons: key === 'user_plugin_enabled' ? [NO_PLUGINS] : reasons };
  };
  return {
    online: true,
    agent: { on: s.analyzer_enabled ?? previous.agent.on, ready: gate.ready, reasons: gate.reasons },
    capabilities: {
      mcp_enabled: cap('mcp_enabled', 'mcp'),
      browser_use_enabled: cap('browser_use_enabled', 'browser_use'),
      computer_use_enabled: cap('computer_use_enabled', 'computer_use'),
      user_plugin_enabled: { ...cap('user_plugin_enabled', 'user_plugin'), ready: false },
    },
    notification: previous.notification,
  };
}
