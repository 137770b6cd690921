import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Logger } from '../../shared/log.js';
import { DEFAULT_CALL_TIMEOUT_S, isStdioServer, type McpServerConfig } from './mcp-config.js';

export type McpServerState = 'connecting' | 'ready' | 'restarting' | 'stopped';
export type McpTransportKind = 'stdio' | 'streamable-http' | 'sse';

/** Restart delays after a crash; the last one repeats. A server that stays up RESET_AFTER_MS starts over. */
export const RESTART_BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000, 30000];
const RESET_AFTER_MS = 60_000;
/** How long connecting + listing tools may take before the attempt counts as a failure. */
const CONNECT_TIMEOUT_MS = 20_000;
/**
 * Longest a call may run when the server keeps it alive with progress notifications (each one restarts the
 * call's timeout); a server that only ever reports progress still ends.
 */
export const MAX_CALL_WITH_PROGRESS_MS = 30 * 60_000;
/** The SDK's complaint about progress for a call that has already ended. */
const LATE_PROGRESS = /^Received a progress notification for an unknown token/;

/** `notifications/progress` as the SDK hands it over (the token already matched to the call). */
export interface McpProgress {
  progress: number;
  total?: number;
  message?: string;
}

export interface McpCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Asks the server for progress; each notification is passed here and restarts the call's timeout. */
  onProgress?: (progress: McpProgress) => void;
}

/** A tool call failed for a reason the model and the user should read plainly. */
export class McpCallError extends Error {
  override readonly name = 'McpCallError';
}

/**
 * One configured MCP server: connects (spawning it for stdio), lists its tools, runs calls with a timeout,
 * and when the server dies restarts it with back-off. A call in flight when it dies fails with a message
 * saying so rather than hanging.
 */
export class McpConnection {
  state: McpServerState = 'stopped';
  tools: Tool[] = [];
  lastError: string | null = null;
  restarts = 0;
  private client: Client | undefined;
  private transport: Transport | undefined;
  /** The transport spoken; an HTTP server that refused Streamable HTTP stays on SSE for its restarts. */
  private transportKind: McpTransportKind;
  private connectedAt = 0;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readyWaiters: Array<() => void> = [];
  /** The last message the server sent that was not valid MCP (it is dropped by the SDK; a call it answered then times out). */
  private lastProtocolError: { message: string; at: number } | undefined;

  constructor(
    readonly name: string,
    readonly config: McpServerConfig,
    private readonly log: Logger,
    private readonly onChange: () => void = () => {},
  ) {
    this.transportKind = isStdioServer(config) ? 'stdio' : config.type === 'sse' ? 'sse' : 'streamable-http';
  }

  get callTimeoutMs(): number {
    return (this.config.timeout ?? DEFAULT_CALL_TIMEOUT_S) * 1000;
  }

