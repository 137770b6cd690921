import { listenService, runService } from '../shared/http/service.js';
import { createLogger } from '../shared/log.js';
import { zmqPort } from '../shared/ports.js';
import { analyzeMessageText, type AnalyzeRequest } from '../shared/protocol/zmq.js';
import { buildAgentServer, type AgentFlags } from './server.js';
import { ZmqMainBridge } from './zmq-main-bridge.js';

const log = createLogger('agent');

/** Until the task pipeline exists, an analyze request is acknowledged (by the bridge) and recorded, nothing more. */
function recordAnalyzeRequest(req: AnalyzeRequest): void {
  log.info(
    {
      event: 'analyze_request',
      event_id: req.event_id,
      trigger: req.trigger,
      lanlan_name: req.lanlan_name,
      messages: req.messages.length,
      last_user_text: analyzeMessageText([...req.messages].reverse().find((m) => m.role === 'user') ?? { role: 'user' }).slice(0, 80),
    },
    'analyze request received (no task pipeline yet: not acted on)',
  );
}

await runService(
  'agent',
  async () => {
    const env = process.env;
    const flags: AgentFlags = { computer_use_enabled: false, browser_use_enabled: false, user_plugin_enabled: false, mcp_enabled: false };
    const bridge = new ZmqMainBridge({
      log,
      host: env.NEKO_MAIN_HOST?.trim() || '127.0.0.1',
      ports: { sessionPub: zmqPort('sessionPub', env), agentPush: zmqPort('agentPush', env), analyzePush: zmqPort('analyzePush', env) },
      onAnalyzeRequest: recordAnalyzeRequest,
      onSessionEvent: (event) => log.debug({ event_type: event.event_type }, 'session event from main'),
    });
    bridge.start();
    const app = await buildAgentServer({ log, env, flags: () => ({ ...flags }), zmqStatus: () => bridge.status() });
    await listenService(app, 'agent', env);
    return {
      close: async () => {
        await app.close();
        await bridge.close();
      },
    };
  },
  log,
);
