import { execFileSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { freePorts, ROOT, startService, tempDataDir, type RunningService } from './services.js';

export const CHROMIUM = process.env.NEKO_CHROMIUM ?? '/usr/bin/chromium';

/** Newest modification time under `path` (files and folders). */
function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), st.mtimeMs);
}

/**
 * Builds the page when it is missing or older than its sources, so tests never run a stale page. It goes to
 * web/dist, or to NEKO_WEB_ROOT when set (the services read the same variable), so parallel work can keep apart.
 */
export function ensureWebBuilt(): void {
  const outDir = process.env.NEKO_WEB_ROOT ?? join(ROOT, 'web', 'dist');
  const index = join(outDir, 'index.html');
  const web = join(ROOT, 'web');
  const sources = [join(web, 'src'), join(web, 'vite.config.ts'), ...readdirSync(web).filter((f) => f.endsWith('.html')).map((f) => join(web, f))];
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  execFileSync('npm', ['run', '--silent', 'build:web', '--', '--outDir', outDir], { cwd: ROOT, stdio: 'pipe' });
}

/**
 * A WAV the fake microphone plays: `silenceBefore` seconds of silence (the page needs a moment to open the
 * mic), the spoken `text`, then `silenceAfter` seconds so the server's VAD sees the end of the turn.
 * espeak-ng speaks it and sox makes it 48 kHz mono 16-bit.
 */
export function speechWav(dir: string, text: string, silenceBefore = 1.5, silenceAfter = 3): string {
  const raw = join(dir, 'speech-raw.wav');
  const out = join(dir, 'speech-48k.wav');
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, text]);
  execFileSync('sox', [raw, '-r', '48000', '-c', '1', '-b', '16', out, 'pad', String(silenceBefore), String(silenceAfter)]);
  return out;
}

export interface BrowserOptions {
  /** The fake microphone's WAV; `%noloop` plays it once instead of over and over. */
  fakeMicWav?: string;
  noLoop?: boolean;
}

export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Headless Debian Chromium with fake media devices. Playwright gives every launch a fresh temporary profile
 * (it refuses a --user-data-dir of ours outside persistent contexts) and deletes it on close.
 */
export async function launchBrowser(opts: BrowserOptions = {}): Promise<TestBrowser> {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    // getDisplayMedia picks the whole screen without a picker.
    '--auto-select-desktop-capture-source=Entire screen',
  ];
  if (opts.fakeMicWav) args.push(`--use-file-for-fake-audio-capture=${opts.fakeMicWav}${opts.noLoop ? '%noloop' : ''}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args, headless: true });
  return { browser, close: () => browser.close() };
}

/** Console errors, page errors and failed requests a page produced, except the ones named in `allow`. */
export class PageProblems {
  readonly problems: string[] = [];

  constructor(page: Page, private readonly allow: (message: ConsoleMessage) => boolean = () => false) {
    page.on('console', (m) => {
      if (m.type() === 'error' && !this.allow(m)) this.problems.push(`console: ${m.text()} @ ${m.location().url}`);
    });
    page.on('pageerror', (err) => this.problems.push(`pageerror: ${err.message}`));
  }
}

export interface Services {
  main: RunningService;
  memory: RunningService;
  /** The agent service, when started with `{ agent: true }` (its ZeroMQ ports paired with main's). */
  agent?: RunningService;
  dataDir: string;
  /** Kills main (as a crash would) and starts it again on the same port and data. */
  restartMain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * memory + main on ephemeral ports over a fresh data folder, with no API key: the `sim` answers. With
 * `{ agent: true }` the agent service runs too, on fixed free ports that main's ZeroMQ sockets and proxies use.
 */
export async function startNeko(env: Record<string, string> = {}, opts: { agent?: boolean } = {}): Promise<Services> {
  const data = tempDataDir('neko-browser-');
  const memory = await startService('memory', { env: { NEKO_DATA_DIR: data.dir } });
  const agentPorts = opts.agent ? await freePorts(4) : [];
  const agentEnv: Record<string, string> = opts.agent
    ? {
        NEKO_TOOL_SERVER_PORT: String(agentPorts[0]),
        NEKO_ZMQ_SESSION_PUB_PORT: String(agentPorts[1]),
        NEKO_ZMQ_AGENT_PUSH_PORT: String(agentPorts[2]),
        NEKO_ZMQ_ANALYZE_PUSH_PORT: String(agentPorts[3]),
      }
    : {};
  const mainEnv = { NEKO_DATA_DIR: data.dir, NEKO_MEMORY_SERVER_PORT: String(memory.port), NEKO_LANGUAGE: 'en', ...agentEnv, ...env };
  const services: Services = {
    main: await startService('main', { env: mainEnv, timeoutMs: 30_000 }),
    memory,
    // After main: main binds the ZeroMQ sockets the agent connects to.
    agent: opts.agent ? await startService('agent', { env: mainEnv, port: agentPorts[0], timeoutMs: 30_000 }) : undefined,
    dataDir: data.dir,
    restartMain: async () => {
      const port = services.main.port;
      await services.main.kill();
      services.main = await startService('main', { env: mainEnv, port, timeoutMs: 30_000 });
    },
    stop: async () => {
      await services.agent?.stop();
      await services.main.stop();
      await memory.stop();
      data.cleanup();
    },
  };
  return services;
}

export type { Browser, BrowserContext, Page };

/** A page with its problems and the JSON messages it sent on its chat sockets (with the socket's URL). */
export interface ChatPage {
  page: Page;
  problems: PageProblems;
  sent: { url: string; message: Record<string, any> }[];
  /** JSON messages the page received (binary audio frames are left out). */
  received: { url: string; message: Record<string, any> }[];
  /** URLs of every WebSocket the page opened, in order. */
  sockets: string[];
}

/** The emotion route may not exist yet (it answers 404); the page handles that, but Chromium logs the 404. */
export const allowEmotion404 = (m: ConsoleMessage) => m.text().includes('404') && m.location().url.endsWith('/api/emotion/analysis');

export async function openChatPage(context: BrowserContext, url: string): Promise<ChatPage> {
  const page = await context.newPage();
  const problems = new PageProblems(page, allowEmotion404);
  const sent: ChatPage['sent'] = [];
  const sockets: string[] = [];
  const received: ChatPage['received'] = [];
  page.on('websocket', (ws) => {
    sockets.push(ws.url());
    ws.on('framesent', (frame) => {
      if (typeof frame.payload === 'string') sent.push({ url: ws.url(), message: JSON.parse(frame.payload) });
    });
    ws.on('framereceived', (frame) => {
      if (typeof frame.payload === 'string') received.push({ url: ws.url(), message: JSON.parse(frame.payload) });
    });
  });
  await page.goto(url);
  return { page, problems, sent, received, sockets };
}

/** What `window.__neko` (the page's read-only debug view) says right now. */
export async function nekoState(page: Page): Promise<any> {
  // Page code is passed as text: this project's TypeScript has no DOM types outside web/.
  await page.waitForFunction("'__neko' in window");
  return page.evaluate(
    'const n = window.__neko; JSON.parse(JSON.stringify({ avatar: n.avatar, audio: n.audio, mic: n.mic, screen: n.screen, socket: n.socket, session: n.session, timings: n.timings }))',
  );
}
