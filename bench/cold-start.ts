import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePorts, portEnv, ROOT, tempDataDir } from '../test/support/services.js';
import { median, type Figure } from './stats.js';

const RUNS = 5;

/** Resident memory of a process in bytes (VmRSS), 0 if it is gone. */
function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((s) => Number(s.trim())).filter(Boolean);
  } catch {
    return [];
  }
}

/** One `npm start` as a user runs it (built JS): ms from spawn to the ready line, then idle RSS of all processes. */
async function coldStartOnce(): Promise<{ ms: number; rss: number }> {
  const { dir, cleanup } = tempDataDir('neko-bench-');
  const env = { ...process.env, ...portEnv(await freePorts(7)), NEKO_DATA_DIR: dir, NEKO_LOG_LEVEL: 'warn' };
  const started = performance.now();
  const proc = spawn(process.execPath, [join(ROOT, 'dist/launcher.mjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((r) => proc.once('exit', r));
  const readyMs = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ready line within 30 s')), 30_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (line.includes('ready in')) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    });
    proc.once('exit', (code) => reject(new Error(`launcher exited with ${code}`)));
  });
  // Let start-up garbage settle before reading idle memory.
  await new Promise((r) => setTimeout(r, 1500));
  const pids = [proc.pid!, ...childrenOf(proc.pid!)];
  const rss = pids.reduce((sum, pid) => sum + rssBytes(pid), 0);
  proc.kill('SIGTERM');
  await exited;
  cleanup();
  return { ms: readyMs, rss };
}

export async function coldStartBench(): Promise<Figure[]> {
  if (!existsSync(join(ROOT, 'dist/launcher.mjs'))) {
    execFileSync('npm', ['run', '--silent', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
  }
  const runs: { ms: number; rss: number }[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await coldStartOnce());
  const ms = median(runs.map((r) => r.ms));
  const rssMiB = median(runs.map((r) => r.rss)) / 1024 / 1024;
  return [
    { name: `cold start, 4 services to healthy (median of ${RUNS})`, value: `${ms.toFixed(0)} ms  [${runs.map((r) => r.ms.toFixed(0)).join(', ')}]`, target: '< 1500 ms', ok: ms < 1500 },
    { name: 'idle RSS, launcher + 4 services', value: `${rssMiB.toFixed(1)} MiB`, target: '< 300 MiB', ok: rssMiB < 300 },
  ];
}
