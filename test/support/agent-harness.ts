import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZmqAgentBridge } from '../../src/main/bridges/zmq-agent-bridge.js';
import { createLogger } from '../../src/shared/log.js';
import type { AgentEvent } from '../../src/shared/protocol/zmq.js';
import { http, ROOT, startService, type RunningService } from './services.js';
import { waitFor } from './wait.js';

/** MCP server entries for the reference servers installed from npm (run with this Node, no npx). */
export const everythingServer = () => ({
  command: process.execPath,
  args: [join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
});
export const filesystemServer = (root: string) => ({
  command: process.execPath,
  args: [join(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js'), root],
});
/** A deliberately broken MCP server (test/support/garbage-mcp-server.ts). */
export const garbageServer = () => ({
  command: process.execPath,
  args: ['--import', 'tsx', join(ROOT, 'test/support/garbage-mcp-server.ts')],
  cwd: ROOT,
  // Short call timeout: a reply the SDK cannot parse is dropped, so that call can only end by timing out.
  timeout: 3,
});

export function writeMcpConfig(dataDir: string, servers: Record<string, unknown>): void {
  mkdirSync(join(dataDir, 'config'), { recursive: true });
  writeFileSync(join(dataDir, 'config', 'mcp_servers.json'), JSON.stringify({ mcpServers: servers }, null, 2));
}

/**
 * Main's real ZmqAgentBridge in the test process plus the real agent process on the other end, with every
 * agent→main event recorded. The agent uses the offline `sim` agent model.
 */
export class AgentHarness {
  readonly events: AgentEvent[] = [];
  readonly bridge = new ZmqAgentBridge(createLogger('test', 'silent'));
  agent!: RunningService;
  ports!: { sessionPub: number; agentPush: number; analyzePush: number };

  constructor(
    readonly dataDir: string,
    private readonly env: Record<string, string> = {},
  ) {
    this.bridge.on('event', (e) => this.events.push(e));
  }

  async start(): Promise<void> {
    ({ ports: this.ports } = await this.bridge.start({ host: '127.0.0.1', ports: { sessionPub: 0, agentPush: 0, analyzePush: 0 } }));
    await this.startAgent();
  }

  async startAgent(): Promise<RunningService> {
    this.agent = await startService('agent', {
      env: {
        NEKO_DATA_DIR: this.dataDir,
        NEKO_ASSIST_API: 'sim',
        NEKO_ZMQ_SESSION_PUB_PORT: String(this.ports.sessionPub),
        NEKO_ZMQ_AGENT_PUSH_PORT: String(this.ports.agentPush),
        NEKO_ZMQ_ANALYZE_PUSH_PORT: String(this.ports.analyzePush),
        ...this.env,
      },
    });
    return this.agent;
  }

  get url(): string {
    return this.agent.url;
  }

  /** Writes `servers` as the MCP config, starts the agent and switches the analyzer and MCP on. */
  async startWithMcp(servers: Record<string, unknown>): Promise<void> {
    writeMcpConfig(this.dataDir, servers);
    await this.start();
    await this.enable({ mcp_enabled: true });
  }

  /** Turns the analyzer and the given capability flags on, then waits for MCP tools if MCP was asked for. */
  async enable(flags: Record<string, boolean>): Promise<void> {
    const on = await http(`${this.url}/agent/command`, { method: 'POST', json: { command: 'set_agent_enabled', enabled: true } });
    if (on.status !== 200) throw new Error(`set_agent_enabled: ${JSON.stringify(on.body)}`);
    const res = await http(`${this.url}/agent/flags`, { method: 'POST', json: flags });
    if (res.status !== 200) throw new Error(`flags: ${JSON.stringify(res.body)}`);
    if (flags.mcp_enabled) await this.mcpReady();
  }

  /** Every configured MCP server connected with its tools listed. */
  async mcpReady(): Promise<void> {
    await waitFor('all MCP servers ready', async () => {
      const servers = (await http(`${this.url}/mcp/servers`)).body.servers as Array<{ state: string }>;
      return servers.length > 0 && servers.every((s) => s.state === 'ready');
    }, 20_000, 100);
  }

  /** Sends an analyze_request as main does at a turn end (acknowledged PUSH path); waits for the agent to be reachable. */
  async analyze(userText: string, lanlanName = 'test'): Promise<void> {
    const request = { trigger: 'turn_end' as const, lanlan_name: lanlanName, conversation_id: 'conv-test', messages: [{ role: 'user', content: userText }] };
    await waitFor('analyze ack', () => this.bridge.requestAnalyze(request), 10_000, 50);
  }

  ofType<T extends AgentEvent['event_type']>(type: T): Extract<AgentEvent, { event_type: T }>[] {
    return this.events.filter((e) => e.event_type === type) as Extract<AgentEvent, { event_type: T }>[];
  }

  waitForResult(what: string, match: (e: Extract<AgentEvent, { event_type: 'task_result' }>) => boolean = () => true, timeoutMs = 20_000) {
    return waitFor(what, () => this.ofType('task_result').find(match), timeoutMs, 20);
  }

  /** Task ids that reached `status` according to task_update events. */
  taskIdsWith(status: string): string[] {
    return [...new Set(this.ofType('task_update').filter((e) => e.task.status === status).map((e) => e.task.id))];
  }

  async close(): Promise<void> {
    await this.agent?.kill();
    await this.bridge.close();
  }
}
