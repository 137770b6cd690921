import type { FastifyInstance } from 'fastify';
import { createService } from '../shared/http/service.js';
import type { Logger } from '../shared/log.js';

export interface AgentFlags {
  computer_use_enabled: boolean;
  browser_use_enabled: boolean;
  user_plugin_enabled: boolean;
  mcp_enabled: boolean;
}

export interface AgentContext {
  log: Logger;
  env: NodeJS.ProcessEnv;
  flags: () => AgentFlags;
  /** Counters of the ZeroMQ link to main, shown on /health. */
  zmqStatus?: () => Record<string, unknown>;
}

/** The agent service's HTTP side; the ZeroMQ side lives in zmq-main-bridge.ts. */
export async function buildAgentServer(ctx: AgentContext): Promise<FastifyInstance> {
  const app = createService('agent', { log: ctx.log, env: ctx.env, health: () => ({ agent_flags: ctx.flags(), ...(ctx.zmqStatus ? { zmq: ctx.zmqStatus() } : {}) }) });
  return app;
}
