import { listenService, runService } from '../shared/http/service.js';
import { createLogger } from '../shared/log.js';
import { buildAgentServer, type AgentFlags } from './server.js';

const log = createLogger('agent');

await runService(
  'agent',
  async () => {
    const env = process.env;
    const flags: AgentFlags = { computer_use_enabled: false, browser_use_enabled: false, user_plugin_enabled: false, mcp_enabled: false };
    const app = await buildAgentServer({ log, env, flags: () => ({ ...flags }) });
    await listenService(app, 'agent', env);
    return { close: () => app.close() };
  },
  log,
);
