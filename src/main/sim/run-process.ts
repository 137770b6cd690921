import { spawn } from 'node:child_process';

/** A helper tool that hangs (bad input, stuck audio device) must not stall a reply forever. */
const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Runs a command in a child process and collects its stdout, never blocking the event loop.
 * Rejects when the command is missing, fails, or outlives the timeout.
 */
export function runProcess(command: string, args: readonly string[], opts: { stdin?: Buffer; timeoutMs?: number } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`${command} exited with ${code ?? signal}: ${Buffer.concat(err).toString().slice(-300)}`));
    });
    child.stdin.on('error', () => {}); // the tool may exit before reading all input; the exit code tells
    child.stdin.end(opts.stdin ?? Buffer.alloc(0));
  });
}
