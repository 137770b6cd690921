import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { createService } from '../shared/http/service.js';
import type { Logger } from '../shared/log.js';
import { MonitorFanout } from './fanout.js';
import { syncRoutes } from './routes/sync.js';
import { monitorPages } from './routes/pages.js';
import { translateProxy } from './routes/translate-proxy.js';

export interface MonitorContext {
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** Folder with the built pages (web/dist): viewer.html, subtitle.html, assets/. */
  webRoot: string;
}

/** 4 MiB: the largest frame main sends is a TTS audio chunk, far below this. */
const MAX_WS_PAYLOAD = 4 * 1024 * 1024;

/** The monitor: main feeds it over /sync and /sync_binary; viewers and the subtitle overlay read from it. */
export async function buildMonitorServer(ctx: MonitorContext): Promise<FastifyInstance> {
  const fanout = new MonitorFanout(ctx.log);
  const app = createService('monitor', { log: ctx.log, env: ctx.env, health: () => ({ fanout: fanout.stats() }) });
  await app.register(websocket, { options: { maxPayload: MAX_WS_PAYLOAD } });
  await app.register(syncRoutes, { fanout, log: ctx.log });
  await app.register(translateProxy, { env: ctx.env });
  await app.register(monitorPages, { webRoot: ctx.webRoot });
  return app;
}
