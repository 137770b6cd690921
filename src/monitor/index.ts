import { listenService, runService } from '../shared/http/service.js';
import { createLogger } from '../shared/log.js';
import { join } from 'node:path';
import { appRoot } from '../shared/app-root.js';
import { buildMonitorServer } from './server.js';

const log = createLogger('monitor');

await runService(
  'monitor',
  async () => {
    const env = process.env;
    const app = await buildMonitorServer({ log, env, webRoot: env.NEKO_WEB_ROOT ?? join(appRoot(), 'web', 'dist') });
    await listenService(app, 'monitor', env);
    return { close: () => app.close() };
  },
  log,
);
