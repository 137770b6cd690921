import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pino from 'pino';
import { MemoryClient } from '../../src/main/bridges/memory-client.js';
import type { MainContext } from '../../src/main/context.js';
import { live2dRoutes, type AvatarRouteOptions } from '../../src/main/routes/live2d.js';
import { pageRoutes } from '../../src/main/routes/pages.js';
import { vrmRoutes } from '../../src/main/routes/vrm.js';
import { SessionRegistry } from '../../src/main/session/session-registry.js';
import { dataPaths } from '../../src/shared/config/paths.js';
import { ConfigStore } from '../../src/shared/config/store.js';
import { createService } from '../../src/shared/http/service.js';
import { closedPort } from './main-app.js';
import { tempDataDir } from './services.js';

export interface AvatarApp {
  app: FastifyInstance;
  /** The user data folder. */
  dir: string;
  /** A bundled-assets folder (`<app>/static` stand-in) outside the data folder. */
  staticDir: string;
  ctx: MainContext;
  inject(opts: InjectOptions): Promise<{ status: number; body: any; headers: Record<string, unknown>; raw: string }>;
  close(): Promise<void>;
}

/**
 * The avatar routes and static mounts exactly as main registers them, but with chosen upload limits and a
 * bundled-assets folder of the test's own (the real ones are too large to exercise, or absent).
 */
export async function startAvatarApp(opts: Pick<AvatarRouteOptions, 'limits'> = {}): Promise<AvatarApp> {
  const { dir: base, cleanup } = tempDataDir('neko-avatar-');
  const dir = join(base, 'data');
  const staticDir = join(base, 'app-static');
  mkdirSync(staticDir, { recursive: true });
  const log = pino({ level: 'silent' });
  const ctx: MainContext = {
    config: new ConfigStore(log, { paths: dataPaths(dir), language: 'zh-CN', env: {} }),
    memory: new MemoryClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, timeoutMs: 500 }),
    sessions: new SessionRegistry(log),
    log,
    env: {},
    agentUrl: `http://127.0.0.1:${await closedPort()}`,
    webRoot: join(base, 'no-web'),
  };
  const app = createService('main', { log, env: {} });
  const routeOpts = { staticDir, limits: opts.limits };
  await app.register(async (scope) => live2dRoutes(scope, ctx, routeOpts), { prefix: '/api/live2d' });
  await app.register(async (scope) => vrmRoutes(scope, ctx, routeOpts), { prefix: '/api/model/vrm' });
  await app.register(pageRoutes, ctx);
  await app.ready();
  return {
    app,
    dir,
    staticDir,
    ctx,
    async inject(o) {
      const res = await app.inject(o);
      let body: unknown = res.body;
      try {
        body = res.json();
      } catch {
        // not JSON
      }
      return { status: res.statusCode, body, headers: res.headers, raw: res.body };
    },
    async close() {
      await app.close();
      cleanup();
    },
  };
}
