import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEntry } from '../../shared/worker-entry.js';
import { OUTPUT_TOKEN_BYTES, type PipelineStage, type RunnerCommand, type RunnerEvent } from './process-runner-protocol.js';

export type { PipelineStage } from './process-runner-protocol.js';

export interface RunResult {
  code: number | null;
  stderr: string;
}

export interface RunOptions {
  stdin?: string | Buffer;
  /** Priority of the started programs (0 normal … 19 lowest). */
  niceness?: number;
  signal?: AbortSignal;
}

export interface RunningProgram {
  stdout: AsyncIterable<Buffer>;
  done: Promise<RunResult>;
}

interface Running {
  /** The connection carrying the last program's stdout. */
  attach(output: Socket): void;
  /** The helper's report: the exit status, or why the run could not start. */
  settle(event: RunnerEvent): void;
}

/**
 * Where the helper connects each run's output: an abstract socket on Linux (nothing to clean up), a socket
 * file in a private directory elsewhere. Either way a connection counts only with a run's random token.
 */
function outputSocketPath(): { path: string; cleanup: () => void } {
  const name = `neko-runner-${process.pid}-${randomBytes(8).toString('hex')}`;
  if (process.platform === 'linux') return { path: `\0${name}`, cleanup: () => undefined };
  if (process.platform === 'win32') return { path: `\\\\.\\pipe\\${name}`, cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'neko-runner-'));
  return { path: join(dir, 'out.sock'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs short-lived programs (espeak-ng, sox) through a small helper process and streams their output back, so
 * that starting them never stalls the main event loop (see process-runner-child.ts for why not a worker
 * thread). The helper only starts programs: their output comes to main over a socket, read like any stream,
 * without passing through the helper or its IPC channel. One helper per process, started on first use.
 */
export class ProcessRunner {
  private helper?: ChildProcess;
  private output?: { server: Server; path: string; cleanup: () => void };
  private nextId = 1;
  private readonly running = new Map<number, Running>();
  /** Hex token → the run waiting for its output connection. */
  private readonly awaitingOutput = new Map<string, Running>();

  private ensureHelper(): { helper: ChildProcess; socket: string } {
    const output = this.ensureOutputServer();
    if (this.helper) return { helper: this.helper, socket: output.path };
    const { modulePath, execArgv } = childEntry(import.meta.url, 'process-runner-child');
    const helper = fork(modulePath, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    helper.on('message', (event: RunnerEvent) => this.running.get(event.id)?.settle(event));
    const lost = (error: Error) => {
      if (this.helper !== helper) return;
      this.helper = undefined;
      for (const [id, run] of this.running) run.settle({ op: 'error', id, message: error.message });
    };
    helper.on('error', (err) => lost(new Error(`process runner failed: ${err.message}`)));
    helper.on('exit', (code, signal) => lost(new Error(`process runner exited (${signal ?? `code ${code}`})`)));
    this.helper = helper;
    this.idle(helper);
    return { helper, socket: output.path };
  }

  private ensureOutputServer(): { path: string } {
    if (this.output) return this.output;
    const { path, cleanup } = outputSocketPath();
    const server = createServer((socket) => this.identify(socket));
    server.on('error', () => undefined); // a failed listen shows up as each run's connection error
    server.listen(path);
    server.unref();
    this.output = { server, path, cleanup };
    return this.output;
  }

  /** Reads a new output connection's token and hands the connection to its run; strangers are dropped. */
  private identify(socket: Socket): void {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      if (head.length < OUTPUT_TOKEN_BYTES) return;
      socket.off('data', onData);
      socket.pause();
      const run = this.awaitingOutput.get(head.subarray(0, OUTPUT_TOKEN_BYTES).toString('hex'));
      if (!run) return void socket.destroy();
      const rest = head.subarray(OUTPUT_TOKEN_BYTES);
      if (rest.length) socket.unshift(rest);
      run.attach(socket);
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
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
  run(command: string, args: string[], opts: RunOptions = {}): RunningProgram {
    return this.runPipeline([{ command, args }], opts);
  }

  /**
   * Like run(), for programs joined stdout → stdin (`a | b`): `stdin` goes to the first, the last one's
   * stdout comes back, and the exit code is the first failing stage's (as with `set -o pipefail`).
   */
  runPipeline(stages: PipelineStage[], opts: RunOptions = {}): RunningProgram {
    if (stages.length === 0) throw new RangeError('a pipeline needs at least one program');
    const { helper, socket } = this.ensureHelper();
    const id = this.nextId++;
    const token = randomBytes(OUTPUT_TOKEN_BYTES);
    const tokenKey = token.toString('hex');
    const queue: Buffer[] = [];
    let wake: (() => void) | undefined;
    let output: Socket | undefined;
    let outputEnded = false;
    let exit: RunResult | undefined;
    let failure: Error | undefined;
    let finished = false;
    let settle!: { resolve: (r: RunResult) => void; reject: (e: Error) => void };
    const done = new Promise<RunResult>((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => undefined);
    const send = (command: RunnerCommand) => {
      if (helper.connected) helper.send(command);
    };
    const kill = () => send({ op: 'kill', id });
    // Done once the program has exited and its output is read to the end (they arrive on different channels).
    const maybeFinish = () => {
      if (finished || !(failure || (exit && outputEnded))) return;
      finished = true;
      this.running.delete(id);
      this.awaitingOutput.delete(tokenKey);
      if (this.running.size === 0 && this.helper) this.idle(this.helper);
      opts.signal?.removeEventListener('abort', kill);
      if (failure) {
        output?.destroy();
        settle.reject(failure);
      } else settle.resolve(exit!);
      wake?.();
    };
    const run: Running = {
      attach: (socket) => { 
        this.awaitingOutput.delete(tokenKey);
        output = socket;
        socket.on('data', (chunk: Buffer) => {
          queue.push(chunk);
          wake?.();
        });
        socket.once('close', () => { 
          outputEnded = true;
          maybeFinish();
        });
        if (finished) socket.destroy();
        else socket.resume();
      },
      settle: (event) => { 
        if (event.op === 'exit') {
          exit = { code: event.code, stderr: event.stderr };
          // Killed or failed before its output connection was made: there is no output to wait for.
          if (!output) outputEnded = true;
        } else failure = new Error(event.message);
        maybeFinish();
      },
    };
    this.running.set(id, run);
    this.awaitingOutput.set(tokenKey, run);
    this.busy(helper);
    opts.signal?.addEventListener('abort', kill, { once: true });
    const stdin = opts.stdin === undefined ? undefined : new Uint8Array(Buffer.from(opts.stdin));
    send({ op: 'run', id, stages, stdin, niceness: opts.niceness, output: { socket, token: new Uint8Array(token) } });
    async function* stdout(): AsyncGenerator<Buffer> {
      for (;;) {
        if (queue.length) {
          yield queue.shift()!;
          continue;
        }
        if (finished) {
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
    const output = this.output;
    this.output = undefined;
    if (output) {
      output.server.close();
      output.cleanup();
    }
    if (!helper || helper.exitCode !== null || helper.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => helper.once('exit', () => resolve()));
    helper.ref(); // wait for it even when it was idle (unreferenced)
    helper.disconnect();
    await exited;
  }
}

/** One runner per process, shared by every character's TTS. */
export const sharedProcessRunner = new ProcessRunner();
