import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { RunnerCommand, RunnerEvent } from './process-runner-protocol.js';

/**
 * Starts synthesis processes off the main thread: spawning forks the whole (large) Node process, which
 * blocks the calling thread for milliseconds; here it blocks only this worker, never the chat event loop.
 */
const port = parentPort!;
const children = new Map<number, ChildProcess>();
const post = (event: RunnerEvent, transfer: ArrayBuffer[] = []) => port.postMessage(event, transfer);

port.on('message', (command: RunnerCommand) => {
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
  child.stdout!.on('data', (d: Buffer) => {
    const copy = new Uint8Array(d);
    post({ op: 'stdout', id, data: copy }, [copy.buffer as ArrayBuffer]);
  });
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
