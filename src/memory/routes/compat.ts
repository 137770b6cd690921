import type { FastifyInstance, FastifyReply } from 'fastify';
import { HistoryRequestSchema, type HistoryResult } from '../../shared/protocol/memory.js';
import { InputHistoryError } from '../input-history.js';
import type { HistoryRoute, MemoryService } from '../memory-service.js';
import { characterParam, memoryApiError } from './character-param.js';

/** FastAPI returns a `str` result as a JSON-encoded string; the original's clients parse it that way. */
function jsonString(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(text));
}

/** The original memory service's routes (memory.md §1.4), same bodies and answers. */
export async function compatRoutes(app: FastifyInstance, opts: { service: MemoryService }): Promise<void> {
  const { service } = opts;

  const historyRoute = (route: HistoryRoute) => async (req: { params: unknown; body: unknown }): Promise<HistoryResult> => {
    const name = characterParam(req.params);
    const body = HistoryRequestSchema.safeParse(req.body ?? {});
    if (!body.success) throw memoryApiError(422, 'body must be {"input_history": "<JSON string of messages>"}');
    try {
      const { received } = await service.receive(name, body.data.input_history, route);
      return route === 'cache' ? { status: 'cached', count: received } : { status: 'processed' };
    } catch (err) {
      // The original answers 200 with status "error" (callers check the body); a bad payload is reported the same way.
      if (err instanceof InputHistoryError) return { status: 'error', message: err.message };
      return { status: 'error', message: `memory could not store the turns: ${(err as Error).message}` };
    }
  };
  app.post('/cache/:name', historyRoute('cache'));
  app.post('/process/:name', historyRoute('process'));
  app.post('/renew/:name', historyRoute('renew'));

  app.get('/get_recent_history/:name', async (req, reply) => jsonString(reply, service.recentHistoryText(characterParam(req.params))));

  app.get('/get_settings/:name', async (req, reply) => jsonString(reply, service.settingsText(characterParam(req.params))));

  app.get('/search_for_memory/:name/:query', async (req, reply) => {
    const name = characterParam(req.params);
    const { query } = req.params as { query: string };
    if (!service.isKnown(name)) throw memoryApiError(404, `no memory for character "${name}"`);
    return jsonString(reply, await service.searchText(name, query));
  });

  app.post('/cancel_correction/:name', async (req) => ({ status: await service.cancelCorrection(characterParam(req.params)) }));

  app.get('/new_dialog/:name', async (req, reply) => {
    const text = await service.newDialog(characterParam(req.params));
    return reply.type('text/plain; charset=utf-8').send(text);
  });
}
