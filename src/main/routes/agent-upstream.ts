import type { MainContext } from '../context.js';

export interface Upstream {
  status: number;
  ok: boolean;
  body: unknown;
}

export type AgentCall = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, timeoutMs: number, body?: unknown) => Promise<Upstream>;

/** A JSON call to the agent service (with the access token when one is set); non-JSON answers become `{error}`. */
export function agentCaller(ctx: MainContext): AgentCall {
  const auth: Record<string, string> = ctx.env.NEKO_ACCESS_TOKEN ? { authorization: `Bearer ${ctx.env.NEKO_ACCESS_TOKEN}` } : {};
  return async (method, path, timeoutMs, body) => {
    const res = await fetch(`${ctx.agentUrl}${path}`, {
      method,
      headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    try {
      return { status: res.status, ok: res.ok, body: JSON.parse(text) as unknown };
    } catch {
      return { status: res.status, ok: res.ok, body: { success: false, error: text.slice(0, 500) } };
    }
  };
}

/** Why the agent could not be reached, as one sentence. */
export function unreachable(err: unknown): string {
  const e = err as Error;
  return e.name === 'TimeoutError' ? 'the agent did not answer in time' : `agent unreachable: ${(e.cause as Error | undefined)?.message ?? e.message}`;
}
