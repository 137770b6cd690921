import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pino from 'pino';
import { dataPaths } from '../../src/shared/config/paths.js';
import { ConfigStore } from '../../src/shared/config/store.js';
import { MemoryClient } from '../../src/main/bridges/memory-client.js';
import type { MainContext } from '../../src/main/context.js';
import { buildMainServer } from '../../src/main/server.js';
import { SessionRegistry, type CharacterSessionControl, type PageSocket } from '../../src/main/session/session-registry.js';
import { tempDataDir } from './services.js';

/** A page socket that records what the server sends it. */
export class RecordingPageSocket implements PageSocket {
  readonly messages: Array<Record<string, unknown>> = [];
  closed = false;
  constructor(readonly character: string) {}
  send(message: Record<string, unknown>): void {
    this.messages.push(message);
  }
  close(): void {
    this.closed = true;
  }
}

/** A session control whose state the test sets; records end() calls. */
export class ScriptedSession implements CharacterSessionControl {
  readonly endReasons: string[] = [];
  constructor(public voice = false, public active = true) {}
  isVoiceActive(): boolean {
    return this.active && this.voice;
  }
  isActive(): boolean {
    return this.active;
  }
  async end(reason: string): Promise<void> {
    this.endReasons.push(reason);
    this.active = false;
  }
}

/** A port nothing listens on (bound then released), for "service down" cases. */
export async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface MainAppHarness {
  app: FastifyInstance;
  ctx: MainContext;
  dir: string;
  configDir: string;
  inject(opts: InjectOptions): Promise<{ status: number; body: any }>;
  /** Every file under config/ with its exact bytes, to prove a refused request changed nothing. */
  snapshot(): Record<string, string>;
  close(): Promise<void>;
}

export interface MainAppOptions {
  /** Files to put in config/ before the store reads them: objects are written as JSON, strings as they are. */
  files?: Record<string, unknown>;
  memoryUrl?: string;
  agentUrl?: string;
  env?: NodeJS.ProcessEnv;
}

/** The main server built in-process on a fresh data folder, driven with app.inject. */
export async function startMainApp(opts: MainAppOptions = {}): Promise<MainAppHarness> {
  const { dir, cleanup } = tempDataDir('neko-main-');
  const paths = dataPaths(dir);
  mkdirSync(paths.config, { recursive: true });
  for (const [name, content] of Object.entries(opts.files ?? {})) {
    writeFileSync(join(paths.config, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  const log = pino({ level: 'silent' });
  const env = opts.env ?? {};
  const ctx: MainContext = {
    config: new ConfigStore(log, { paths, language: 'zh-CN', env }),
    memory: new MemoryClient({ baseUrl: opts.memoryUrl ?? `http://127.0.0.1:${await closedPort()}`, timeoutMs: 2000 }),
    sessions: new SessionRegistry(log),
    log,
    env,
    agentUrl: opts.agentUrl ?? `http://127.0.0.1:${await closedPort()}`,
    webRoot: join(dir, 'no-web-build'),
  };
  const app = await buildMainServer(ctx);
  await app.ready();
  return {
    app,
    ctx,
    dir,
    configDir: paths.config,
    async inject(injectOpts) {
      const res = await app.inject(injectOpts);
      let body: unknown = res.body;
      try {
        body = res.json();
      } catch {
        // not JSON
      }
      return { status: res.statusCode, body };
    },
    snapshot() {
      return Object.fromEntries(readdirSync(paths.config).sort().map((f) => [f, readFileSync(join(paths.config, f), 'utf8')]));
    },
    async close() {
      await app.close();
      cleanup();
    },
  };
}
