/**
 * The page in headless Chromium against a real main + memory on the offline sim:
 *  - page load → avatar visible: navigation start to the first drawn frame of the built-in avatar
 *    (`__neko.timings.avatarVisibleMs`), over fresh browser contexts (cold cache each time);
 *  - voice latency: from the end of the user's speech (the fake microphone, as the page hears it) to the first
 *    reply audio heard (the player's analyser output rising), over 10 turns. A looping WAV says one sentence
 *    and then stays silent long enough for the reply, so each loop is one turn. Measured inside the page
 *    by sampling `__neko` every 5 ms, so the figure carries no CDP round trips.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureWebBuilt, launchBrowser, nekoState, openChatPage, speechWav, startNeko } from '../test/support/browser.js';
import { waitFor } from '../test/support/wait.js';
import { median, percentile, type Figure } from './stats.js';

const LOADS = 5;
const TURNS = 10;
const LOAD_TARGET_MS = 1500;
const VOICE_TARGET_MS = 1500;

/** Runs in the page: records speech ends and first-audio times from the debug view. */
const PROBE = `(() => {
  const rec = { ends: [], firsts: [] };
  let speaking = false, quietSince = 0, waitingFrom = 0;
  setInterval(() => {
    const n = window.__neko, now = performance.now();
    const mic = n.mic.level, out = n.audio.level;
    if (mic > 0.02) { speaking = true; quietSince = 0; }
    else if (speaking) {
      if (!quietSince) quietSince = now;
      if (now - quietSince > 400) { speaking = false; waitingFrom = quietSince; rec.ends.push(quietSince); }
    }
    if (waitingFrom && out > 0.005) { rec.firsts.push(now - waitingFrom); waitingFrom = 0; }
  }, 5);
  window.__nekoBench = rec;
})()`;

export async function browserBench(): Promise<Figure[]> {
  ensureWebBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'neko-bench-mic-'));
  // One turn per loop: a second of silence, the question, then room for the whole reply.
  const wav = speechWav(dir, 'what is the weather like today', 1, 9);
  const neko = await startNeko();
  const chromium = await launchBrowser({ fakeMicWav: wav });
  try {
    const loads: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
      const { page } = await openChatPage(context, `${neko.main.url}/`);
      await page.locator('#avatar-stage[data-avatar="ready"]').waitFor({ timeout: 30_000 });
      loads.push((await nekoState(page)).timings.avatarVisibleMs);
      await context.close();
    }

    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const { page } = await openChatPage(context, `${neko.main.url}/`);
    await waitFor('the socket to open', async () => (await nekoState(page)).socket.state === 'open', 15_000);
    await page.click('#mic-button');
    await page.evaluate(PROBE);
    // The first turn warms up (session start, first espeak runs); then TURNS measured ones.
    await waitFor(`${TURNS + 1} voice turns`, async () => ((await page.evaluate('window.__nekoBench.firsts.length')) as number) >= TURNS + 1, (TURNS + 3) * 14_000, 500);
    const latencies = ((await page.evaluate('window.__nekoBench.firsts')) as number[]).slice(1, TURNS + 1);
    await context.close();

    const loadMedian = median(loads);
    const voiceP50 = percentile(latencies, 50);
    return [
      { name: `page load → avatar visible (built-in, n=${LOADS})`, value: `p50 ${loadMedian.toFixed(0)} ms / max ${Math.max(...loads).toFixed(0)} ms`, target: `< ${LOAD_TARGET_MS} ms`, ok: loadMedian < LOAD_TARGET_MS },
      {
        name: `voice: end of speech → first reply audio heard (sim, n=${latencies.length})`,
        value: `p50 ${voiceP50.toFixed(0)} ms / p90 ${percentile(latencies, 90).toFixed(0)} ms`,
        target: `< ${VOICE_TARGET_MS} ms`,
        ok: latencies.length === TURNS && voiceP50 < VOICE_TARGET_MS,
      },
    ];
  } finally {
    await chromium.close();
    await neko.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
