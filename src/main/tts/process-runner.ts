import { fork, type ChildProcess } from 'node:child_process';
import { childEntry } from '../../shared/worker-entry.js';
import type { RunnerCommand, RunnerEvent } from './process-runner-protocol.js';

export interface RunResult {
  code: number | null;
  stderr: string;
}

interface Running {
  push(chunk: Buffer): void;
  finish(result: RunResult): void;
  fail(error: Error): void;
}

/**
 * Runs short-lived programs (espeak-ng, sox) through a small helper process and streams their output back, so
 * that starting them never stalls the main event loop (see process-runner-child.ts for why not a worker
 * thread). One helper per process, started on first use.
 */
export class ProcessRunner {
  private helper?: ChildProcess;
  private nextId = 1;
  private readonly running = new Map<number, Running>();

  private ensureHelper(): ChildProcess {
    if (this.helper) return this.helper;
    const { modulePath, execArgv } = childEntry(import.meta.url, 'process-runner-child');
    const helper = fork(modulePath, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    helper.on('message', (event: RunnerEvent) => {
      const run = this.running.get(event.id);
      if (!run) return;
      if (event.op === 'stdout') run.push(Buffer.from(event.data.buffer, event.data.byteOffset, event.data.byteLength));
      else if (event.op === 'exit') run.finish({ code: event.code, stderr: event.stderr });
      else run.fail(new Error(event.message));
    });
    const lost = (error: Error) => {
      if (this.helper !== helper) return;
      this.helper = undefined;
      for (const run of this.running.values()) run.fail(error);
      this.running.clear();
    };
    helper.on('error', (err) => lost(new Error(`process runner failed: ${err.message}`)));
    helper.on('exit', (code, signal) => lost(new Error(`process runner exited (${signal ?? `code ${code}`})`)));
    this.helper = helper;
    this.idle(helper);
    return helper;
  }

  /** An idle helper must not keep main alive; a run in progress does. */
  private idle(helper: ChildProcess): void {
    helper.unref();
    helper.channel?.unref();
  }

  private busy(helper: ChildProcess): void {
    helper.ref();
    helper.channel?.ref();
  }

  /**
   * Starts `command` with `stdin`; yields its stdout as it arrives; `done` settles with the exit code.
   * Aborting `signal` kills the process.
   */
  run(command: string, args: string[], opts: { stdin?: string | Buffer; niceness?: number; signal?: AbortSignal } = {}): { stdout: AsyncIterable<Buffer>; done: Promise<RunResult> } {
    const helper = this.ensureHelper();
    const id = this.nextId++;
    const queue: Buffer[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    let failure: Error | undefined;
    let settle!: { resolve: (r: RunResult) => void; reject: (e: Error) => void };
    const done = new Promise<RunResult>((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => undefined);
    const finishWith = () => {
      this.running.delete(id);
      if (this.running.size === 0 && this.helper) this.idle(this.helper);
      ended = true;
      wake?.();
      opts.signal?.removeEventListener('abort', kill);
    };
    this.running.set(id, {
      push: (chunk) => {
        queue.push(chunk);
        wake?.();
      },
      finish: (result) => {
        finishWith();
        settle.resolve(result);
      },
      fail: (error) => {
        failure = error;
        finishWith();
        settle.reject(error);
      },
    });
    this.busy(helper);
    const send = (command: RunnerCommand) => {
      if (helper.connected) helper.send(command);
    };
    const kill = () => send({ op: 'kill', id });
    opts.signal?.addEventListener('abort', kill, { once: true });
    const stdin = opts.stdin === undefined ? undefined : new Uint8Array(Buffer.from(opts.stdin));
    send({ op: 'run', id, command, args, stdin, niceness: opts.niceness });
    async function* stdout(): AsyncGenerator<Buffer> {
      for (;;) {
        if (queue.length) {
          yield queue.shift()!;
          continue;
        }
        if (ended) {
          if (failure) throw failure;
          return;
        }
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    }
    return { stdout: stdout(), done };
  }

  async close(): Promise<void> {
    const helper = this.helper;
    this.helper = undefined;
    if (!helper || helper.exitCode !== null || helper.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => helper.once('exit', () => resolve()));
    helper.ref(); // wait for it even when it was idle (unreferenced)
    helper.disconnect();
    await exited;
  }
}

/** One runner per process, shared by every character's TTS. */
export const sharedProcessRunner = new ProcessRunner();
