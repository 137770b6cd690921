import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAgentChatCompletions, SIM_AGENT_CHAT_PATH, SIM_AGENT_MODEL } from '../../main/sim/agent-routes.js';
import type { AgentModelEndpoint } from './chat-client.js';

/**
 * The offline agent model served inside the agent process on a loopback port, so choosing `sim` works with no
 * other process running. It is the same handler the main sim server exposes at SIM_AGENT_CHAT_PATH.
 */
export class SimAgentEndpoint {
  private server: Server | undefined;
  private ready: Promise<AgentModelEndpoint> | undefined;

  endpoint(): Promise<AgentModelEndpoint> {
    this.ready ??= new Promise((resolve, reject) => {
      const server = createServer((req, res) => {
        if (req.method === 'POST' && req.url?.split('?')[0] === SIM_AGENT_CHAT_PATH) {
          handleAgentChatCompletions(req, res).catch(() => res.writeHead(500).end());
          return;
        }
        res.writeHead(404).end();
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        this.server = server;
        const { port } = server.address() as AddressInfo;
        resolve({ baseUrl: `http://127.0.0.1:${port}${SIM_AGENT_CHAT_PATH.replace(/\/chat\/completions$/, '')}`, model: SIM_AGENT_MODEL, apiKey: 'neko-sim-local' });
      });
    });
    return this.ready;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.ready = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}
