import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePorts, portEnv, ROOT, tempDataDir } from '../test/support/services.js';
import { median, type Figure } from './stats.js';

const RUNS = 5;
/** Node flags of the `start` script in package.json. */
const START_FLAGS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(/\s+/)
  .filter((a) => a.startsWith('--'));

/**
 * Resident memory of a process in bytes: RSS (counts the shared Node binary once per process) and PSS
 * (shared pages divided among the processes sharing them: what the five processes really cost together).
 */
function memoryOf(pid: number): { rss: number; pss: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rss: kb('Rss'), pss: kb('Pss') };
  } catch {
    return { rss: 0, pss: 0 };
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
async function coldStartOnce(): Promise<{ ms: number; rss: number; pss: number; launcherRss: number }> {
  const { dir, cleanup } = tempDataDir('neko-bench-');
  const env = { ...process.env, ...portEnv(await freePorts(7)), NEKO_DATA_DIR: dir, NEKO_LOG_LEVEL: 'warn' };
  const started = performance.now();
  // The same command line as `npm start` (package.json), so the figures are those a user gets.
  const proc = spawn(process.execPath, [...START_FLAGS, join(ROOT, 'dist/launcher.mjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
  const mem = pids.map(memoryOf);
  // The four services (the launcher only supervises them; it is reported separately).
  const rss = mem.slice(1).reduce((sum, m) => sum + m.rss, 0);
  const launcherRss = mem[0]!.rss;
  const pss = mem.reduce((sum, m) => sum + m.pss, 0);
  proc.kill('SIGTERM');
  await exited;
  cleanup();
  return { ms: readyMs, rss, pss, launcherRss };
}

export async function coldStartBench(): Promise<Figure[]> {
  if (!existsSync(join(ROOT, 'dist/launcher.mjs'))) {
    execFileSync('npm', ['run', '--silent', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
  }
  const runs: { ms: number; rss: number; pss: number; launcherRss: number }[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await coldStartOnce());
  const ms = median(runs.map((r) => r.ms));
  const rssMiB = median(runs.map((r) => r.rss)) / 1024 / 1024;
  const pssMiB = median(runs.map((r) => r.pss)) / 1024 / 1024;
  const launcherMiB = median(runs.map((r) => r.launcherRss)) / 1024 / 1024;
  return [
    { name: `cold start, 4 services to healthy (median of ${RUNS})`, value: `${ms.toFixed(0)} ms  [${runs.map((r) => r.ms.toFixed(0)).join(', ')}]`, target: '< 1500 ms', ok: ms < 1500 },
    { name: 'idle RSS, 4 services (sum)', value: `${rssMiB.toFixed(1)} MiB`, target: '< 300 MiB', ok: rssMiB < 300 },
    { name: 'idle RSS, launcher', value: `${launcherMiB.toFixed(1)} MiB` },
    // RSS counts the shared Node binary (~41 MiB) in every process; PSS shares it out: the real total.
    { name: 'idle PSS, launcher + 4 services (sum)', value: `${pssMiB.toFixed(1)} MiB` },
  ];
}