  /** Process id of a stdio server (for /mcp/servers and tests). */
  get pid(): number | null {
    return this.transport instanceof StdioClientTransport ? this.transport.pid : null;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  /** Resolves when the server is ready, or after `timeoutMs` (then check `state`). */
  async whenReady(timeoutMs: number): Promise<boolean> {
    if (this.state === 'ready') return true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return (this.state as McpServerState) === 'ready';
  }

  async callTool(tool: string, args: Record<string, unknown>, opts: McpCallOptions = {}): Promise<CallToolResult> {
    const client = this.client;
    if (this.state !== 'ready' || !client) {
      throw new McpCallError(`MCP server "${this.name}" is not available (${this.state}${this.lastError ? `: ${this.lastError}` : ''})`);
    }
    const timeoutMs = opts.timeoutMs ?? this.callTimeoutMs;
    const startedAt = Date.now();
    const onProgress = opts.onProgress;
    // With `onprogress` the SDK sends a progressToken in `_meta`; progress then restarts the timeout, up to the cap.
    const progress = onProgress ? { onprogress: onProgress, resetTimeoutOnProgress: true, maxTotalTimeout: MAX_CALL_WITH_PROGRESS_MS } : {};
    try {
      return (await client.callTool({ name: tool, arguments: args }, undefined, { signal: opts.signal, timeout: timeoutMs, ...progress })) as CallToolResult;
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const message = (err as Error).message;
      if (this.client !== client || this.state !== 'ready') {
        throw new McpCallError(`MCP server "${this.name}" stopped during the call to "${tool}" (${message}); it is being restarted`);
      }
      if (/Maximum total timeout/i.test(message)) {
        throw new McpCallError(`MCP tool "${tool}" on "${this.name}" was still running after ${Math.round(MAX_CALL_WITH_PROGRESS_MS / 60_000)} min; it was stopped`);
      }
      if (/timed out|RequestTimeout|-32001/i.test(message)) {
        const garbled = this.lastProtocolError && this.lastProtocolError.at >= startedAt ? ` (meanwhile it sent an invalid message: ${this.lastProtocolError.message.slice(0, 200)})` : '';
        throw new McpCallError(`MCP tool "${tool}" on "${this.name}" did not answer within ${Math.round(timeoutMs / 1000)} s${garbled}`);
      }
      throw new McpCallError(`MCP tool "${tool}" on "${this.name}" failed: ${message}`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const client = this.client;
    this.client = undefined;
    this.transport = undefined;
    this.setState('stopped');
    await client?.close().catch(() => {});
  }

  status(): Record<string, unknown> {
    return {
      name: this.name,
      transport: this.transportKind,
      state: this.state,
      tools: this.tools.map((t) => t.name),
      pid: this.pid,
      restarts: this.restarts,
      last_error: this.lastError,
    };
  }

  private makeTransport(): Transport {
    const config = this.config;
    if (isStdioServer(config)) {
      const transport = new StdioClientTransport({
        command: config.command,
        args: config.args ?? [],
        env: { ...getDefaultEnvironment(), ...config.env },
        cwd: config.cwd,
        stderr: 'pipe',
      });
      const stderr = transport.stderr;
      if (stderr) createInterface({ input: stderr as Readable }).on('line', (line) => this.log.debug({ mcp_server: this.name, stderr: line.slice(0, 500) }, 'mcp server stderr'));
      return transport;
    }
    const requestInit = { headers: config.headers ?? {} };
    if (this.transportKind === 'sse') return new SSEClientTransport(new URL(config.url), { requestInit });
    return new StreamableHTTPClientTransport(new URL(config.url), { requestInit });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setState(this.restarts > 0 || this.failures > 0 ? 'restarting' : 'connecting');
    const transport = this.makeTransport();
    const client = new Client({ name: 'neko-agent', version: '0.1.0' });
    this.transport = transport;
    this.client = client;
    client.onerror = (err) => {
      // A progress notification that arrives together with its call's result is dispatched after it; not garbage.
      if (!LATE_PROGRESS.test(err.message)) this.lastProtocolError = { message: err.message, at: Date.now() };
      this.log.debug({ mcp_server: this.name, err: err.message }, 'mcp transport error');
    };
    try {
      const timeout = AbortSignal.timeout(CONNECT_TIMEOUT_MS);
      await client.connect(transport, { signal: timeout, timeout: CONNECT_TIMEOUT_MS });
      const listed = await client.listTools(undefined, { signal: timeout, timeout: CONNECT_TIMEOUT_MS });
      if (this.client !== client) return;
      // Only now does a closed connection mean a crash; a failed start is handled below.
      client.onclose = () => this.closed(client);
      this.tools = listed.tools;
      this.connectedAt = Date.now();
      this.lastError = null;
      this.setState('ready');
      this.log.info({ mcp_server: this.name, tools: this.tools.length, pid: this.pid }, 'mcp server ready');
    } catch (err) {
      if (this.client !== client) return;
      if (this.transportKind === 'streamable-http' && refusedStreamableHttp(err) && !isStdioServer(this.config) && (this.config.type === undefined || this.config.type === 'http')) {
        // An older server (HTTP+SSE): its POST to this URL answers 4xx. Try the SSE transport at once.
        this.log.info({ mcp_server: this.name, err: (err as Error).message }, 'server refused Streamable HTTP; trying HTTP+SSE');
        this.transportKind = 'sse';
        client.onclose = undefined;
        await client.close().catch(() => {});
        this.client = undefined;
        return this.connect();
      }
      this.lastError = (err as Error).message;
      this.log.warn({ mcp_server: this.name, err: this.lastError }, 'mcp server failed to start');
      this.client = undefined;
      client.onclose = undefined;
      await client.close().catch(() => {});
      this.scheduleRestart();
    }
  }

  /** The transport closed. If we did not ask for it, the server crashed or hung up: restart it. */
  private closed(client: Client): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    this.tools = [];
    this.lastError = 'server exited or closed the connection';
    this.log.warn({ mcp_server: this.name }, 'mcp server connection lost; restarting');
    if (Date.now() - this.connectedAt > RESET_AFTER_MS) this.failures = 0;
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.stopped) return;
    const delay = RESTART_BACKOFF_MS[Math.min(this.failures, RESTART_BACKOFF_MS.length - 1)]!;
    this.failures += 1;
    this.restarts += 1;
    this.setState('restarting');
    this.restartTimer = setTimeout(() => void this.connect(), delay);
    this.restartTimer.unref();
  }

  private setState(state: McpServerState): void {
    if (this.state === state) return;
    this.state = state;
    if (state === 'ready') {
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      for (const w of waiters) w();
    }
    this.onChange();
  }
}

/** Streamable HTTP refused with a 4xx other than an auth failure: the server may speak only HTTP+SSE. */
function refusedStreamableHttp(err: unknown): boolean {
  const code = err instanceof StreamableHTTPError ? err.code : undefined;
  return typeof code === 'number' && code >= 400 && code < 500 && code !== 401 && code !== 403;
}
