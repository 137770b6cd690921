import type { FastifyInstance } from 'fastify';
import type { AgentService } from '../agent-service.js';
import { FLAG_KEYS, type AgentFlags } from '../flags.js';
import { AdminBodySchema, FlagsBodySchema, parseCommand } from './body.js';

/** Flags, state snapshot, commands and admin control (agent.md §2.3). */
export async function stateRoutes(app: FastifyInstance, agent: AgentService): Promise<void> {
  const { state, capabilities, pipeline } = agent.deps;

  app.get('/agent/flags', async () => ({
    success: true,
    agent_flags: state.agentFlags,
    analyzer_enabled: state.analyzerEnabled,
    agent_api_gate: capabilities.gate(),
    revision: state.stateRevision,
    notification: state.takeNotification(),
  }));

  app.post('/agent/flags', async (req) => {
    const body = FlagsBodySchema.parse(req.body ?? {});
    const changes = Object.fromEntries(FLAG_KEYS.filter((k) => body[k] !== undefined).map((k) => [k, body[k]])) as Partial<AgentFlags>;
    const flags = await agent.setFlags(changes);
    agent.publishStatus();
    return { success: true, agent_flags: flags };
  });

  app.get('/agent/state', async () => ({ success: true, snapshot: agent.snapshot() }));

  app.post('/agent/command', async (req) => {
    const t0 = performance.now();
    const command = parseCommand(req.body);
    const requestId = command.request_id ?? null;
    if (command.command === 'set_agent_enabled') await agent.setAgentEnabled(command.enabled);
    else if (command.command === 'set_flag') await agent.setFlags({ [command.key]: command.value });
    const snapshot = command.command === 'refresh_state' ? { snapshot: agent.snapshot() } : {};
    if (command.command !== 'refresh_state') agent.publishStatus();
    return { success: true, request_id: requestId, timing: { agent_total_ms: Math.round((performance.now() - t0) * 100) / 100 }, ...snapshot };
  });

  app.post('/admin/control', async (req) => {
    const { action } = AdminBodySchema.parse(req.body ?? {});
    if (action === 'enable_analyzer') {
      state.setAnalyzerEnabled(true);
      return { success: true, message: 'analyzer enabled' };
    }
    if (action === 'disable_analyzer') await agent.setAgentEnabled(false);
    else pipeline.endAll('ended by admin control');
    agent.publishStatus();
    return { success: true, message: 'all tasks terminated and cleared' };
  });

  app.get('/capabilities', async () => ({ success: true, capabilities: capabilities.all(), limits: pipeline.slotStatus() }));

  app.post('/notify_config_changed', async () => {
    // The model endpoint is resolved from config on every use; re-check the gate and tell main what changed.
    state.bump();
    return { success: true, message: 'agent configuration re-read' };
  });
}
