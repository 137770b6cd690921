import type { FastifyInstance } from 'fastify';
import type { MainContext } from '../context.js';
import { agentCaller, unreachable, type AgentCall } from './agent-upstream.js';

/** The agent answers these from memory; a slower answer means it is busy or gone. */
const TIMEOUT_MS = 2500;
const CAPABILITIES = ['computer_use', 'browser_use', 'mcp'] as const;

async function availability(call: AgentCall, capability: (typeof CAPABILITIES)[number]): Promise<unknown> {
  try {
    const up = await call('GET', `/${capability}/availability`, TIMEOUT_MS);
    return up.ok ? up.body : { ready: false, reasons: [`HTTP ${up.status}`] };
  } catch (err) {
    return { ready: false, reasons: [unreachable(err)] };
  }
}

/**
 * `GET /api/agent/overview`: what the page's agent panel shows, in one answer that is 200 even when the agent
 * service is not running (`online: false` and why), so a page without an agent logs no failed requests.
 * `flags`, `availability.*` and `tasks` are the agent's own `/agent/flags`, `/<capability>/availability` and
 * `/tasks` answers.
 */
export async function agentOverviewRoutes(app: FastifyInstance, ctx: MainContext): Promise<void> {
  const call = agentCaller(ctx);

  app.get('/overview', async () => {
    let flags: unknown;
    try {
      const up = await call('GET', '/agent/flags', TIMEOUT_MS);
      if (!up.ok) return { online: false, error: `the agent answered HTTP ${up.status}` };
      flags = up.body;
    } catch (err) {
      return { online: false, error: unreachable(err) };
    }
    const [computerUse, browserUse, mcp, tasks] = await Promise.all([
      ...CAPABILITIES.map((c) => availability(call, c)),
      call('GET', '/tasks', TIMEOUT_MS).then(
        (up) => (up.ok ? ((up.body as { tasks?: unknown[] }).tasks ?? []) : []),
        () => [],
      ),
    ]);
    return { online: true, flags, availability: { computer_use: computerUse, browser_use: browserUse, mcp }, tasks };
  });
}
