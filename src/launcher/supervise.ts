import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { isNekoHealth } from '../shared/health.js';
import { EXIT_CONFIG_ERROR, EXIT_STOP_REQUESTED } from '../shared/exit-codes.js';
import type { ServiceName } from '../shared/ports.js';
import { Backoff } from './backoff.js';
import { getJson } from './get-json.js';

export interface SupervisedOptions {
  service: ServiceName;
  /** node arguments that run the service (script path, loaders). */
  args: string[];
  env: NodeJS.ProcessEnv;
  healthUrl: string;
  instanceId: string;
  token?: string;
}

export interface SupervisorEvents {
  line: [service: ServiceName, line: string];
  /** A message from the supervisor itself (restarts, give-ups). */
  notice: [service: ServiceName, level: 'info' | 'warn' | 'error', message: string];
  /** The service exited for a reason a restart cannot fix (bad config, port taken). */
  fatal: [service: ServiceName, reason: string];
  /** The service stopped because the user asked the whole app to stop (the page of a browser-mode launch closed). */
  'stop-requested': [service: ServiceName];
}

/** Poll interval while waiting for /health: short, start-up time is measured against it. */
const HEALTH_POLL_MS = 25;

/**
 * One service process under supervision: spawn, wait for /health (with our instance id, so a squatter on
 * the port does not count), restart with back-off when it dies, stop on request.
 */
export class SupervisedService extends EventEmitter<SupervisorEvents> {
  private child?: ChildProcess;
  private readonly backoff = new Backoff();
  private stopping = false;
  private startedAt = 0;
  private restartTimer?: NodeJS.Timeout;
  private lastFatal = '';

  constructor(private readonly opts: SupervisedOptions) {
    super();
  }

  get service(): ServiceName {
    return this.opts.service;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.stopping) return;
    this.startedAt = Date.now();
    this.lastFatal = '';
    const child = spawn(process.execPath, this.opts.args, { env: this.opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const relay = (line: string) => {
      if (line.includes('"startup_failed"')) {
        try {
          this.lastFatal = String((JSON.parse(line) as { reason?: string }).reason ?? line);
        } catch {
          this.lastFatal = line;
        }
      }
      this.emit('line', this.opts.service, line);
    };
    createInterface({ input: child.stdout! }).on('line', relay);
    createInterface({ input: child.stderr! }).on('line', relay);
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.child = undefined;
    if (this.stopping) return;
    if (code === EXIT_STOP_REQUESTED) {
      this.emit('stop-requested', this.opts.service);
      return;
    }
    if (code === EXIT_CONFIG_ERROR) {
      this.emit('fatal', this.opts.service, this.lastFatal || `${this.opts.service} refused to start (exit ${code})`);
      return;
    }
    const uptime = Date.now() - this.startedAt;
    const delay = this.backoff.next(uptime);
    this.emit('notice', this.opts.service, 'warn', `${this.opts.service} exited (${signal ?? `code ${code}`}) after ${(uptime / 1000).toFixed(1)} s; restarting in ${delay} ms (attempt ${this.backoff.consecutiveFailures})`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.start();
      void this.waitHealthy(30_000).then(
        () => this.emit('notice', this.opts.service, 'info', `${this.opts.service} is back`),
        () => undefined,
      );
    }, delay);
  }

  /** One health probe: true only for a neko service with our instance id. */
  async probe(timeoutMs = 500): Promise<boolean> {
    try {
      const body = await getJson(this.opts.healthUrl, {
        timeoutMs,
        headers: this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {},
      });
      return isNekoHealth(body, this.opts.service) && body.instance_id === this.opts.instanceId;
    } catch {
      return false;
    }
  }

  /** Resolves when /health answers for this launch; rejects on timeout or if the process gave up. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.stopping) throw new Error('stopping');
      if (await this.probe()) return;
      await new Promise((r) => setTimeout(r, HEALTH_POLL_MS));
    }
    throw new Error(`${this.opts.service} did not answer /health within ${timeoutMs} ms`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
}
