import { join } from 'node:path';
import { appRoot } from '../shared/app-root.js';
import { ConfigStore } from '../shared/config/store.js';
import { listenService, runService } from '../shared/http/service.js';
import { createLogger } from '../shared/log.js';
import { serviceUrl, zmqPort } from '../shared/ports.js';
import { MemoryClient } from './bridges/memory-client.js';
import { ZmqAgentBridge } from './bridges/zmq-agent-bridge.js';
import { buildMainServer } from './server.js';
import { SessionRegistry } from './session/session-registry.js';
import { assembleChat } from './assemble-chat.js';

const log = createLogger('main');

await runService(
  'main',
  async () => {
    const env = process.env;
    const config = new ConfigStore(log, { env });
    // Bound before the HTTP side so a taken ZeroMQ port stops start-up with a clear message (EXIT_CONFIG_ERROR).
    // Loopback only: ZeroMQ here has no authentication, whatever NEKO_BIND_HOST exposes over HTTP.
    const agentBridge = new ZmqAgentBridge(log);
    await agentBridge.start({
      host: '127.0.0.1',
      ports: { sessionPub: zmqPort('sessionPub', env), agentPush: zmqPort('agentPush', env), analyzePush: zmqPort('analyzePush', env) },
    });
    const memory = new MemoryClient({ baseUrl: serviceUrl('memory', env), token: env.NEKO_ACCESS_TOKEN });
    const sessions = new SessionRegistry(log);
    const chat = assembleChat({ config, memory, registry: sessions, log, env, agentBridge, monitorUrl: serviceUrl('monitor', env) });
    const ctx = {
      config,
      memory,
      sessions,
      chat: chat.chat,
      proactive: chat.proactive,
      mirrorFor: chat.mirrorFor,
      log,
      env,
      agentUrl: serviceUrl('agent', env),
      webRoot: env.NEKO_WEB_ROOT ?? join(appRoot(), 'web', 'dist'),
      agentBridge,
    };
    log.info({ dataDir: config.paths.root, current: config.currentCharacter() }, 'config loaded');
    const app = await buildMainServer(ctx);
    await listenService(app, 'main', env);
    return {
      close: async () => {
        await app.close();
        await chat.close();
        await agentBridge.close();
      },
    };
  },
  log,
);
