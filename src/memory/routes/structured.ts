import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import {
  EditFactBodySchema, EditItemBodySchema, FactBodySchema, HistoryQuerySchema, IngestBodySchema, RecallQuerySchema,
  type HistoryPage, type RecallResult, type RecentWindow,
} from '../../shared/protocol/memory.js';
import type { MemoryService } from '../memory-service.js';
import { characterParam, memoryApiError } from './character-param.js';

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw memoryApiError(400, `invalid ${what}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
}

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/** neko's structured memory API: ingest, recall, browse and search, edit and forget turns and facts, the recent window. */
export async function structuredRoutes(app: FastifyInstance, opts: { service: MemoryService }): Promise<void> {
  const { service } = opts;

  /** The character, which must be configured or already have memory (404 otherwise). */
  const known = (params: unknown): string => {
    const name = characterParam(params);
    if (!service.isKnown(name)) throw memoryApiError(404, `unknown character "${name}" (not in characters.json and no memory stored)`);
    return name;
  };

  app.post('/ingest/:name', async (req) => {
    const name = known(req.params);
    const body = parse(IngestBodySchema, req.body, 'body');
    return { status: 'stored' as const, ids: service.ingest(name, body.turns) };
  });

  app.get('/recall/:name', async (req): Promise<RecallResult> => {
    const name = known(req.params);
    const q = parse(RecallQuerySchema, req.query, 'query');
    const range = q.from !== undefined || q.to !== undefined ? { from: ms(q.from), to: ms(q.to) } : undefined;
    const { items, reranked } = await service.recallRanked(name, q.q, { k: q.k, range, now: ms(q.now), rerank: q.rerank });
    return { results: items, reranked };
  });

  app.get('/history/:name', async (req): Promise<HistoryPage> => {
    const name = known(req.params);
    const q = parse(HistoryQuerySchema, req.query, 'query');
    const words = q.q ? q.q.split(/\s+/u).filter(Boolean) : [];
    const items = service.history(name, { from: ms(q.from), to: ms(q.to) }, q.limit, q.before_id, words);
    if (!items) throw memoryApiError(404, `no item with id "${q.before_id}"`);
    return { items, next_before_id: items.length === q.limit ? items[0]!.id : null };
  });

  app.patch('/history/:name/:id', async (req) => {
    const name = known(req.params);
    const { id } = req.params as { id: string };
    const body = parse(EditItemBodySchema, req.body, 'body');
    const kind = await service.editItem(name, id, body.text);
    if (!kind) throw memoryApiError(404, `no item with id "${id}"`);
    return { status: 'updated' as const, id, kind };
  });

  app.delete('/history/:name/:id', async (req) => {
    const name = known(req.params);
    const { id } = req.params as { id: string };
    const kind = await service.forgetItem(name, id);
    if (!kind) throw memoryApiError(404, `no item with id "${id}"`);
    return { status: 'forgotten' as const, id, kind };
  });

  app.get('/recent/:name', async (req): Promise<RecentWindow> => ({ items: service.recentWindow(known(req.params)) }));

  app.get('/facts/:name', async (req) => ({ facts: service.facts(known(req.params)) }));

  app.patch('/facts/:name/:id', async (req) => {
    const name = known(req.params);
    const { id } = req.params as { id: string };
    const body = parse(EditFactBodySchema, req.body, 'body');
    const fact = await service.editFact(name, id, body.value);
    if (!fact) throw memoryApiError(404, `no fact with id "${id}"`);
    return { status: 'updated' as const, id, fact };
  });

  app.delete('/facts/:name/:id', async (req) => {
    const name = known(req.params);
    const { id } = req.params as { id: string };
    if (!(await service.forgetFact(name, id))) throw memoryApiError(404, `no fact with id "${id}"`);
    return { status: 'forgotten' as const, id };
  });

  app.post('/facts/:name', async (req) => {
    const name = known(req.params);
    const body = parse(FactBodySchema, req.body, 'body');
    return { status: 'stored' as const, fact: service.setFact(name, body) };
  });
}
