import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import type { RunnerCommand, RunnerEvent } from './process-runner-protocol.js';

/**
 * The small helper process that starts synthesis programs (espeak-ng, sox) for main. Spawning forks the
 * calling process: from any thread of main's large process that fork holds main's memory map locked for
 * milliseconds, which stalls the chat event loop too (measured: lag p99 7.5–9 ms when spawning from a worker
 * thread, 1.5 ms from this process). Here the fork copies only this small process.
 */
if (!process.send) throw new Error('process-runner-child must be started with an IPC channel (child_process.fork)');
const send = process.send.bind(process);
const children = new Map<number, ChildProcess>();
const post = (event: RunnerEvent) => send(event);

process.on('message', (command: RunnerCommand) => {
  if (command.op === 'kill') {
    children.get(command.id)?.kill('SIGKILL');
    return;
  }
  const { id } = command;
  let child: ChildProcess;
  try {
    child = spawn(command.command, command.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    post({ op: 'error', id, message: (err as Error).message });
    return;
  }
  children.set(id, child);
  if (command.niceness !== undefined && child.pid !== undefined) {
    try {
      setPriority(child.pid, command.niceness);
    } catch {
      // already exited, or not permitted: priority is an optimisation
    }
  }
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
  child.stdout!.on('data', (d: Buffer) => post({ op: 'stdout', id, data: new Uint8Array(d) }));
  child.once('error', (err) => {
    children.delete(id);
    post({ op: 'error', id, message: err.message });
  });
  child.once('close', (code) => {
    children.delete(id);
    post({ op: 'exit', id, code, stderr });
  });
  child.stdin!.on('error', () => undefined); // the process may exit before reading its input
  child.stdin!.end(command.stdin ? Buffer.from(command.stdin) : undefined);
});

// Main went away (exit, crash): take every program we started with us.
process.on('disconnect', () => {
  for (const child of children.values()) child.kill('SIGKILL');
  process.exit(0);
});
