import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { synthesizeSpeech } from '../../src/main/sim/speech.js';
import { ChatClient, pcmFrames } from '../support/chat-client.js';
import { http, startService, tempDataDir, type RunningService } from '../support/services.js';

let main: RunningService;
let memory: RunningService;
let cleanup: () => void;
let wsBase: string;

before(async () => {
  const data = tempDataDir();
  cleanup = data.cleanup;
  memory = await startService('memory', { env: { NEKO_DATA_DIR: data.dir } });
  main = await startService('main', { env: { NEKO_DATA_DIR: data.dir, NEKO_MEMORY_SERVER_PORT: String(memory.port), NEKO_LANGUAGE: 'en' } });
  wsBase = `ws://127.0.0.1:${main.port}/ws`;
});

after(async () => {
  await main?.stop();
  await memory?.stop();
  cleanup?.();
});

test('text turn: session starts on the offline sim, the reply streams, the turn ends', { timeout: 30_000 }, async () => {
  const page = await ChatClient.open(`${wsBase}/test`);
  page.send({ action: 'stream_data', input_type: 'text', data: 'Hello, who are you?' });
  await page.waitFor('turn end', (c) => c.ofType('system').some((m) => m.data === 'turn end'));
  assert.deepEqual(page.messages[0], { type: 'session_preparing', input_mode: 'text' });
  assert.ok(page.ofType('session_started').length === 1);
  assert.equal(page.ofType('gemini_response')[0]!.isNewMessage, true);
  assert.ok(page.ofType('gemini_response').slice(1).every((m) => m.isNewMessage === false));
  assert.match(page.replyText(), /offline/i, 'the sim says honestly that it is the offline demo');
  assert.ok(page.statusCodes().includes('PROVIDER_NOTICE'), 'the page is told no real provider is configured');
  await page.close();
});

test('voice turn: espeak speech in 480-sample frames → transcript, reply text and 48 kHz audio', { timeout: 60_000 }, async () => {
  const page = await ChatClient.open(`${wsBase}/test`);
  const speech = await synthesizeSpeech('hello there how are you today', 48_000);
  const silence = Buffer.alloc(48_000 * 2); // 1 s: the sim's VAD ends the turn after 500 ms of it
  page.send({ action: 'start_session', input_type: 'audio' });
  await page.waitForType('session_started');
  for (const frame of pcmFrames(Buffer.concat([speech, silence]), 480)) page.send({ action: 'stream_data', input_type: 'audio', data: frame });
  await page.waitFor('user transcript', (c) => c.ofType('user_transcript').length > 0, 30_000);
  await page.waitFor('turn end', (c) => c.ofType('system').length > 0, 30_000);
  await page.waitFor('reply audio', (c) => c.audio.length > 0);
  assert.equal(page.orphanBinary, 0, 'every binary frame directly follows its audio_chunk header');
  const bytes = page.audio.reduce((n, a) => n + a.bytes.length, 0);
  const seconds = bytes / 2 / 48_000;
  assert.ok(seconds > 0.5 && seconds < 30, `reply audio of ${seconds.toFixed(2)} s at 48 kHz`);
  const speechId = page.audio[0]!.speechId;
  assert.ok(page.audio.every((a) => a.speechId === speechId), 'one reply, one speech id');
  assert.ok(page.ofType('user_activity').length >= 1, 'user_activity precedes the reply');
  assert.ok(page.replyText().length > 0);
  page.send({ action: 'end_session' });
  await page.waitFor('CHARACTER_LEFT', (c) => c.statusCodes().includes('CHARACTER_LEFT'));
  await page.close();
});

test('unknown character: catgirl_switched to an existing one, then close', { timeout: 10_000 }, async () => {
  const page = await ChatClient.open(`${wsBase}/${encodeURIComponent('nobody-here')}`);
  await page.waitFor('close', (c) => c.closeCode !== undefined, 5000);
  assert.deepEqual(page.messages, [{ type: 'catgirl_switched', new_catgirl: 'test', old_catgirl: 'nobody-here' }]);
});

