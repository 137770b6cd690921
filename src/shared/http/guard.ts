import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLoopbackHost } from '../ports.js';

export interface GuardOptions {
  /** Required on every request when set (NEKO_ACCESS_TOKEN). */
  token?: string;
  /** Host the service is bound to; on loopback the Host header must be loopback too (DNS rebinding). */
  bindHost: string;
  /** Extra origins allowed to change state (NEKO_ALLOWED_ORIGINS, comma separated). */
  allowedOrigins?: readonly string[];
}

export const TOKEN_COOKIE = 'neko_token';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Where a request may carry the token: header, `?token=` (for a first page load or a WebSocket), or cookie. */
export function presentedToken(req: FastifyRequest): { token?: string; fromQuery: boolean } {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { token: auth.slice(7).trim(), fromQuery: false };
  const header = req.headers['x-neko-token'];
  if (typeof header === 'string') return { token: header, fromQuery: false };
  const query = (req.query as Record<string, unknown> | undefined)?.token;
  if (typeof query === 'string') return { token: query, fromQuery: true };
  return { token: cookieValue(req.headers.cookie, TOKEN_COOKIE), fromQuery: false };
}

function hostOf(value: string): string | undefined {
  try {
    return new URL(value).host.toLowerCase();
  } catch {
    return undefined;
  }
}

function hostnameOf(hostHeader: string): string {
  const h = hostHeader.toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.split(':')[0] ?? h;
}

/**
 * Refuses what a browser on another site could make us do: cross-site state changes and WebSocket
 * upgrades (Origin/Referer checked against Host), DNS-rebinding Host headers on loopback, and anything
 * without the access token when one is configured.
 */
export function installGuard(app: FastifyInstance, opts: GuardOptions): void {
  const allowed = new Set((opts.allowedOrigins ?? []).map((o) => o.trim().toLowerCase()).filter(Boolean));
  const loopbackOnly = isLoopbackHost(opts.bindHost);

  app.addHook('onRequest', async (req, reply) => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (loopbackOnly && host && !isLoopbackHost(hostnameOf(host))) {
      return reply.code(403).send({ success: false, error: `Host "${host}" is not allowed: this service only answers on loopback`, code: 'HOST_NOT_ALLOWED' });
    }

    if (opts.token) {
      const { token, fromQuery } = presentedToken(req);
      if (!token || !sameSecret(token, opts.token)) {
        return reply.code(401).send({ success: false, error: 'access token required (NEKO_ACCESS_TOKEN)', code: 'UNAUTHORIZED' });
      }
      if (fromQuery) {
        // Let the page's later requests and WebSocket carry the token without it sitting in every URL.
        reply.header('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`);
      }
    }

    const isUpgrade = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
    if (!isUpgrade && !STATE_CHANGING.has(req.method)) return;
    const origin = req.headers.origin;
    const referer = req.headers.referer;
    let sourceHost: string | undefined;
    let source: string | undefined;
    if (origin !== undefined) {
      source = origin.toLowerCase();
      sourceHost = source === 'null' ? 'null' : hostOf(source);
    } else if (referer !== undefined) {
      source = referer;
      sourceHost = hostOf(referer);
    } else if (req.headers['sec-fetch-site'] === 'cross-site') {
      source = 'cross-site';
    } else {
      return; // not a browser (curl, another neko service): the token and loopback binding protect it
    }
    if (sourceHost && (sourceHost === host || allowed.has(source.replace(/\/$/, '')))) return;
    return reply.code(403).send({ success: false, error: `cross-site request refused (origin ${source})`, code: 'ORIGIN_NOT_ALLOWED' });
  });
}
