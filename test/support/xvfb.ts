import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { waitFor } from './wait.js';

export interface VirtualDisplay {
  display: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** A free X display number: none of its lock or socket files exist. Randomised so parallel test files differ. */
function freeDisplayNumber(): number {
  for (let i = 0; i < 200; i++) {
    const n = 100 + Math.floor(Math.random() * 800);
    if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  }
  throw new Error('no free X display number');
}

/** Starts Xvfb on a free display and resolves once it accepts clients. */
export async function startXvfb(size = '800x600x24'): Promise<VirtualDisplay> {
  const n = freeDisplayNumber();
  const proc = spawn('Xvfb', [`:${n}`, '-screen', '0', size, '-nolisten', 'tcp'], { stdio: 'ignore' });
  const display = `:${n}`;
  await waitFor(`Xvfb on ${display}`, () => existsSync(`/tmp/.X11-unix/X${n}`), 10_000, 50);
  return {
    display,
    proc,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
