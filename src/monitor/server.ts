import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { createService } from '../shared/http/service.js';
import type { Logger } from '../shared/log.js';

export interface MonitorContext {
  log: Logger;
  env: NodeJS.ProcessEnv;
}

/** The monitor: main feeds it over /sync and /sync_binary; viewers and the subtitle overlay read from it. */
export async function buildMonitorServer(ctx: MonitorContext): Promise<FastifyInstance> {
  const app = createService('monitor', { log: ctx.log, env: ctx.env });
  await app.register(websocket, { options: { maxPayload: 4 * 1024 * 1024 } });
  return app;
}
