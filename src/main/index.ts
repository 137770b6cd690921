import { join } from 'node:path';
import { appRoot } from '../shared/app-root.js';
import { ConfigStore } from '../shared/config/store.js';
import { listenService, runService } from '../shared/http/service.js';
import { createLogger } from '../shared/log.js';
import { serviceUrl } from '../shared/ports.js';
import { MemoryClient } from './bridges/memory-client.js';
import { buildMainServer } from './server.js';
import { SessionRegistry } from './session/session-registry.js';

const log = createLogger('main');

await runService(
  'main',
  async () => {
    const env = process.env;
    const config = new ConfigStore(log, { env });
    const ctx = {
      config,
      memory: new MemoryClient({ baseUrl: serviceUrl('memory', env), token: env.NEKO_ACCESS_TOKEN }),
      sessions: new SessionRegistry(log),
      log,
      env,
      agentUrl: serviceUrl('agent', env),
      webRoot: env.NEKO_WEB_ROOT ?? join(appRoot(), 'web', 'dist'),
    };
    log.info({ dataDir: config.paths.root, current: config.currentCharacter() }, 'config loaded');
    const app = await buildMainServer(ctx);
    await listenService(app, 'main', env);
    return { close: () => app.close() };
  },
  log,
);
