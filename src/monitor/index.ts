import { listenService, runService } from '../shared/http/service.js';
import { createLogger } from '../shared/log.js';
import { buildMonitorServer } from './server.js';

const log = createLogger('monitor');

await runService(
  'monitor',
  async () => {
    const env = process.env;
    const app = await buildMonitorServer({ log, env });
    await listenService(app, 'monitor', env);
    return { close: () => app.close() };
  },
  log,
);
