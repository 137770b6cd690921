import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { EventEmitter } from 'node:events';
import type { Logger } from '../../shared/log.js';
import type { ToolDefinition } from '../model/chat-client.js';
import { loadMcpConfig, saveMcpConfig, type McpConfig } from './mcp-config.js';
import { McpCallError, McpConnection, type McpCallOptions } from './mcp-connection.js';
import { describeToolResult, type ToolOutcome } from './mcp-result.js';

/** Prefix of every MCP tool name shown to the model: `mcp__<server>__<tool>`. */
export const MCP_TOOL_PREFIX = 'mcp__';
/** OpenAI-style function names allow at most 64 of [A-Za-z0-9_-]. */
const MAX_FUNCTION_NAME = 64;
/** Tool descriptions and schemas go into every planning prompt; long ones are cut. */
const MAX_DESCRIPTION = 400;

export interface McpToolRef {
  server: string;
  tool: string;
  qualifiedName: string;
  definition: Tool;
}

function plain(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * All configured MCP servers. Runs them only while MCP is enabled, offers their tools to the model under
 * qualified names, and routes calls back to the right server.
 */
export class McpManager extends EventEmitter<{ changed: [] }> {
  private readonly connections = new Map<string, McpConnection>();
  private config: McpConfig = { mcpServers: {} };
  private running = false;
  configError: string | null = null;

  constructor(
    private readonly file: string,
    private readonly log: Logger,
  ) {
    super();
  }

  /** Re-reads the config file; running servers whose entry changed are restarted. */
  async reload(): Promise<void> {
    try {
      this.config = loadMcpConfig(this.file);
      this.configError = null;
    } catch (err) {
      this.configError = (err as Error).message;
      this.log.error({ err: this.configError }, 'mcp config unreadable; keeping the servers as they were');
      return;
    }
    if (this.running) await this.sync();
    this.emit('changed');
  }

  async replaceConfig(config: McpConfig): Promise<void> {
    saveMcpConfig(this.file, config);
    await this.reload();
  }

  currentConfig(): McpConfig {
    return this.config;
  }

  async setEnabled(enabled: boolean): Promise<void> {
    if (enabled === this.running) return;
    this.running = enabled;
    if (enabled) await this.sync();
    else await this.stopAll();
    this.emit('changed');
  }

  get enabled(): boolean {
    return this.running;
  }

  /** Waits until every enabled server is ready or `timeoutMs` passes. */
  async whenReady(timeoutMs: number): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.whenReady(timeoutMs)));
  }

  toolRefs(): McpToolRef[] {
    const out: McpToolRef[] = [];
    for (const conn of this.connections.values()) {
      if (conn.state !== 'ready') continue;
      for (const tool of conn.tools) {
        const qualifiedName = `${MCP_TOOL_PREFIX}${plain(conn.name)}__${plain(tool.name)}`.slice(0, MAX_FUNCTION_NAME);
        out.push({ server: conn.name, tool: tool.name, qualifiedName, definition: tool });
      }
    }
    return out;
  }

  /** The tools as chat-completions function definitions. */
  toolDefinitions(): ToolDefinition[] {
    return this.toolRefs().map((ref) => ({
      type: 'function',
      function: {
        name: ref.qualifiedName,
        description: `[MCP server "${ref.server}"] ${(ref.definition.description ?? ref.definition.title ?? ref.tool).slice(0, MAX_DESCRIPTION)}`,
        parameters: (ref.definition.inputSchema as Record<string, unknown>) ?? { type: 'object', properties: {} },
      },
    }));
  }

  findTool(qualifiedName: string): McpToolRef | undefined {
    return this.toolRefs().find((r) => r.qualifiedName === qualifiedName);
  }

  /** Calls a tool; failures of any kind come back as an unsuccessful outcome with a readable reason. */
  async call(server: string, tool: string, args: Record<string, unknown>, opts: McpCallOptions = {}): Promise<ToolOutcome> {
    const conn = this.connections.get(server);
    if (!conn) return { success: false, text: `MCP server "${server}" is not configured or not running` };
    try {
      return describeToolResult(await conn.callTool(tool, args, opts));
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      if (err instanceof McpCallError) return { success: false, text: err.message };
      return { success: false, text: `MCP tool "${tool}" failed: ${(err as Error).message}` };
    }
  }

  /** Per-server timeout for a call (used as the task's own timeout). */
  callTimeoutMs(server: string): number | undefined {
    return this.connections.get(server)?.callTimeoutMs;
  }

  status(): Record<string, unknown>[] {
    return [...this.connections.values()].map((c) => c.status());
  }

  /** MCP is usable when it is on and at least one server offers tools. */
  availability(): { ready: boolean; capabilities_count: number; reasons: string[] } {
    const tools = this.toolRefs().length;
    const reasons: string[] = [];
    if (!this.running) reasons.push('MCP_DISABLED');
    else if (Object.keys(this.config.mcpServers).length === 0) reasons.push('MCP_NO_SERVERS_CONFIGURED');
    else if (tools === 0) reasons.push('MCP_NO_SERVER_READY');
    if (this.configError) reasons.push(`MCP_CONFIG_INVALID: ${this.configError}`);
    return { ready: this.running && tools > 0, capabilities_count: tools, reasons };
  }

  async close(): Promise<void> {
    this.running = false;
    await this.stopAll();
  }

  /** Starts servers the config has and we do not run; stops removed, disabled or changed ones. */
  private async sync(): Promise<void> {
    const wanted = Object.entries(this.config.mcpServers).filter(([, c]) => !c.disabled);
    const wantedNames = new Set(wanted.map(([n]) => n));
    const stops: Promise<void>[] = [];
    for (const [name, conn] of this.connections) {
      const next = this.config.mcpServers[name];
      if (!wantedNames.has(name) || JSON.stringify(next) !== JSON.stringify(conn.config)) {
        this.connections.delete(name);
        stops.push(conn.stop());
      }
    }
    await Promise.all(stops);
    for (const [name, config] of wanted) {
      if (this.connections.has(name)) continue;
      const conn = new McpConnection(name, config, this.log, () => this.emit('changed'));
      this.connections.set(name, conn);
      conn.start();
    }
  }

  private async stopAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => c.stop()));
  }
}
