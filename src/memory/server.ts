import type { FastifyInstance } from 'fastify';
import type { ConfigStore } from '../shared/config/store.js';
import { createService } from '../shared/http/service.js';
import type { Logger } from '../shared/log.js';
import { characterRoutes } from './routes/characters.js';

export interface MemoryContext {
  config: ConfigStore;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** Honour POST /shutdown (the original's --enable-shutdown). */
  enableShutdown: boolean;
  /** Called by POST /shutdown when enabled. */
  requestShutdown: () => void;
}

/** The memory service: routes call plain modules (store, window, recall) that never import fastify. */
export async function buildMemoryServer(ctx: MemoryContext): Promise<FastifyInstance> {
  const app = createService('memory', { log: ctx.log, env: ctx.env });
  app.post('/reload', async () => {
    ctx.config.reload();
    return { status: 'success', message: '配置已重新加载' };
  });
  app.post('/shutdown', async () => {
    if (!ctx.enableShutdown) return { status: 'shutdown_disabled', message: 'start the memory service with --enable-shutdown to allow this' };
    setImmediate(ctx.requestShutdown);
    return { status: 'shutdown_signal_received' };
  });
  await app.register(characterRoutes, { memoryDir: () => ctx.config.paths.memory, log: ctx.log });
  return app;
}
