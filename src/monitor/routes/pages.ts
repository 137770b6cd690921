import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Single-segment paths that are files, not character names. */
const NOT_A_CHARACTER = /\.[a-z0-9]+$/i;

/**
 * The monitor's pages, from the same Vite build as the chat page: `/subtitle` (OBS overlay) and `/{character}`
 * (viewer for a second screen). Registered after the WebSocket routes so `/ws/...` stays theirs.
 */
export async function monitorPages(app: FastifyInstance, opts: { webRoot: string }): Promise<void> {
  const built = existsSync(join(opts.webRoot, 'viewer.html'));
  if (built) await app.register(fastifyStatic, { root: join(opts.webRoot, 'assets'), prefix: '/assets/', index: false });
  const page = (file: string) => async (_req: unknown, reply: FastifyReply) => {
    if (!built) return reply.code(503).type('text/plain; charset=utf-8').send('The pages are not built yet: run `npm run build`.');
    return reply.header('cache-control', 'no-cache').sendFile(file, opts.webRoot);
  };
  app.get('/subtitle', page('subtitle.html'));
  const viewer = page('viewer.html');
  app.get<{ Params: { name: string } }>('/:name', async (req, reply) => {
    if (NOT_A_CHARACTER.test(req.params.name)) return reply.code(404).send({ success: false, error: 'Not Found', detail: 'Not Found' });
    return viewer(req, reply);
  });
}
