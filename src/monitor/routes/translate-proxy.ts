import type { FastifyInstance } from 'fastify';
import { serviceUrl } from '../../shared/ports.js';

/** Longest wait for main's translation (it calls the assist model). */
const TRANSLATE_TIMEOUT_MS = 10_000;

/**
 * `POST /api/translate` on the monitor, forwarded to main: the subtitle overlay is served from the monitor's
 * origin, so it asks here instead of making a cross-origin call that main (rightly) refuses.
 */
export async function translateProxy(app: FastifyInstance, opts: { env: NodeJS.ProcessEnv }): Promise<void> {
  app.post('/api/translate', async (req, reply) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const token = opts.env.NEKO_ACCESS_TOKEN?.trim();
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      const res = await fetch(`${serviceUrl('main', opts.env)}/api/translate`, {
        method: 'POST',
        headers,
        body: JSON.stringify(req.body ?? {}),
        signal: AbortSignal.timeout(TRANSLATE_TIMEOUT_MS),
      });
      return reply.code(res.status).type('application/json').send(await res.text());
    } catch (err) {
      return reply.code(502).send({ success: false, error: `main is unreachable: ${(err as Error).message}`, translated_text: '' });
    }
  });
}
