import type { Page } from 'playwright-core';
import { z } from 'zod';
import type { AgentModelEndpoint } from '../model/chat-client.js';
import { runActionLoop, type ActionSpec } from '../tasks/action-loop.js';
import type { TaskOutcome, TaskRun } from '../tasks/executor.js';
import type { BrowserPool } from './browser-pool.js';
import { formatSnapshot, pageText, snapshotPage } from './page-snapshot.js';

export const BROWSER_MAX_STEPS = 20;
const ACTION_TIMEOUT_MS = 10_000;
const NAVIGATION_TIMEOUT_MS = 30_000;

const SYSTEM = [
  'You operate a web browser to complete the user\'s task. Each turn you get the page: URL, title, interactive elements as',
  '`[id] role "name"`, and its visible text (and a screenshot when available). Take exactly one action per turn with the tools;',
  'refer to elements by their id. When the task is complete (or cannot be done), call done with the answer the user needs.',
].join(' ');

function element(page: Page, id: number) {
  return page.locator(`[data-neko-id="${id}"]`).first();
}

/** The typed page actions the model may take; nothing else reaches the browser. */
function browserActions(page: Page): Record<string, ActionSpec> {
  const navigate: ActionSpec<z.ZodObject<{ url: z.ZodURL }>> = {
    description: 'Open a URL (http or https).',
    schema: z.object({ url: z.url({ protocol: /^https?$/ }) }),
    parameters: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] },
    run: async ({ url }) => {
      const res = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: NAVIGATION_TIMEOUT_MS });
      return `opened ${page.url()} (HTTP ${res?.status() ?? '?'})`;
    },
  };
  const click: ActionSpec<z.ZodObject<{ element: z.ZodNumber }>> = {
    description: 'Click an element by id.',
    schema: z.object({ element: z.number().int().positive() }),
    parameters: { type: 'object', properties: { element: { type: 'integer' } }, required: ['element'] },
    run: async ({ element: id }) => {
      await element(page, id).click({ timeout: ACTION_TIMEOUT_MS });
      await page.waitForLoadState('domcontentloaded', { timeout: NAVIGATION_TIMEOUT_MS }).catch(() => {});
      return `clicked [${id}]`;
    },
  };
  const type: ActionSpec<z.ZodObject<{ element: z.ZodNumber; text: z.ZodString; submit: z.ZodOptional<z.ZodBoolean> }>> = {
    description: 'Replace the text of an input or text area by id; submit=true presses Enter afterwards.',
    schema: z.object({ element: z.number().int().positive(), text: z.string().max(5000), submit: z.boolean().optional() }),
    parameters: { type: 'object', properties: { element: { type: 'integer' }, text: { type: 'string' }, submit: { type: 'boolean' } }, required: ['element', 'text'] },
    run: async ({ element: id, text, submit }) => {
      const target = element(page, id);
      await target.fill(text, { timeout: ACTION_TIMEOUT_MS });
      if (submit) await target.press('Enter', { timeout: ACTION_TIMEOUT_MS });
      return `typed ${JSON.stringify(text.slice(0, 60))} into [${id}]${submit ? ' and pressed Enter' : ''}`;
    },
  };
  const scroll: ActionSpec<z.ZodObject<{ direction: z.ZodEnum<{ up: 'up'; down: 'down' }>; pages: z.ZodOptional<z.ZodNumber> }>> = {
    description: 'Scroll the page up or down by a number of screens (default 1).',
    schema: z.object({ direction: z.enum(['up', 'down']), pages: z.number().min(0.1).max(10).optional() }),
    parameters: { type: 'object', properties: { direction: { type: 'string', enum: ['up', 'down'] }, pages: { type: 'number' } }, required: ['direction'] },
    run: async ({ direction, pages }) => {
      await page.mouse.wheel(0, (direction === 'down' ? 1 : -1) * (pages ?? 1) * 700);
      return `scrolled ${direction}`;
    },
  };
  const extract: ActionSpec<z.ZodObject<{ query: z.ZodOptional<z.ZodString> }>> = {
    description: 'Read the full visible text of the page (optionally say what you are looking for).',
    schema: z.object({ query: z.string().max(500).optional() }),
    parameters: { type: 'object', properties: { query: { type: 'string' } } },
    run: async () => pageText(page),
  };
  return { navigate, click, type, scroll, extract } as Record<string, ActionSpec>;
}

/** Runs one browser task in its own browser context; the context closes however the task ends. */
export async function runBrowserTask(pool: BrowserPool, endpoint: AgentModelEndpoint, run: TaskRun, opts: { screenshots: boolean }): Promise<TaskOutcome> {
  run.report({ stage: 'starting browser', step: 0, step_total: BROWSER_MAX_STEPS });
  const context = await pool.newContext();
  const onAbort = () => void context.close().catch(() => {});
  run.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const page = await context.newPage();
    return await runActionLoop({
      endpoint,
      system: SYSTEM,
      actions: browserActions(page),
      maxSteps: BROWSER_MAX_STEPS,
      run,
      observe: async () => {
        const snap = await snapshotPage(page);
        const image = opts.screenshots && snap.url !== 'about:blank' ? `data:image/jpeg;base64,${(await page.screenshot({ type: 'jpeg', quality: 50 })).toString('base64')}` : undefined;
        return { text: formatSnapshot(snap), image };
      },
    });
  } finally {
    run.signal.removeEventListener('abort', onAbort);
    await context.close().catch(() => {});
  }
}
