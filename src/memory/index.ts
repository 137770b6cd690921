import { ConfigStore } from '../shared/config/store.js';
import { listenService, runService } from '../shared/http/service.js';
import { createLogger } from '../shared/log.js';
import { buildMemoryServer } from './server.js';

const log = createLogger('memory');

await runService(
  'memory',
  async () => {
    const env = process.env;
    const config = new ConfigStore(log, { env });
    const { app } = await buildMemoryServer({
      config,
      log,
      env,
      enableShutdown: process.argv.includes('--enable-shutdown'),
      requestShutdown: () => process.kill(process.pid, 'SIGTERM'),
      // Tests shorten the model back-off so retry paths run in milliseconds.
      modelBackoffMs: env.NEKO_MEMORY_MODEL_BACKOFF_MS ? env.NEKO_MEMORY_MODEL_BACKOFF_MS.split(',').map(Number) : undefined,
    });
    await listenService(app, 'memory', env);
    return { close: () => app.close() };
  },
  log,
);