test('a second connection supersedes the first, which is told on its own socket; the session carries on', { timeout: 30_000 }, async () => {
  const first = await ChatClient.open(`${wsBase}/test`);
  first.send({ action: 'start_session', input_type: 'text' });
  await first.waitForType('session_started');
  const second = await ChatClient.open(`${wsBase}/test`);
  first.send({ action: 'ping' });
  await first.waitFor('closed', (c) => c.closeCode !== undefined);
  assert.ok(first.statusCodes().includes('CHARACTER_SWITCHING_TERMINAL'));
  assert.ok(!second.statusCodes().includes('CHARACTER_SWITCHING_TERMINAL'), 'not sent to the new socket');
  second.send({ action: 'stream_data', input_type: 'text', data: 'still there?' });
  await second.waitFor('reply', (c) => c.ofType('system').length > 0);
  assert.equal(second.ofType('session_preparing').length, 0, 'the running session was kept, not restarted');
  await second.close();
});

test('two characters talk at once, each gets only its own replies', { timeout: 30_000 }, async () => {
  const add = await http(`${main.url}/api/characters/catgirl`, { method: 'POST', json: { 档案名: 'Mimi', 性别: 'female' } });
  assert.equal(add.status, 200, JSON.stringify(add.body));
  const a = await ChatClient.open(`${wsBase}/test`);
  const b = await ChatClient.open(`${wsBase}/Mimi`);
  a.send({ action: 'stream_data', input_type: 'text', data: 'what time is it?' });
  b.send({ action: 'stream_data', input_type: 'text', data: 'say hello' });
  await Promise.all([a.waitForType('system'), b.waitForType('system')]);
  assert.ok(a.replyText().length > 0 && b.replyText().length > 0);
  assert.equal(a.ofType('system').length, 1);
  assert.equal(b.ofType('system').length, 1);
  await Promise.all([a.close(), b.close()]);
});

test('bad frames get a status and the connection and session survive', { timeout: 60_000 }, async () => {
  const page = await ChatClient.open(`${wsBase}/test`);
  page.send('{not json');
  page.send({ action: 'fly' });
  page.send({ action: 'start_session', input_type: 'hologram' });
  page.ws.send(Buffer.from([0, 1, 2, 3]));
  page.send({ action: 'stream_data', input_type: 'audio', data: [1, 2, 70000] });
  page.send({ action: 'stream_data', input_type: 'audio', data: [0.25] });
  page.send({ action: 'stream_data', input_type: 'screen', data: 'data:image/png;base64,iVBORw0KGgo=' });
  page.send({ action: 'stream_data', input_type: 'screen', data: `data:image/jpeg;base64,${Buffer.from('not a jpeg at all').toString('base64')}` });
  page.send('x'.repeat(20 * 1024 * 1024));
  page.send({ action: 'ping' });
  await page.waitForType('pong');
  assert.deepEqual(page.statusCodes(), [
    'INVALID_JSON', 'UNKNOWN_ACTION', 'INVALID_INPUT_TYPE', 'INVALID_MESSAGE', 'INVALID_MESSAGE', 'INVALID_MESSAGE', 'INVALID_MESSAGE', 'INVALID_IMAGE', 'INVALID_MESSAGE',
  ]);
  assert.equal(page.closeCode, undefined, 'still connected');

  // 10,000 random and mutated frames: the process stays up and the socket keeps answering.
  let state = 7;
  const rand = (n: number) => {
    state = (state * 48271) % 2147483647;
    return state % n;
  };
  const seeds = ['{"action":"ping"}', '{"action":"stream_data","input_type":"text","data":"hi"}', '{"action":"stream_data","input_type":"audio","data":[1,2,3]}', '{"action":"end_session"}'];
  for (let i = 0; i < 10_000; i++) {
    let s = seeds[rand(seeds.length)]!;
    for (let e = rand(4); e >= 0; e--) {
      const at = rand(s.length);
      s = rand(2) ? s.slice(0, at) + String.fromCharCode(rand(128)) + s.slice(at + 1) : s.slice(0, at);
    }
    if (rand(50) === 0) page.ws.send(Buffer.from(s));
    else page.send(s);
  }
  page.send({ action: 'ping' });
  const pongs = page.ofType('pong').length;
  await page.waitFor('pong after fuzz', (c) => c.ofType('pong').length > pongs, 30_000);
  assert.equal(main.proc.exitCode, null, 'main is still running');
  assert.equal((await http(`${main.url}/health`)).status, 200);
  await page.close();
});

