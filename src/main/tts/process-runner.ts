import { Worker } from 'node:worker_threads';
import { workerEntry } from '../../shared/worker-entry.js';
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
 * Runs short-lived programs (espeak-ng, sox) from a worker thread and streams their output back, so that
 * starting them never stalls the main event loop. One worker per process, started on first use.
 */
export class ProcessRunner {
  private worker?: Worker;
  private nextId = 1;
  private readonly running = new Map<number, Running>();

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const { entry, eval: isSource } = workerEntry(import.meta.url, 'process-runner-worker');
    const worker = new Worker(entry, { eval: isSource, name: 'neko-process-runner' });
    worker.on('message', (event: RunnerEvent) => {
      const run = this.running.get(event.id);
      if (!run) return;
      if (event.op === 'stdout') run.push(Buffer.from(event.data.buffer, event.data.byteOffset, event.data.byteLength));
      else if (event.op === 'exit') run.finish({ code: event.code, stderr: event.stderr });
      else run.fail(new Error(event.message));
    });
    const lost = (error: Error) => {
      this.worker = undefined;
      for (const run of this.running.values()) run.fail(error);
      this.running.clear();
    };
    worker.on('error', (err) => lost(new Error(`process runner crashed: ${err.message}`)));
    worker.on('exit', (code) => lost(new Error(`process runner exited with code ${code}`)));
    // After the listeners: adding a 'message' listener re-refs the worker's port. An idle runner must not
    // keep the process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /**
   * Starts `command` with `stdin`; yields its stdout as it arrives; `done` settles with the exit code.
   * Aborting `signal` kills the process.
   */
  run(command: string, args: string[], opts: { stdin?: string | Buffer; niceness?: number; signal?: AbortSignal } = {}): { stdout: AsyncIterable<Buffer>; done: Promise<RunResult> } {
    const worker = this.ensureWorker();
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
      if (this.running.size === 0) this.worker?.unref();
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
    worker.ref(); // a run in progress keeps the process alive until it finishes
    const kill = () => worker.postMessage({ op: 'kill', id } satisfies RunnerCommand);
    opts.signal?.addEventListener('abort', kill, { once: true });
    const stdin = opts.stdin === undefined ? undefined : new Uint8Array(Buffer.from(opts.stdin));
    worker.postMessage({ op: 'run', id, command, args, stdin, niceness: opts.niceness } satisfies RunnerCommand);
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
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}

/** One runner per process, shared by every character's TTS. */
export const sharedProcessRunner = new ProcessRunner();
