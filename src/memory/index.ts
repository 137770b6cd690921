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
    const app = await buildMemoryServer({
      config,
      log,
      env,
      enableShutdown: process.argv.includes('--enable-shutdown'),
      requestShutdown: () => process.kill(process.pid, 'SIGTERM'),
    });
    await listenService(app, 'memory', env);
    return { close: () => app.close() };
  },
  log,
);
