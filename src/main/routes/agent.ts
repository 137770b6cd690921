import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../shared/errors.js';
import type { MainContext } from '../context.js';
import { objectBody } from './request-body.js';

/** Upstream timeouts of the original's proxies (rest.md §6). */
const TIMEOUT = { flags: 700, state: 1200, command: 8000, health: 700, availability: 1500, tasks: 2500, task: 1500, cancel: 5000, admin: 5000 } as const;
const SUB_FLAGS = ['computer_use_enabled', 'browser_use_enabled', 'user_plugin_enabled', 'mcp_enabled'] as const;
type LocalFlags = Record<'agent_enabled' | (typeof SUB_FLAGS)[number], boolean>;
const ALL_OFF: LocalFlags = { agent_enabled: false, computer_use_enabled: false, browser_use_enabled: false, user_plugin_enabled: false, mcp_enabled: false };

const FlagsBody = z.object({
  lanlan_name: z.string().optional(),
  flags: z.object({ agent_enabled: z.boolean().optional(), ...Object.fromEntries(SUB_FLAGS.map((k) => [k, z.boolean().optional()])) } as Record<string, z.ZodOptional<z.ZodBoolean>>).strict(),
});

const AnalyzeBody = z.object({
  trigger: z.enum(['turn_end', 'session_end']).optional(),
  lanlan_name: z.string().min(1),
  conversation_id: z.string().optional(),
  messages: z.array(z.looseObject({ role: z.string(), content: z.string().optional(), text: z.string().optional() })).max(50),
});

interface Upstream {
  ok: boolean;
  status: number;
  body: unknown;
}

class UpstreamError extends Error {}

