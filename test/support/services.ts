import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ServiceName } from '../../src/shared/ports.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');

/** A fresh user data folder for one test; removed by `cleanup()`. */
export function tempDataDir(prefix = 'neko-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningService {
  service: ServiceName;
  port: number;
  url: string;
  proc: ChildProcess;
  /** Every log line the process printed (JSON objects where they parse). */
  logs: Array<Record<string, unknown>>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<number | null>;
  exited: Promise<number | null>;
}

const PORT_ENV: Record<ServiceName, string> = {
  main: 'NEKO_MAIN_SERVER_PORT',
  memory: 'NEKO_MEMORY_SERVER_PORT',
  monitor: 'NEKO_MONITOR_SERVER_PORT',
  agent: 'NEKO_TOOL_SERVER_PORT',
};

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  args?: string[];
  timeoutMs?: number;
}

/**
 * Starts one service as a real process (through tsx, from src/) and resolves once it logs that it listens.
 * Rejects with the process's last log lines if it exits first.
 */
export function startService(service: ServiceName, opts: StartOptions = {}): Promise<RunningService> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Logs are captured, not printed: keep info so the 'listening' line (and evidence for assertions) arrives.
    NEKO_LOG_LEVEL: 'info',
    [PORT_ENV[service]]: String(opts.port ?? 0),
    // main binds three ZeroMQ ports; ephemeral ones let tests (and a running neko) coexist. Tests that pair
    // main with an agent pass explicit ports in opts.env.
    ...(service === 'main' ? { NEKO_ZMQ_SESSION_PUB_PORT: '0', NEKO_ZMQ_AGENT_PUSH_PORT: '0', NEKO_ZMQ_ANALYZE_PUSH_PORT: '0' } : {}),
    ...opts.env,
  };
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', service, 'index.ts'), ...(opts.args ?? [])], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  const collect = (line: string) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      logs.push({ text: line });
    }
  };
  createInterface({ input: proc.stdout! }).on('line', collect);
  createInterface({ input: proc.stderr! }).on('line', collect);

  return new Promise((resolveStart, reject) => {
    const timeout = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${service} did not start within ${opts.timeoutMs ?? 20000} ms: ${JSON.stringify(logs.slice(-5))}`));
    }, opts.timeoutMs ?? 20000);
    const check = setInterval(() => {
      const ready = logs.find((l) => l.event === 'listening');
      if (!ready) return;
      clearInterval(check);
      clearTimeout(timeout);
      const port = Number(ready.port);
      const stopWith = (signal: NodeJS.Signals) => async () => {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
        return exited;
      };
      resolveStart({ service, port, url: `http://127.0.0.1:${port}`, proc, logs, exited, stop: stopWith('SIGTERM'), kill: stopWith('SIGKILL') });
    }, 20);
    void exited.then((code) => {
      clearInterval(check);
      clearTimeout(timeout);
      reject(new Error(`${service} exited with ${code} before listening: ${JSON.stringify(logs.slice(-5))}`));
    });
  });
}

/** fetch + JSON, for tests. */
export async function http(url: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(url, { ...init, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** `n` distinct free loopback ports (bound together, then released) for processes that need fixed ports. */
export async function freePorts(n: number): Promise<number[]> {
  const { createServer } = await import('node:net');
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<import('node:net').Server>((res, rej) => {
      const s = createServer();
      s.once('error', rej);
      s.listen(0, '127.0.0.1', () => res(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Environment that puts all four services and the ZeroMQ sockets on the given ports. */
export function portEnv(ports: number[]): Record<string, string> {
  const [main, memory, monitor, agent, pub, push, analyze] = ports.map(String);
  return {
    NEKO_MAIN_SERVER_PORT: main!,
    NEKO_MEMORY_SERVER_PORT: memory!,
    NEKO_MONITOR_SERVER_PORT: monitor!,
    NEKO_TOOL_SERVER_PORT: agent!,
    NEKO_ZMQ_SESSION_PUB_PORT: pub!,
    NEKO_ZMQ_AGENT_PUSH_PORT: push!,
    NEKO_ZMQ_ANALYZE_PUSH_PORT: analyze!,
  };
}

export { waitFor } from './wait.js';
