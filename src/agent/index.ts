import { ConfigStore } from '../shared/config/store.js';
import { listenService, runService } from '../shared/http/service.js';
import { createLogger } from '../shared/log.js';
import { zmqPort } from '../shared/ports.js';
import { assembleAgent } from './assemble.js';
import { buildAgentServer } from './server.js';
import { ZmqMainBridge } from './zmq-main-bridge.js';

const log = createLogger('agent');

await runService(
  'agent',
  async () => {
    const env = process.env;
    const config = new ConfigStore(log, { env });
    let bridge: ZmqMainBridge | undefined;
    // Events go out through the bridge once it exists; the bridge exists before any request can arrive.
    const parts = await assembleAgent({ config, env, log, events: { emit: (type, name, payload) => bridge?.emit(type, name, payload) ?? Promise.resolve(false) } });
    bridge = new ZmqMainBridge({
      log,
      host: env.NEKO_MAIN_HOST?.trim() || '127.0.0.1',
      ports: { sessionPub: zmqPort('sessionPub', env), agentPush: zmqPort('agentPush', env), analyzePush: zmqPort('analyzePush', env) },
      onAnalyzeRequest: (req) => {
        log.info({ event: 'analyze_request', event_id: req.event_id, trigger: req.trigger, lanlan_name: req.lanlan_name, messages: req.messages.length }, 'analyze request received');
        return parts.pipeline.handleAnalyze(req);
      },
      onSessionEvent: (event) => log.debug({ event_type: event.event_type }, 'session event from main'),
    });
    bridge.start();
    await parts.agent.recover();
    const app = await buildAgentServer({ log, env, agent: parts.agent, model: parts.model, zmqStatus: () => bridge!.status() });
    await listenService(app, 'agent', env);
    return {
      close: async () => {
        await app.close();
        await parts.close();
        await bridge!.close();
      },
    };
  },
  log,
);
