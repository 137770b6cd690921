import type { ConfigStore } from '../../shared/config/store.js';
import { isLoopbackHost } from '../../shared/ports.js';
import type { AgentModelEndpoint } from './chat-client.js';
import type { SimAgentEndpoint } from './sim-endpoint.js';

/** Why the agent model cannot be used, as the spec's i18n reason codes (agent.md §2.2). */
export type ModelGateReason = 'AGENT_MODEL_NOT_CONFIGURED' | 'AGENT_URL_NOT_CONFIGURED' | 'AGENT_KEY_NOT_CONFIGURED';

export interface AgentModelChoice {
  /** True when the offline sim answers (assist provider `sim`, or the agent role configured as `sim`). */
  sim: boolean;
  model: string;
  baseUrl: string;
  apiKey: string;
  reasons: ModelGateReason[];
}

function needsKey(baseUrl: string): boolean {
  try {
    return !isLoopbackHost(new URL(baseUrl).hostname);
  } catch {
    return true;
  }
}

/** The agent role's model from core_config (roles.agent), with the gate reasons the page shows. */
export function agentModelChoice(config: ConfigStore): AgentModelChoice {
  const resolved = config.resolvedCore();
  const role = resolved.roles.agent;
  const sim = role.baseUrl === 'sim' || (!role.isCustom && resolved.assistApi === 'sim');
  if (sim) return { sim: true, model: role.model, baseUrl: '', apiKey: '', reasons: [] };
  const reasons: ModelGateReason[] = [];
  if (!role.model) reasons.push('AGENT_MODEL_NOT_CONFIGURED');
  if (!role.baseUrl) reasons.push('AGENT_URL_NOT_CONFIGURED');
  if (role.baseUrl && !role.apiKey && needsKey(role.baseUrl)) reasons.push('AGENT_KEY_NOT_CONFIGURED');
  return { sim: false, model: role.model, baseUrl: role.baseUrl, apiKey: role.apiKey, reasons };
}

/** Resolves the endpoint to call right now (config is re-read each time, so a settings save applies at once). */
export class AgentModel {
  constructor(
    private readonly config: ConfigStore,
    private readonly sim: SimAgentEndpoint,
  ) {}

  choice(): AgentModelChoice {
    return agentModelChoice(this.config);
  }

  async endpoint(): Promise<AgentModelEndpoint> {
    const choice = this.choice();
    if (choice.sim) return this.sim.endpoint();
    if (choice.reasons.length) throw new Error(`agent model not usable: ${choice.reasons.join(', ')}`);
    return { baseUrl: choice.baseUrl, model: choice.model, apiKey: choice.apiKey };
  }
}
