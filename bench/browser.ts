/**
 * The page in headless Chromium against a real main + memory on the offline sim:
 *  - page load → avatar visible: navigation start to the first drawn frame of the built-in avatar
 *    (`__neko.timings.avatarVisibleMs`), over fresh browser contexts (cold cache each time), for the built-in
 *    avatar and for a VRM (our generated test model: three.js + three-vrm load, parse and first WebGL frame);
 *  - voice latency: from the end of the user's speech (the fake microphone, as the page hears it) to the first
 *    reply audio heard (the player's analyser output rising), over 10 turns. A looping WAV says one sentence
 *    and then stays silent long enough for the reply, so each loop is one turn. Measured inside the page
 *    by sampling `__neko` every 5 ms, so the figure carries no CDP round trips.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureWebBuilt, launchBrowser, nekoState, openChatPage, speechWav, startNeko, type Services, type TestBrowser } from '../test/support/browser.js';
import { multipartBody } from '../test/support/multipart.js';
import { http } from '../test/support/services.js';
import { buildVrmFile } from '../test/support/vrm-file.js';
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

/** ms from navigation to the avatar's first frame, over LOADS fresh contexts. */
async function pageLoads(neko: Services, chromium: TestBrowser, kind: string): Promise<number[]> {
  const loads: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const { page } = await openChatPage(context, `${neko.main.url}/`);
    await page.locator('#avatar-stage[data-avatar="ready"]').waitFor({ timeout: 30_000 });
    const state = await nekoState(page);
    if (state.avatar.kind !== kind) throw new Error(`expected the ${kind} avatar, the page shows ${state.avatar.kind}`);
    loads.push(state.timings.avatarVisibleMs);
    await context.close();
  }
  return loads;
}

function loadFigure(what: string, loads: number[]): Figure {
  const p50 = median(loads);
  return { name: `page load → avatar visible (${what}, n=${loads.length})`, value: `p50 ${p50.toFixed(0)} ms / max ${Math.max(...loads).toFixed(0)} ms`, target: `< ${LOAD_TARGET_MS} ms`, ok: p50 < LOAD_TARGET_MS };
}

export async function browserBench(): Promise<Figure[]> {
  ensureWebBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'neko-bench-mic-'));
  // One turn per loop: a second of silence, the question, then room for the whole reply.
  const wav = speechWav(dir, 'what is the weather like today', 1, 9);
  const neko = await startNeko();
  const chromium = await launchBrowser({ fakeMicWav: wav });
  try {
    const builtIn = await pageLoads(neko, chromium, 'default');
    const { payload, headers } = multipartBody([{ field: 'file', filename: 'bench.vrm', content: buildVrmFile(), contentType: 'model/gltf-binary' }]);
    const uploaded = await http(`${neko.main.url}/api/model/vrm/upload`, { method: 'POST', body: payload, headers });
    const character = (await http(`${neko.main.url}/api/characters/current_catgirl`)).body.current_catgirl as string;
    await http(`${neko.main.url}/api/characters/catgirl/l2d/${encodeURIComponent(character)}`, { method: 'PUT', json: { model_type: 'vrm', vrm: uploaded.body.model_url } });
    const vrm = await pageLoads(neko, chromium, 'vrm');

    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const { page } = await openChatPage(context, `${neko.main.url}/`);
    await waitFor('the socket to open', async () => (await nekoState(page)).socket.state === 'open', 15_000);
    await page.click('#mic-button');
    await page.evaluate(PROBE);
    // The first turn warms up (session start, first espeak runs); then TURNS measured ones.
    await waitFor(`${TURNS + 1} voice turns`, async () => ((await page.evaluate('window.__nekoBench.firsts.length')) as number) >= TURNS + 1, (TURNS + 3) * 14_000, 500);
    const latencies = ((await page.evaluate('window.__nekoBench.firsts')) as number[]).slice(1, TURNS + 1);
    await context.close();

    const voiceP50 = percentile(latencies, 50);
    return [
      loadFigure('built-in', builtIn),
      loadFigure('VRM', vrm),
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
