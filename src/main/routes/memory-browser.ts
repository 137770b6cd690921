import type { FastifyInstance } from 'fastify';
import { ZodError, type z } from 'zod';
import { NameError, validateCharacterName } from '../../shared/config/names.js';
import { ApiError, badRequest } from '../../shared/errors.js';
import {
  BrowserEditFactBodySchema, BrowserEditItemBodySchema, BrowserHistoryQuerySchema, MemoryItemIdSchema,
  type BrowserChange, type BrowserFacts, type BrowserHistoryPage, type BrowserRecent,
} from '../../shared/protocol/memory-browser.js';
import { MemoryRequestError, MemoryUnavailableError } from '../bridges/memory-client.js';
import type { MainContext } from '../context.js';

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${what}.${issue.path.join('.')}` : what;
  throw badRequest(`invalid ${where}: ${issue?.message ?? 'malformed'}`, 'BAD_REQUEST');
}

/**
 * Runs one memory-service call for the page, turning its failures into answers the page can show: the service
 * down is 503 (the page says so and tries again), its 4xx pass through, anything else is 502.
 */
async function forward<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof MemoryUnavailableError) {
      throw new ApiError(503, `the memory service is not reachable right now; try again in a moment (${err.message})`, 'MEMORY_UNAVAILABLE');
    }
    if (err instanceof MemoryRequestError) {
      if (err.status === 404) throw new ApiError(404, err.message, 'NOT_FOUND');
      if (err.status >= 400 && err.status < 500) throw new ApiError(err.status, err.message, 'MEMORY_REFUSED');
      throw new ApiError(502, err.message, 'MEMORY_ERROR');
    }
    if (err instanceof ZodError) throw new ApiError(502, 'the memory service answered in an unexpected shape', 'MEMORY_ERROR');
    throw err;
  }
}

/**
 * `/api/memory/browser/:name/…`: the memory browser page's view of one character's memory — the recent window,
 * the history (search, date range, pages newest first), edit and forget, and the long-term facts. Main validates
 * and forwards to the memory service's structured API; the page never talks to the memory port itself.
 */
export async function memoryBrowserRoutes(app: FastifyInstance, ctx: MainContext): Promise<void> {
  /** The character of `:name`: a valid name (400) of a configured character (404). */
  const character = (params: unknown): string => {
    let name: string;
    try {
      name = validateCharacterName((params as { name?: unknown }).name, 'character');
    } catch (err) {
      if (err instanceof NameError) throw badRequest(err.message, 'BAD_REQUEST');
      throw err;
    }
    if (!ctx.config.hasCharacter(name)) throw new ApiError(404, `unknown character "${name}"`, 'UNKNOWN_CHARACTER');
    return name;
  };
  const itemId = (params: unknown): string => parse(MemoryItemIdSchema, (params as { id?: unknown }).id, 'id');

  app.get('/:name/recent', async (req): Promise<BrowserRecent> => {
    const name = character(req.params);
    return forward(() => ctx.memory.recentWindow(name));
  });

  app.get('/:name/history', async (req): Promise<BrowserHistoryPage> => {
    const name = character(req.params);
    const q = parse(BrowserHistoryQuerySchema, req.query, 'query');
    if (q.after && q.before && Date.parse(q.after) > Date.parse(q.before)) throw badRequest('invalid query: "after" is later than "before"', 'BAD_REQUEST');
    const page = await forward(() =>
      ctx.memory.history(name, { q: q.q, from: q.after, to: q.before, limit: q.limit, before_id: q.cursor }),
    );
    // The memory service pages in time order; the page reads newest first.
    return { items: [...page.items].reverse(), next_cursor: page.next_before_id };
  });

  app.patch('/:name/history/:id', async (req): Promise<BrowserChange> => {
    const name = character(req.params);
    const id = itemId(req.params);
    const body = parse(BrowserEditItemBodySchema, req.body, 'body');
    const result = await forward(() => ctx.memory.editItem(name, id, body.text));
    ctx.log.info({ event: 'memory_item_edited', character: name, id, kind: result.kind }, 'memory item edited from the memory browser');
    return { success: true, id, kind: result.kind };
  });

  app.delete('/:name/history/:id', async (req): Promise<BrowserChange> => {
    const name = character(req.params);
    const id = itemId(req.params);
    const result = await forward(() => ctx.memory.forgetItem(name, id));
    ctx.log.info({ event: 'memory_item_forgotten', character: name, id, kind: result.kind }, 'memory item forgotten from the memory browser');
    return { success: true, id, kind: result.kind };
  });

  app.get('/:name/facts', async (req): Promise<BrowserFacts> => {
    const name = character(req.params);
    const { facts } = await forward(() => ctx.memory.facts(name));
    return {
      facts: facts.map((f) => ({ id: f.id, subject: f.subject, key: f.key, value: f.value, updated_at: new Date(f.ts).toISOString(), source: f.source })),
    };
  });

  app.patch('/:name/facts/:id', async (req): Promise<BrowserChange> => {
    const name = character(req.params);
    const id = itemId(req.params);
    const body = parse(BrowserEditFactBodySchema, req.body, 'body');
    await forward(() => ctx.memory.editFact(name, id, body.value));
    ctx.log.info({ event: 'memory_fact_edited', character: name, id }, 'fact edited from the memory browser');
    return { success: true, id, kind: 'fact' };
  });

  app.delete('/:name/facts/:id', async (req): Promise<BrowserChange> => {
    const name = character(req.params);
    const id = itemId(req.params);
    await forward(() => ctx.memory.forgetFact(name, id));
    ctx.log.info({ event: 'memory_fact_forgotten', character: name, id }, 'fact forgotten from the memory browser');
    return { success: true, id, kind: 'fact' };
  });
}
