import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../shared/errors.js';
import type { AgentService } from '../agent-service.js';
import { McpConfigSchema } from '../mcp/mcp-config.js';
import type { AgentModel } from '../model/agent-model.js';
import type { TaskDecision } from '../planner.js';
import { RunBodySchema, refuseCrossSite } from './body.js';

/** How long `/browser_use/run` waits for its (synchronous) result, as the original. */
const BROWSER_RUN_WAIT_MS = 300_000;

/** Availability, direct runs (computer use queued, browser use synchronous) and MCP server settings. */
export async function runRoutes(app: FastifyInstance, agent: AgentService, model: AgentModel): Promise<void> {
  const { capabilities, pipeline, mcp, state } = agent.deps;

  app.get('/computer_use/availability', async () => {
    const gate = capabilities.gate();
    if (!gate.ready) return { ready: false, reasons: gate.reasons };
    const cu = capabilities.computerUse();
    return { enabled: state.agentFlags.computer_use_enabled, ready: cu.ready, reasons: cu.reason ? [cu.reason] : [], provider: 'xdotool', model: model.choice().model };
  });

  app.get('/browser_use/availability', async () => {
    const gate = capabilities.gate();
    if (!gate.ready) return { ready: false, reasons: gate.reasons };
    const bu = capabilities.browserUse();
    return { enabled: state.agentFlags.browser_use_enabled, ready: bu.ready, reasons: bu.reason ? [bu.reason] : [], provider: 'playwright' };
  });

  app.get('/mcp/availability', async () => mcp.availability());

  const submit = (decision: TaskDecision, lanlanName: string | null) => {
    if (!capabilities.ready(decision.kind)) {
      const cap = decision.kind === 'computer_use' ? capabilities.computerUse() : capabilities.browserUse();
      const flagOff = decision.kind === 'computer_use' ? !state.agentFlags.computer_use_enabled : !state.agentFlags.browser_use_enabled;
      const reasons = [...capabilities.gate().reasons, ...(cap.reason ? [cap.reason] : []), ...(flagOff ? ['AGENT_FLAG_DISABLED'] : [])];
      throw new ApiError(503, `${decision.kind === 'computer_use' ? 'ComputerUse' : 'BrowserUse'} not ready`, undefined, { reasons });
    }
    const result = pipeline.submit(decision, lanlanName);
    if (!result.accepted && result.duplicate) throw new ApiError(409, 'a task with the same instruction is already running', undefined, { duplicate: true, matched_id: result.matched_id });
    if (!result.accepted) throw new ApiError(503, result.reason);
    return result;
  };

  app.post('/computer_use/run', { preHandler: refuseCrossSite }, async (req) => {
    const body = RunBodySchema.parse(req.body ?? {});
    const r = submit({ kind: 'computer_use', instruction: body.instruction }, body.lanlan_name ?? null);
    return { success: true, task_id: r.task_id, status: r.status, start_time: r.start_time };
  });

  app.post('/browser_use/run', { preHandler: refuseCrossSite }, async (req, reply) => {
    const body = RunBodySchema.parse(req.body ?? {});
    const r = submit({ kind: 'browser_use', instruction: body.instruction }, body.lanlan_name ?? null);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), BROWSER_RUN_WAIT_MS).unref());
    const outcome = await Promise.race([r.done, timeout]);
    if (outcome === 'timeout') return reply.code(504).send({ success: false, task_id: r.task_id, error: 'browser task still running' });
    const task = agent.deps.registry.get(r.task_id);
    return { success: outcome?.success ?? false, task_id: r.task_id, result: outcome?.result ?? { success: false, error: task?.error ?? 'task did not finish' } };
  });

  app.get('/mcp/servers', async () => ({ success: true, config: mcp.currentConfig(), servers: mcp.status(), enabled: mcp.enabled, config_error: mcp.configError }));

  // A stdio server entry is a command this machine will run: same-site callers only.
  app.put('/mcp/servers', { preHandler: refuseCrossSite }, async (req) => {
    const config = McpConfigSchema.parse(req.body ?? {});
    await mcp.replaceConfig(config);
    return { success: true, servers: mcp.status() };
  });
}
