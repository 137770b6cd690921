import type { FastifyInstance } from 'fastify';
import type { ConfigStore } from '../shared/config/store.js';
import { createService } from '../shared/http/service.js';
import type { Logger } from '../shared/log.js';
import { MemoryService } from './memory-service.js';
import { characterRoutes } from './routes/characters.js';
import { compatRoutes } from './routes/compat.js';
import { structuredRoutes } from './routes/structured.js';

export interface MemoryContext {
  config: ConfigStore;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** Honour POST /shutdown (the original's --enable-shutdown). */
  enableShutdown: boolean;
  /** Called by POST /shutdown when enabled. */
  requestShutdown: () => void;
  /** Back-off between model retries (tests shorten it). */
  modelBackoffMs?: readonly number[];
}

/**
 * 4 MiB: a whole session's `input_history` or a large /ingest batch fits; anything bigger is a client bug
 * or abuse and gets 413 before it is parsed.
 */
export const MEMORY_BODY_LIMIT = 4 * 1024 * 1024;
/**
 * An oversized body up to this size is read and discarded before the 413 is sent: a client still writing its
 * body cannot read an early answer (the socket is reset under it), so it would see a broken connection instead
 * of "too large". Beyond this, the connection is simply closed.
 */
const MAX_DISCARDED_BODY = 64 * 1024 * 1024;

/** Answers 413 to a request whose declared length is over the limit, without parsing it (see MAX_DISCARDED_BODY). */
function refuseOversizedBodies(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    const length = Number(req.headers['content-length']);
    if (!(length > MEMORY_BODY_LIMIT)) return;
    const message = `request body too large (limit ${MEMORY_BODY_LIMIT} bytes)`;
    if (length <= MAX_DISCARDED_BODY) {
      await new Promise<void>((resolve) => {
        req.raw.once('end', resolve).once('error', () => resolve()).once('close', resolve);
        req.raw.resume();
      });
    } else {
      reply.header('connection', 'close');
    }
    return reply.code(413).send({ success: false, error: message, detail: message, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
  });
}

/** The memory service: routes validate and call MemoryService, which never imports fastify. */
export async function buildMemoryServer(ctx: MemoryContext): Promise<{ app: FastifyInstance; service: MemoryService }> {
  const app = createService('memory', { log: ctx.log, env: ctx.env, bodyLimit: MEMORY_BODY_LIMIT });
  const service = new MemoryService({ config: ctx.config, log: ctx.log, env: ctx.env, backoffMs: ctx.modelBackoffMs });
  refuseOversizedBodies(app);
  app.addHook('onClose', async () => service.close());
  app.post('/reload', async () => {
    ctx.config.reload();
    return { status: 'success', message: '配置已重新加载' };
  });
  app.post('/shutdown', async () => {
    if (!ctx.enableShutdown) return { status: 'shutdown_disabled', message: 'start the memory service with --enable-shutdown to allow this' };
    setImmediate(ctx.requestShutdown);
    return { status: 'shutdown_signal_received' };
  });
  await app.register(compatRoutes, { service });
  await app.register(structuredRoutes, { service });
  await app.register(characterRoutes, { files: service, log: ctx.log });
  return { app, service };
}
