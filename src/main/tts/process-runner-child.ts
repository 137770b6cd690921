import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { setPriority } from 'node:os';
import type { RunnerCommand, RunnerEvent } from './process-runner-protocol.js';

/**
 * The small helper process that starts synthesis programs (espeak-ng, sox) for main. Spawning forks the
 * calling process: from any thread of main's large process that fork holds main's memory map locked for
 * milliseconds, which stalls the chat event loop too (measured: lag p99 7.5–9 ms when spawning from a worker
 * thread, 1.5 ms from this process). Here the fork copies only this small process.
 *
 * The last program writes straight into a socket connected to main, so audio never passes through here.
 */
if (!process.send) throw new Error('process-runner-child must be started with an IPC channel (child_process.fork)');
const send = process.send.bind(process);
/** Run id → the processes of its pipeline (and, before they start, its output connection). */
const runs = new Map<number, { children: ChildProcess[]; output?: Socket }>();
const post = (event: RunnerEvent) => send(event);

process.on('message', (command: RunnerCommand) => {
  if (command.op === 'kill') {
    const run = runs.get(command.id);
    if (!run) return;
    if (run.children.length === 0) {
      // Not started yet (its output connection is still being made): it ends here, killed.
      runs.delete(command.id);
      run.output?.destroy();
      post({ op: 'exit', id: command.id, code: null, stderr: '' });
    }
    for (const child of run.children) child.kill('SIGKILL');
    return;
  }
  const run = { children: [] as ChildProcess[], output: undefined as Socket | undefined };
  runs.set(command.id, run);
  const output = connect(command.output.socket);
  run.output = output;
  output.once('error', (err) => {
    runs.delete(command.id);
    post({ op: 'error', id: command.id, message: `output connection: ${err.message}` });
  });
  output.once('connect', () => {
    output.write(command.output.token, () => {
      if (runs.get(command.id) !== run) return output.destroy(); // killed meanwhile
      start(command, run.children, output);
      run.output = undefined;
      output.destroy(); // the last program holds its own copy
    });
  });
});

function start(command: RunnerCommand & { op: 'run' }, children: ChildProcess[], output: Socket): void {
  const { id, stages, stdin, niceness } = command;
  const stderr: string[] = stages.map(() => '');
  const codes: (number | null)[] = [];
  let open = stages.length;
  let failed = false;
  const fail = (message: string) => {
    if (failed) return;
    failed = true;
    for (const child of children) child.kill('SIGKILL');
    runs.delete(id);
    post({ op: 'error', id, message });
  };
  for (const [i, stage] of stages.entries()) {
    let child: ChildProcess;
    try {
      // Each stage reads the previous stage's stdout through a kernel pipe; the last one writes to main.
      const input = i === 0 ? 'pipe' : children[i - 1]!.stdout!;
      child = spawn(stage.command, stage.args, { stdio: [input, i === stages.length - 1 ? output : 'pipe', 'pipe'] });
    } catch (err) {
      fail(`${stage.command}: ${(err as Error).message}`);
      return;
    }
    children.push(child);
    if (i > 0) children[i - 1]!.stdout!.destroy(); // the next stage holds its own copy of the pipe
    if (niceness !== undefined && child.pid !== undefined) {
      try {
        setPriority(child.pid, niceness);
      } catch {
        // already exited, or not permitted: priority is an optimisation
      }
    }
    child.stderr!.on('data', (d: Buffer) => (stderr[i] = (stderr[i] + d.toString()).slice(-500)));
    child.once('error', (err) => fail(`${stage.command}: ${err.message}`));
    child.once('close', (code) => {
      codes[i] = code;
      if (--open > 0 || failed) return;
      runs.delete(id);
      // Like `set -o pipefail`: the first stage that did not succeed decides the result.
      const bad = codes.findIndex((c) => c !== 0);
      post({ op: 'exit', id, code: bad < 0 ? 0 : codes[bad]!, stderr: stderr.filter(Boolean).join('\n') });
    });
  }
  const first = children[0]!;
  first.stdin!.on('error', () => undefined); // the process may exit before reading its input
  first.stdin!.end(stdin ? Buffer.from(stdin) : undefined);
}

// Main went away (exit, crash): take every program we started with us.
process.on('disconnect', () => {
  for (const run of runs.values()) for (const child of run.children) child.kill('SIGKILL');
  process.exit(0);
});