test('proactive chat: an idle page receives one unprompted line; a second character without a page is passed', { timeout: 30_000 }, async () => {
  // A character nobody has talked to yet: the user counts as idle.
  assert.equal((await http(`${main.url}/api/characters/catgirl`, { method: 'POST', json: { 档案名: 'Quiet' } })).status, 200);
  const page = await ChatClient.open(`${wsBase}/Quiet`);
  const res = await http(`${main.url}/api/proactive_chat`, { method: 'POST', json: { lanlan_name: 'Quiet' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.action, 'chat');
  await page.waitFor('line', (c) => c.ofType('system').length > 0);
  const lines = page.ofType('gemini_response');
  assert.equal(lines.length, 1, 'the whole line in one message');
  assert.equal(lines[0]!.isNewMessage, true);
  assert.equal((await http(`${main.url}/api/characters/catgirl`, { method: 'POST', json: { 档案名: 'Absent' } })).status, 200);
  const other = await http(`${main.url}/api/proactive_chat`, { method: 'POST', json: { lanlan_name: 'Absent' } });
  assert.equal(other.body.action, 'pass');
  const missing = await http(`${main.url}/api/proactive_chat`, { method: 'POST', json: { lanlan_name: 'ghost' } });
  assert.equal(missing.status, 404);
  const crossSite = await http(`${main.url}/api/proactive_chat`, { method: 'POST', json: {}, headers: { origin: 'http://evil.example' } });
  assert.equal(crossSite.status, 403);
  await page.close();
});

test('barge-in over the socket: once user_activity names a speech, no more of its audio arrives', { timeout: 60_000 }, async () => {
  assert.equal((await http(`${main.url}/api/characters/catgirl`, { method: 'POST', json: { 档案名: 'Barge' } })).status, 200);
  const page = await ChatClient.open(`${wsBase}/Barge`);
  const speech = await synthesizeSpeech('tell me a long story about the sea', 48_000);
  const silence = Buffer.alloc(48_000 * 2);
  page.send({ action: 'start_session', input_type: 'audio' });
  await page.waitForType('session_started');
  for (const frame of pcmFrames(Buffer.concat([speech, silence]), 480)) page.send({ action: 'stream_data', input_type: 'audio', data: frame });
  await page.waitFor('reply audio starts', (c) => c.audio.length > 0, 30_000);
  const replyId = page.audio[0]!.speechId;
  const activityBefore = page.ofType('user_activity').length;
  for (const frame of pcmFrames(speech, 480)) page.send({ action: 'stream_data', input_type: 'audio', data: frame });
  await page.waitFor('user_activity naming the reply', (c) => c.ofType('user_activity').slice(activityBefore).some((m) => m.interrupted_speech_id === replyId), 20_000);
  const framesAtInterrupt = page.audio.filter((a) => a.speechId === replyId).length;
  const indexAtInterrupt = page.messages.length;
  await new Promise((r) => setTimeout(r, 1500));
  const late = page.messages.slice(indexAtInterrupt).filter((m) => m.type === 'audio_chunk' && m.speech_id === replyId);
  assert.equal(late.length, 0, 'no audio of the interrupted speech after user_activity');
  assert.equal(page.audio.filter((a) => a.speechId === replyId).length, framesAtInterrupt);
  assert.equal(page.orphanBinary, 0);
  await page.close();
});
