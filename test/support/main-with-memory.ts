import { after, before } from 'node:test';
import { startService, tempDataDir, type RunningService } from './services.js';

export interface MainWithMemory {
  /** The shared data folder (NEKO_DATA_DIR of both). */
  readonly dataDir: string;
  /** Set once this file's `before` hooks have run. */
  main: RunningService;
  memory: RunningService;
}

/**
 * Real memory and main processes on one temporary data folder, main talking to this memory, started before the
 * calling test file's tests and killed after them.
 */
export function mainWithMemory(prefix: string): MainWithMemory {
  const data = tempDataDir(prefix);
  const services = { dataDir: data.dir } as MainWithMemory;
  before(async () => {
    services.memory = await startService('memory', { env: { NEKO_DATA_DIR: data.dir, NEKO_LANGUAGE: 'en' } });
    services.main = await startService('main', {
      env: { NEKO_DATA_DIR: data.dir, NEKO_LANGUAGE: 'en', NEKO_MEMORY_SERVER_PORT: String(services.memory.port) },
      timeoutMs: 30_000,
    });
  });
  after(async () => {
    await services.main?.kill();
    await services.memory?.kill();
    data.cleanup();
  });
  return services;
}