/** `/api/agent/*` (rest.md §6): thin proxies to the agent service with the original's timeouts and 502 fallbacks. */
export async function agentRoutes(app: FastifyInstance, ctx: MainContext): Promise<void> {
  // Main's own copy of each character's agent switches (the original kept them on its session manager).
  const localFlags = new Map<string, LocalFlags>();
  const flagsOf = (name: string) => localFlags.get(name) ?? { ...ALL_OFF };
  const auth: Record<string, string> = ctx.env.NEKO_ACCESS_TOKEN ? { authorization: `Bearer ${ctx.env.NEKO_ACCESS_TOKEN}` } : {};

  async function call(method: 'GET' | 'POST', path: string, timeoutMs: number, body?: unknown): Promise<Upstream> {
    let res: Response;
    try {
      res = await fetch(`${ctx.agentUrl}${path}`, {
        method,
        headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      throw new UpstreamError(e.name === 'TimeoutError' ? `agent did not answer within ${timeoutMs} ms` : `agent unreachable: ${(e.cause as Error | undefined)?.message ?? e.message}`);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // non-JSON upstream body passed on as text
    }
    return { ok: res.ok, status: res.status, body: parsed };
  }

  /** Pass the agent's answer through verbatim; on failure answer 502 with the page's fallback body. */
  async function proxy(reply: FastifyReply, method: 'GET' | 'POST', path: string, timeoutMs: number, fallback: (error: string) => unknown, body?: unknown) {
    try {
      const up = await call(method, path, timeoutMs, body);
      return reply.code(up.status).send(up.body);
    } catch (err) {
      return reply.code(502).send(fallback((err as Error).message));
    }
  }

  const characterName = (requested: unknown): string => {
    const name = typeof requested === 'string' && requested.trim() ? requested.trim() : ctx.config.currentCharacter();
    if (!ctx.config.hasCharacter(name)) throw notFound('lanlan not found');
    return name;
  };

  app.post('/flags', async (req, reply) => {
    const body = FlagsBody.parse(objectBody(req.body));
    let name: string;
    try {
      name = characterName(body.lanlan_name);
    } catch {
      return reply.code(404).send({ success: false, error: 'lanlan not found' });
    }
    const next = { ...flagsOf(name) };
    for (const [k, v] of Object.entries(body.flags)) if (typeof v === 'boolean') next[k as keyof LocalFlags] = v;
    localFlags.set(name, next);
    const forward = Object.fromEntries(SUB_FLAGS.filter((k) => body.flags[k] !== undefined).map((k) => [k, next[k]]));
    try {
      const up = await call('POST', '/agent/flags', TIMEOUT.flags, { lanlan_name: name, ...forward });
      if (!up.ok) throw new UpstreamError(`HTTP ${up.status}: ${JSON.stringify(up.body).slice(0, 200)}`);
    } catch (err) {
      localFlags.set(name, { ...ALL_OFF });
      return reply.code(502).send({ success: false, error: `tool_server forward failed: ${(err as Error).message}` });
    }
    return { success: true, is_free_version: ctx.config.resolvedCore().isFreeVersion };
  });

  app.get('/flags', (_req, reply) => proxy(reply, 'GET', '/agent/flags', TIMEOUT.flags, () => ({ success: false, error: 'tool_server down' })));
  app.get('/state', (_req, reply) => proxy(reply, 'GET', '/agent/state', TIMEOUT.state, () => ({ success: false, error: 'tool_server down' })));

  app.post('/command', async (req, reply) => {
    const t0 = performance.now();
    const body = objectBody(req.body);
    let name: string;
    try {
      name = characterName(body.lanlan_name);
    } catch {
      name = ctx.config.currentCharacter();
    }
    const before = flagsOf(name);
    const next = { ...before };
    if (body.command === 'set_agent_enabled' && typeof body.enabled === 'boolean') {
      next.agent_enabled = body.enabled;
      if (!body.enabled) for (const k of SUB_FLAGS) next[k] = false;
    } else if (body.command === 'set_flag' && typeof body.key === 'string' && (SUB_FLAGS as readonly string[]).includes(body.key) && typeof body.value === 'boolean') {
      next[body.key as (typeof SUB_FLAGS)[number]] = body.value;
    }
    localFlags.set(name, next);
    const tProxy = performance.now();
    let up: Upstream;
    try {
      up = await call('POST', '/agent/command', TIMEOUT.command, { ...body, lanlan_name: name });
    } catch (err) {
      localFlags.set(name, before);
      return reply.code(502).send({ success: false, error: (err as Error).message });
    }
    if (!up.ok) {
      localFlags.set(name, before);
      return reply.code(up.status >= 500 ? 502 : up.status).send(up.body);
    }
    const result = typeof up.body === 'object' && up.body ? (up.body as Record<string, unknown>) : {};
    const timing = typeof result.timing === 'object' && result.timing ? (result.timing as Record<string, unknown>) : {};
    const enabling = body.command === 'set_agent_enabled' && body.enabled === true;
    return {
      ...result,
      timing: { ...timing, main_proxy_ms: Math.round((performance.now() - tProxy) * 100) / 100, main_total_ms: Math.round((performance.now() - t0) * 100) / 100 },
      ...(enabling ? { is_free_version: ctx.config.resolvedCore().isFreeVersion } : {}),
    };
  });

  app.post('/internal/analyze_request', async (req, reply) => {
    const body = AnalyzeBody.parse(objectBody(req.body));
    if (!ctx.agentBridge) return reply.code(500).send({ success: false, error: 'agent bridge not running' });
    // The acknowledged PUSH path, not the original's lossy PUB (monitor.md §6.3.9).
    const success = await ctx.agentBridge.requestAnalyze({ trigger: body.trigger ?? 'turn_end', lanlan_name: body.lanlan_name, conversation_id: body.conversation_id, messages: body.messages });
    return { success };
  });

  app.get('/health', async (_req, reply) => {
    try {
      const up = await call('GET', '/health', TIMEOUT.health);
      if (!up.ok) throw new UpstreamError(`HTTP ${up.status}`);
      return { status: 'ok', tool: up.body };
    } catch {
      return reply.code(502).send({ status: 'down' });
    }
  });

  const notReady = (error: string) => ({ ready: false, reasons: [error] });
  app.get('/computer_use/availability', (_req, reply) => proxy(reply, 'GET', '/computer_use/availability', TIMEOUT.availability, notReady));
  app.get('/browser_use/availability', (_req, reply) => proxy(reply, 'GET', '/browser_use/availability', TIMEOUT.availability, notReady));
  app.get('/mcp/availability', (_req, reply) =>
    proxy(reply, 'GET', '/mcp/availability', TIMEOUT.availability, (error) => ({ ready: false, capabilities_count: 0, reasons: [error] })),
  );
  // neko runs no user-plugin server (MCP servers take that role); the page greys the feature out.
  app.get('/user_plugin/availability', async (_req, reply) => reply.code(502).send({ ready: false, reasons: ['user plugins are not available in neko; configure MCP servers instead'] }));

  app.get('/tasks', (_req, reply) => proxy(reply, 'GET', '/tasks', TIMEOUT.tasks, (error) => ({ tasks: [], error })));
  app.get<{ Params: { id: string } }>('/tasks/:id', (req, reply) =>
    proxy(reply, 'GET', `/tasks/${encodeURIComponent(req.params.id)}`, TIMEOUT.task, (error) => ({ error })),
  );
  app.post<{ Params: { id: string } }>('/tasks/:id/cancel', (req, reply) =>
    proxy(reply, 'POST', `/tasks/${encodeURIComponent(req.params.id)}/cancel`, TIMEOUT.cancel, (error) => ({ success: false, error }), {}),
  );

  app.post('/admin/control', async (req, reply) => {
    const body = objectBody(req.body);
    try {
      const up = await call('POST', '/admin/control', TIMEOUT.admin, body);
      return reply.code(up.ok ? up.status : 502).send(up.body);
    } catch (err) {
      return reply.code(500).send({ success: false, error: (err as Error).message });
    }
  });
}
