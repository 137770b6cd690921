import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { createService } from '../shared/http/service.js';
import type { MainContext } from './context.js';
import { characterRoutes } from './routes/characters.js';
import { configRoutes } from './routes/config.js';
import { pageRoutes } from './routes/pages.js';

/** 20 MiB: the largest WebSocket frame we accept (a screen frame as a JPEG data URL fits with room). */
export const MAX_WS_PAYLOAD = 20 * 1024 * 1024;

/** Assembles the main server: REST routes, the chat socket, and the page (last, it owns the catch-all). */
export async function buildMainServer(ctx: MainContext): Promise<FastifyInstance> {
  const app = createService('main', { log: ctx.log, env: ctx.env });
  await app.register(websocket, { options: { maxPayload: MAX_WS_PAYLOAD } });
  await app.register(async (scope) => configRoutes(scope, ctx), { prefix: '/api/config' });
  await app.register(async (scope) => characterRoutes(scope, ctx), { prefix: '/api/characters' });
  await app.register(pageRoutes, ctx);
  return app;
}
