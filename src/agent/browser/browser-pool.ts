import { existsSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Logger } from '../../shared/log.js';

/** Debian's Chromium; NEKO_CHROMIUM_PATH points elsewhere (Chrome, a bundled Chromium). */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
/** A browser nobody used for this long is closed; the next task starts a new one (about a second). */
const IDLE_CLOSE_MS = 60_000;
const CHROMIUM_ARGS = ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumPath(env: NodeJS.ProcessEnv): string {
  return env.NEKO_CHROMIUM_PATH?.trim() || DEFAULT_CHROMIUM;
}

/** Headless on a server (no display) or when asked; a visible window on a desktop so the user sees what happens. */
export function wantsHeadless(env: NodeJS.ProcessEnv): boolean {
  if (env.NEKO_BROWSER_HEADLESS === '1' || env.NEKO_BROWSER_HEADLESS === 'true') return true;
  if (env.NEKO_BROWSER_HEADLESS === '0' || env.NEKO_BROWSER_HEADLESS === 'false') return false;
  return !env.DISPLAY && !env.WAYLAND_DISPLAY;
}

/**
 * One Chromium for all browser tasks, started on first use (playwright-core drives the system binary;
 * it downloads nothing). Each task gets its own context (cookies, pages), so concurrent tasks never share state.
 */
export class BrowserPool {
  private browser: Promise<Browser> | undefined;
  private contexts = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: Logger,
  ) {}

  available(): { ready: boolean; reason: string } {
    const path = chromiumPath(this.env);
    return existsSync(path) ? { ready: true, reason: '' } : { ready: false, reason: 'AGENT_BROWSER_USE_NOT_INSTALLED' };
  }

  async newContext(): Promise<BrowserContext> {
    clearTimeout(this.idleTimer);
    this.browser ??= this.launch();
    let browser: Browser;
    try {
      browser = await this.browser;
    } catch (err) {
      this.browser = undefined;
      throw err;
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    this.contexts += 1;
    context.once('close', () => {
      this.contexts -= 1;
      if (this.contexts === 0) this.scheduleIdleClose();
    });
    return context;
  }

  private async launch(): Promise<Browser> {
    const headless = wantsHeadless(this.env);
    const args = [...CHROMIUM_ARGS, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
    // Loaded on first use: playwright-core takes ~400 ms to load, which every agent start would otherwise pay.
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath(this.env), headless, args, timeout: 30_000 });
    browser.once('disconnected', () => {
      this.browser = undefined;
    });
    this.log.info({ headless }, 'browser started');
    return browser;
  }

  private scheduleIdleClose(): void {
    this.idleTimer = setTimeout(() => void this.close(), IDLE_CLOSE_MS);
    this.idleTimer.unref();
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const pending = this.browser;
    this.browser = undefined;
    if (!pending) return;
    try {
      await (await pending).close();
    } catch {
      // never started, or already gone
    }
  }
}
