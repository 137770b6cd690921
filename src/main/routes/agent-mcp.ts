import type { FastifyInstance, FastifyReply } from 'fastify';
import { isMaskedValue, maskSecret } from '../../shared/config/core-config.js';
import { ApiError, badRequest } from '../../shared/errors.js';
import type { MainContext } from '../context.js';
import { agentCaller, unreachable, type Upstream } from './agent-upstream.js';
import { objectBody } from './request-body.js';

/** Upstream timeouts: reading is quick; a change may wait for changed servers to stop. */
const TIMEOUT = { read: 2500, write: 10_000 } as const;
/** Fields of a server entry whose values may be secrets (API keys in env, Authorization headers). */
const SECRET_MAPS = ['env', 'headers'] as const;

type Entry = Record<string, unknown>;

/** A server entry as the page sees it: every env and header value masked. */
export function maskServerEntry(entry: Entry): Entry {
  const out: Entry = { ...entry };
  for (const field of SECRET_MAPS) {
    const map = entry[field];
    if (map && typeof map === 'object' && !Array.isArray(map)) {
      out[field] = Object.fromEntries(Object.entries(map as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? maskSecret(v) : v]));
    }
  }
  return out;
}

/**
 * The page sends back masked values it did not change: they become the stored value again. A masked value
 * with nothing stored under that key cannot be restored, so it is refused rather than saved as dots.
 */
export function unmaskServerEntry(next: Entry, current: Entry | undefined): Entry {
  const out: Entry = { ...next };
  for (const field of SECRET_MAPS) {
    const map = next[field];
    if (!map || typeof map !== 'object' || Array.isArray(map)) continue;
    const stored = (current?.[field] ?? {}) as Record<string, unknown>;
    out[field] = Object.fromEntries(
      Object.entries(map as Record<string, unknown>).map(([k, v]) => {
        if (!isMaskedValue(v)) return [k, v];
        if (typeof stored[k] !== 'string') throw badRequest(`${field}.${k} is a hidden value with nothing stored behind it; type the real value`, 'INVALID_REQUEST');
        return [k, stored[k]];
      }),
    );
  }
  return out;
}

function maskConfig(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const b = body as { config?: { mcpServers?: Record<string, Entry> } };
  const servers = b.config?.mcpServers;
  if (!servers) return body;
  return { ...b, config: { ...b.config, mcpServers: Object.fromEntries(Object.entries(servers).map(([n, e]) => [n, maskServerEntry(e)])) } };
}

/**
 * `/api/agent/mcp/servers[/{name}]`: the page's MCP server editor, proxied to the agent with secrets masked
 * on the way out and restored on the way in. Agent down → 502 with a readable error.
 */
export async function agentMcpRoutes(app: FastifyInstance, ctx: MainContext): Promise<void> {
  const call = agentCaller(ctx);
  const down = (reply: FastifyReply, err: unknown) => reply.code(502).send({ success: false, error: unreachable(err), servers: [], config: { mcpServers: {} } });
  const pass = (reply: FastifyReply, up: Upstream) => reply.code(up.status).send(maskConfig(up.body));
  const path = (name: string) => `/mcp/servers/${encodeURIComponent(name)}`;

  app.get('/mcp/servers', async (_req, reply) => {
    try {
      return pass(reply, await call('GET', '/mcp/servers', TIMEOUT.read));
    } catch (err) {
      return down(reply, err);
    }
  });

  app.put<{ Params: { name: string } }>('/mcp/servers/:name', async (req, reply) => {
    const body = objectBody(req.body);
    try {
      const current = await call('GET', '/mcp/servers', TIMEOUT.read);
      const stored = (current.body as { config?: { mcpServers?: Record<string, Entry> } }).config?.mcpServers?.[req.params.name];
      const entry = unmaskServerEntry(body, stored);
      return pass(reply, await call('PUT', path(req.params.name), TIMEOUT.write, entry));
    } catch (err) {
      if (err instanceof ApiError) throw err;
      return down(reply, err);
    }
  });

  app.patch<{ Params: { name: string } }>('/mcp/servers/:name', async (req, reply) => {
    const body = objectBody(req.body);
    try {
      return pass(reply, await call('PATCH', path(req.params.name), TIMEOUT.write, body));
    } catch (err) {
      return down(reply, err);
    }
  });

  app.delete<{ Params: { name: string } }>('/mcp/servers/:name', async (req, reply) => {
    try {
      return pass(reply, await call('DELETE', path(req.params.name), TIMEOUT.write));
    } catch (err) {
      return down(reply, err);
    }
  });
}
