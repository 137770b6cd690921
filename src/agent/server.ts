import type { FastifyInstance } from 'fastify';
import { createService } from '../shared/http/service.js';
import type { Logger } from '../shared/log.js';
import type { AgentService } from './agent-service.js';
import type { AgentModel } from './model/agent-model.js';
import { mcpServerRoutes } from './routes/mcp-server-routes.js';
import { runRoutes } from './routes/run-routes.js';
import { stateRoutes } from './routes/state-routes.js';
import { taskRoutes } from './routes/task-routes.js';

export interface AgentServerContext {
  log: Logger;
  env: NodeJS.ProcessEnv;
  agent: AgentService;
  model: AgentModel;
  /** Counters of the ZeroMQ link to main, shown on /health. */
  zmqStatus?: () => Record<string, unknown>;
}

/** The agent service's HTTP side (agent.md §2.3); the shared guard applies NEKO_ACCESS_TOKEN to every route. */
export async function buildAgentServer(ctx: AgentServerContext): Promise<FastifyInstance> {
  const app = createService('agent', {
    log: ctx.log,
    env: ctx.env,
    health: () => ({ agent_flags: ctx.agent.deps.state.agentFlags, ...(ctx.zmqStatus ? { zmq: ctx.zmqStatus() } : {}) }),
  });
  await app.register(async (scope) => stateRoutes(scope, ctx.agent));
  await app.register(async (scope) => taskRoutes(scope, ctx.agent));
  await app.register(async (scope) => runRoutes(scope, ctx.agent, ctx.model));
  await app.register(async (scope) => mcpServerRoutes(scope, ctx.agent.deps.mcp));
  return app;
}
