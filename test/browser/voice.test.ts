import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ensureWebBuilt, launchBrowser, nekoState, openChatPage, speechWav, startNeko, type Services, type TestBrowser } from '../support/browser.js';
import { waitFor } from '../support/services.js';

let neko: Services;
let chromium: TestBrowser;
let wavDir: string;

before(async () => {
  ensureWebBuilt();
  wavDir = mkdtempSync(join(tmpdir(), 'neko-fake-mic-'));
  // Played once: 5 s of silence while the page opens the mic and the session starts (under load that can take
  // well over 2 s, and the first words were then cut off), the words, then silence for the VAD.
  const wav = speechWav(wavDir, 'tell me a joke', 5, 8);
  neko = await startNeko();
  chromium = await launchBrowser({ fakeMicWav: wav, noLoop: true });
});

after(async () => {
  await chromium?.close();
  await neko?.stop();
  if (wavDir) rmSync(wavDir, { recursive: true, force: true });
});

test('voice: the fake mic reaches the server in 480-sample frames, the reply is heard and moves the mouth; typing barges in', { timeout: 90_000 }, async () => {
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const { page, problems, sent, received } = await openChatPage(context, `${neko.main.url}/`);
  await waitFor('the socket to open', async () => (await nekoState(page)).socket.state === 'open', 10_000);
  await page.click('#mic-button');
  await page.locator('#mic-button[aria-pressed="true"]').waitFor();
  assert.equal(await page.locator('#mic-button').getAttribute('aria-label'), 'Stop voice conversation');

  // What was said comes back as the user's transcript bubble: the audio made it through.
  const transcript = page.locator('.bubble-user.transcript');
  await transcript.waitFor({ timeout: 40_000 });
  assert.match((await transcript.locator('.bubble-text').textContent()) ?? '', /joke/i);
  const frames = sent.filter((s) => s.message.action === 'stream_data' && s.message.input_type === 'audio');
  assert.ok(frames.length > 100, `${frames.length} audio frames sent`);
  for (const { message } of frames) {
    assert.equal(message.data.length, 480, 'every frame is 10 ms at 48 kHz');
    assert.ok(message.data.every((v: number) => Number.isInteger(v) && v >= -32768 && v <= 32767), 'int16 samples');
  }
  const startIndex = sent.findIndex((s) => s.message.action === 'start_session' && s.message.input_type === 'audio');
  assert.ok(startIndex >= 0 && startIndex < sent.indexOf(frames[0]!), 'start_session{audio} goes before the first frame');
  const peak = frames.reduce((m, f) => f.message.data.reduce((n: number, v: number) => Math.max(n, Math.abs(v)), m), 0);
  assert.ok(peak > 1000, `the frames carry the speech (peak ${peak})`);

  // The reply: scheduled on the AudioContext, heard by the analyser, and the avatar's mouth opens.
  await waitFor('reply audio scheduled', async () => (await nekoState(page)).audio.scheduledSeconds > 0.5, 40_000);
  const startTime = (await nekoState(page)).audio.contextTime;
  await waitFor('sound at the analyser', async () => (await nekoState(page)).audio.level > 0.02, 10_000);
  await waitFor('the mouth to open', async () => (await nekoState(page)).avatar.mouthOpen > 0.3, 10_000);
  assert.ok((await nekoState(page)).audio.contextTime > startTime, 'the AudioContext is running');
  await page.locator('.bubble-assistant').first().waitFor();

  // Barge-in: typing while she still has audio queued; the server's user_activity names that speech and the
  // page drops the rest of it at once.
  await waitFor('audio queued ahead', async () => (await nekoState(page)).audio.queuedSeconds > 0.4, 10_000);
  const speechIds = new Set(received.filter((r) => r.message.type === 'audio_chunk').map((r) => r.message.speech_id));
  await page.fill('#message-input', 'hello');
  await page.press('#message-input', 'Enter');
  await waitFor('the interruption', async () => (await nekoState(page)).audio.interruptions >= 1, 15_000);
  const after = await nekoState(page);
  assert.equal(after.audio.queuedSeconds, 0, 'nothing of the old speech is left queued');
  assert.ok(after.audio.droppedSeconds > 0.2, `${after.audio.droppedSeconds.toFixed(2)} s of speech dropped`);
  const activity = received.find((r) => r.message.type === 'user_activity' && speechIds.has(r.message.interrupted_speech_id));
  assert.ok(activity, 'the server interrupted the speech that was playing');
  await waitFor('the mouth to close', async () => (await nekoState(page)).avatar.mouthOpen < 0.05, 5000);
  assert.equal(await page.locator('#mic-button').getAttribute('aria-pressed'), 'false', 'typing ended the voice session');
  assert.deepEqual(problems.problems, []);
  await context.close();
});
