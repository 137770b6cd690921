import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionHarness, type Harness, type RecordingSpeech } from '../../../test/support/session-harness.js';
import { tempDataDir } from '../../../test/support/services.js';

function setup(t: import('node:test').TestContext, opts: Parameters<typeof sessionHarness>[1] = {}): Harness {
  const { dir, cleanup } = tempDataDir();
  const h = sessionHarness(dir, opts);
  t.after(() => {
    h.close();
    cleanup();
  });
  return h;
}

/** A PCM16 frame whose samples all carry `seq`, so tests can follow it through the session. */
function frame(seq: number, samples = 160): Buffer {
  const b = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) b.writeInt16LE(seq % 32768, i * 2);
  return b;
}

const seqOf = (b: Buffer) => b.readInt16LE(0);

test('a text message auto-starts a text session, is answered, and ends the turn', async (t) => {
  const h = setup(t);
  h.session.pushText('hello there');
  await h.settle();
  assert.deepEqual(h.socket.messages.slice(0, 2), [
    { type: 'session_preparing', input_mode: 'text' },
    { type: 'session_started', input_mode: 'text' },
  ]);
  const p = h.providers[0]!;
  assert.deepEqual(p.textsIn, ['hello there'], 'queued text replayed after start');
  assert.match(p.connectedWith!.instructions, /You are test\./);
  assert.match(p.connectedWith!.instructions, /Master likes tea/, 'memory context in the prompt');
  p.reply('Hi <happy>Master!');
  const texts = h.socket.ofType('gemini_response');
  assert.deepEqual(texts, [{ type: 'gemini_response', text: 'Hi Master!', isNewMessage: true }], 'emotion tags stripped');
  assert.deepEqual(h.socket.ofType('system'), [{ type: 'system', data: 'turn end' }]);
  assert.equal(h.outbox.pending('test'), 1, 'the turn is queued for memory (memory is down here)');
  await h.settle();
  assert.equal(h.analyzed.length, 1);
  assert.equal(h.analyzed[0]!.trigger, 'turn_end');
  assert.deepEqual(h.analyzed[0]!.messages[0], { role: 'user', content: 'hello there' });
});

test('a new text interrupts the reply in progress and tells the page which speech to drop', async (t) => {
  const h = setup(t);
  h.session.pushText('first');
  await h.settle();
  const p = h.providers[0]!;
  p.emit('response_started', { responseId: 'r1' });
  p.emit('text', { text: 'long answer', first: true, source: 'text' });
  const firstSpeech = h.session.currentSpeechId;
  h.session.pushText('second');
  assert.equal(p.interrupts, 1);
  assert.deepEqual(h.socket.ofType('user_activity').at(-1), { type: 'user_activity', interrupted_speech_id: firstSpeech });
  assert.notEqual(h.session.currentSpeechId, firstSpeech);
  assert.deepEqual(p.textsIn, ['first', 'second']);
});

test('audio frames sent before the session is up are replayed in order', async (t) => {
  const h = setup(t);
  for (let i = 0; i < 50; i++) h.session.pushAudio(frame(i), 16_000);
  await h.settle();
  assert.equal(h.session.inputMode, 'audio');
  assert.deepEqual(h.providers[0]!.audioIn.map(seqOf), Array.from({ length: 50 }, (_, i) => i));
});

test('barge-in: speech start drops the old reply audio at once and tags new audio with a new id', async (t) => {
  const h = setup(t);
  h.session.pushAudio(frame(1), 16_000);
  await h.settle();
  const p = h.providers[0]!;
  p.emit('response_started', { responseId: 'r1' });
  p.emit('audio', { pcm: frame(100) });
  await h.settle();
  const oldId = h.session.currentSpeechId;
  assert.equal(h.socket.audio.length, 1);
  assert.equal(h.socket.audio[0]!.speechId, oldId);
  p.emit('audio', { pcm: frame(101) }); // in flight when the user starts talking
  p.emit('speech_started');
  await h.settle();
  assert.deepEqual(h.socket.ofType('user_activity').at(-1), { type: 'user_activity', interrupted_speech_id: oldId });
  assert.equal(h.socket.audio.length, 1, 'audio of the interrupted reply is not sent');
  assert.equal(p.interrupts, 1);
  p.emit('response_started', { responseId: 'r2' });
  p.emit('audio', { pcm: frame(102) });
  await h.settle();
  assert.equal(h.socket.audio.at(-1)!.speechId, h.session.currentSpeechId);
  assert.notEqual(h.session.currentSpeechId, oldId);
});

test('start failures: counted, reported, and auto-start pauses after three', async (t) => {
  const h = setup(t, { configure: (p) => (p.failConnect = Object.assign(new Error('401 unauthorized'), { status: 401 })), timing: { failureCooldownMs: 60_000 } });
  for (let i = 0; i < 3; i++) {
    h.session.pushText(`try ${i}`);
    await h.settle();
  }
  assert.deepEqual(h.socket.statusCodes(), [
    'SESSION_START_FAILED', 'API_KEY_REJECTED',
    'SESSION_START_FAILED', 'API_KEY_REJECTED',
    'SESSION_START_CRITICAL', 'API_KEY_REJECTED',
  ]);
  assert.equal(h.socket.ofType('session_failed').length, 3);
  h.session.pushText('once more');
  await h.settle();
  assert.equal(h.providers.length, 3, 'no fourth attempt during the cool-down');
  assert.equal(h.session.phase.value, 'idle');
});

test('a provider that never connects fails the start after the timeout', async (t) => {
  const h = setup(t, { configure: (p) => (p.failConnect = 'hang'), timing: { startTimeoutMs: 50 } });
  await h.session.start('audio');
  assert.ok(h.providers[0]!.closed, 'the half-open connection is closed');
  assert.equal(h.socket.ofType('session_failed').length, 1);
  assert.match(JSON.parse(h.socket.ofType('status')[0]!.message).details.error, /did not connect within 50 ms/);
});

test('memory down: the session still starts, with a status warning', async (t) => {
  const h = setup(t, { memoryDown: true });
  await h.session.start('audio');
  assert.deepEqual(h.socket.statusCodes(), ['MEMORY_SERVER_NOT_RUNNING']);
  assert.equal(h.socket.ofType('session_started').length, 1);
});

test('end_session sends CHARACTER_LEFT, queues /process, and is a no-op when idle', async (t) => {
  const h = setup(t);
  await h.session.endSession({ byClient: true, reason: 'test' });
  assert.deepEqual(h.socket.statusCodes(), [], 'nothing to end');
  h.session.pushText('hi');
  await h.settle();
  h.providers[0]!.reply('hello');
  await h.session.endSession({ byClient: true, reason: 'test' });
  assert.deepEqual(h.socket.statusCodes(), ['CHARACTER_LEFT']);
  assert.ok(h.providers[0]!.closed);
  assert.equal(h.outbox.pending('test'), 2, 'cache at the turn end, process at the session end');
  assert.equal(h.session.phase.value, 'idle');
});

test('switching input type ends the text session and starts an audio one', async (t) => {
  const h = setup(t);
  h.session.pushText('hi');
  await h.settle();
  h.session.pushAudio(frame(7), 16_000);
  await h.settle();
  assert.equal(h.providers.length, 2);
  assert.ok(h.providers[0]!.closed);
  assert.equal(h.session.inputMode, 'audio');
  assert.deepEqual(h.providers[1]!.audioIn.map(seqOf), [7]);
});

test('hot-swap: time trigger → renew → prepare → swap at a turn boundary, old events ignored', async (t) => {
  const h = setup(t, { timing: { renewAfterMs: 0, prepDelayMs: 0 } });
  await h.session.start('audio');
  const first = h.providers[0]!;
  h.session.pushAudio(frame(1), 16_000);
  await h.settle();
  first.emit('speech_started');
  first.emit('input_transcript', { text: 'how are you' });
  first.emit('speech_stopped');
  first.reply('fine');
  assert.equal(h.session.swapState, 'triggered');
  first.reply('still fine');
  await h.settle();
  assert.equal(h.session.swapState, 'ready');
  assert.equal(h.providers.length, 2);
  const prompt = h.providers[1]!.connectedWith!.instructions;
  assert.match(prompt, /test \| still fine/, 'turns since the trigger are in the new prompt');
  assert.doesNotMatch(prompt, /how are you/, 'turns before the trigger went to memory with /renew instead');
  assert.equal(h.outbox.pending('test'), 2, 'cache at the first turn end, renew at the trigger');
  first.reply('third');
  assert.equal(h.session.swapState, 'idle');
  assert.equal(h.session.counters.swaps, 1);
  assert.ok(first.closed);
  const second = h.providers[1]!;
  assert.equal(second.responsesCreated.length, 1);
  assert.equal(second.responsesCreated[0]!.silent, true, 'the prime only loads context');
  const before = h.socket.messages.length;
  first.emit('text', { text: 'stale', first: true, source: 'text' });
  assert.equal(h.socket.messages.length, before, 'events from the replaced connection are dropped');
  h.session.pushAudio(frame(2), 16_000);
  await h.settle();
  assert.deepEqual(second.audioIn.map(seqOf), [2]);
});

test('no swap while the user is speaking: an utterance is never split between sessions', async (t) => {
  const h = setup(t, { timing: { renewAfterMs: 0, prepDelayMs: 0 } });
  await h.session.start('audio');
  const first = h.providers[0]!;
  first.reply('a');
  first.reply('b');
  await h.settle();
  assert.equal(h.session.swapState, 'ready');
  first.emit('speech_started');
  first.reply('c');
  assert.equal(h.session.swapState, 'ready', 'deferred');
  first.emit('speech_stopped');
  first.reply('d');
  assert.equal(h.session.counters.swaps, 1);
});

test('1,000 forced swaps under continuous audio in both directions: nothing lost, nothing duplicated, order kept', async (t) => {
  const h = setup(t);
  await h.session.start('audio');
  let seqIn = 0;
  let seqOut = 0;
  for (let swap = 0; swap < 1000; swap++) {
    const current = h.providers.at(-1)!;
    for (let i = 0; i < 3; i++) h.session.pushAudio(frame(seqIn++), 16_000);
    current.emit('response_started', { responseId: `r${swap}` });
    for (let i = 0; i < 2; i++) current.emit('audio', { pcm: frame(seqOut++) });
    current.emit('response_done', { responseId: `r${swap}`, text: '', cancelled: false });
    const swapping = h.session.forceSwap();
    for (let i = 0; i < 2; i++) h.session.pushAudio(frame(seqIn++), 16_000); // during the swap
    await swapping;
  }
  for (let i = 0; i < 3; i++) h.session.pushAudio(frame(seqIn++), 16_000);
  await h.settle();
  assert.equal(h.session.counters.swaps, 1000);
  const received = h.providers.flatMap((p) => p.audioIn.map(seqOf));
  assert.equal(received.length, seqIn, 'no input frame lost or duplicated');
  assert.deepEqual(received, Array.from({ length: seqIn }, (_, i) => i % 32768), 'input order kept across swaps');
  const played = h.socket.audio.map((a) => seqOf(a.audio));
  assert.deepEqual(played, Array.from({ length: seqOut }, (_, i) => i % 32768), 'output frames all delivered once, in order');
  assert.equal(h.session.counters.audioFramesDropped, 0);
  assert.ok(h.providers.slice(0, -1).every((p) => p.closed), 'replaced sessions are closed');
});

test('provider dropped: reconnect with context, audio held meanwhile is flushed into the new connection', async (t) => {
  const h = setup(t);
  await h.session.start('audio');
  const first = h.providers[0]!;
  first.emit('input_transcript', { text: 'remember the blue kettle' });
  first.reply('I will.');
  first.drop();
  h.session.pushAudio(frame(41), 16_000);
  h.session.pushAudio(frame(42), 16_000);
  await h.settle();
  assert.equal(h.providers.length, 2);
  assert.match(h.providers[1]!.connectedWith!.instructions, /blue kettle/);
  assert.deepEqual(h.providers[1]!.audioIn.map(seqOf), [41, 42]);
  assert.ok(h.socket.statusCodes().includes('PROVIDER_RECONNECTED'));
  assert.equal(h.session.phase.value, 'live');
});

test('provider dropped and reconnect fails: CHARACTER_DISCONNECTED and session_ended_by_server', async (t) => {
  const h = setup(t, { configure: (p, n) => (n > 0 ? (p.failConnect = new Error('refused')) : undefined) });
  await h.session.start('audio');
  h.providers[0]!.drop();
  await h.settle();
  await h.settle();
  assert.ok(h.socket.statusCodes().includes('CHARACTER_DISCONNECTED'));
  assert.deepEqual(h.socket.ofType('session_ended_by_server'), [{ type: 'session_ended_by_server', input_mode: 'audio' }]);
  assert.equal(h.session.phase.value, 'idle');
});

test('agent results: spoken at once in a text session', async (t) => {
  const h = setup(t);
  h.session.pushText('open the calculator');
  await h.settle();
  h.session.enqueueAgentResult({ success: true, summary: 'Calculator opened' });
  await h.settle();
  const created = h.providers[0]!.responsesCreated;
  assert.equal(created.length, 1);
  assert.equal(created[0]!.silent, false);
  assert.match(created[0]!.text, /✅ Calculator opened/);
});

test('agent results in a voice session are reported through the next swap prime', async (t) => {
  const h = setup(t);
  await h.session.start('audio');
  h.session.enqueueAgentResult({ success: false, summary: 'Browser could not reach the page' });
  await h.settle();
  assert.equal(h.session.swapState, 'ready');
  h.providers[0]!.reply('ok');
  const prime = h.providers[1]!.responsesCreated[0]!;
  assert.equal(prime.silent, false, 'the new session speaks the result');
  assert.match(prime.text, /❌ Browser could not reach the page/);
});

test('screen frames to a realtime provider are paced; text mode attaches every frame', async (t) => {
  const h = setup(t, { timing: { imageIntervalMs: 10_000 } });
  await h.session.start('audio');
  h.session.pushImage('/9j/AAAA');
  h.session.pushImage('/9j/BBBB');
  assert.deepEqual(h.providers[0]!.imagesIn, ['/9j/AAAA']);
});

test('a custom voice: the realtime model connects text-only, its own audio is dropped, and TTS speaks the reply', async (t) => {
  const speeches: RecordingSpeech[] = [];
  const h = setup(t, { speech: speeches, customVoice: true });
  await h.session.start('audio');
  await h.settle();
  const p = h.providers[0]!;
  assert.equal(p.capabilities.audioOutput, true, 'the provider could speak');
  assert.equal(p.connectedWith!.audioOutput, false, 'asked for text only');
  const tts = speeches[0]!;
  assert.ok(tts, 'TTS started for the session');
  p.emit('response_started', { responseId: 'r1' });
  p.emit('text', { text: 'Hello in my own voice.', first: true, source: 'transcript' });
  p.emit('audio', { pcm: Buffer.alloc(480) }); // a provider that cannot turn its voice off
  const id = h.session.currentSpeechId;
  assert.deepEqual(tts.pushed, [{ speechId: id, text: 'Hello in my own voice.' }]);
  await h.settle();
  assert.equal(h.socket.audio.length, 0, 'the provider voice never reaches the page');
  p.emit('response_done', { responseId: 'r1', text: 'Hello in my own voice.', cancelled: false });
  assert.deepEqual(tts.ended, [id]);
  tts.emit('audio', { speechId: id, audio: Buffer.alloc(960), format: 'pcm16-48k' });
  assert.equal(h.socket.audio.length, 1, 'the custom voice is heard');
});

test('without a custom voice the realtime model speaks itself and no TTS starts', async (t) => {
  const speeches: RecordingSpeech[] = [];
  const h = setup(t, { speech: speeches, customVoice: false });
  await h.session.start('audio');
  await h.settle();
  assert.equal(h.providers[0]!.connectedWith!.audioOutput, true);
  assert.equal(speeches.length, 0);
});

test('a provider that does not speak is voiced by TTS under the reply speech id; barge-in silences it', async (t) => {
  const speeches: RecordingSpeech[] = [];
  const h = setup(t, { speech: speeches, capabilities: { audioInput: false, audioOutput: false, vision: true, serverVad: false, inputSampleRate: 16_000, outputSampleRate: 24_000 } });
  h.session.pushText('tell me a story');
  await h.settle();
  const tts = speeches[0]!;
  const p = h.providers[0]!;
  p.emit('response_started', { responseId: 'r1' });
  p.emit('text', { text: 'Once <happy>upon', first: true, source: 'text' });
  p.emit('text', { text: ' a time.', first: false, source: 'text' });
  const id = h.session.currentSpeechId;
  assert.deepEqual(tts.pushed, [{ speechId: id, text: 'Once upon' }, { speechId: id, text: ' a time.' }]);
  tts.emit('audio', { speechId: id, audio: Buffer.alloc(960), format: 'pcm16-48k' });
  assert.equal(h.socket.audio.length, 1);
  assert.equal(h.socket.audio[0]!.speechId, id);
  p.emit('response_done', { responseId: 'r1', text: 'Once upon a time.', cancelled: false });
  assert.deepEqual(tts.ended, [id]);
  const interruptsBefore = tts.interrupts;
  h.session.pushText('stop');
  assert.equal(tts.interrupts, interruptsBefore + 1, 'TTS may still be speaking after the text ended: a new turn stops it');
  tts.emit('audio', { speechId: id, audio: Buffer.alloc(960), format: 'pcm16-48k' }); // late audio of the old reply
  assert.equal(h.socket.audio.length, 1, 'audio of an interrupted reply never reaches the page');
  tts.emit('error', { code: 'TTS_CONNECTION_FAILED', message: 'engine down' });
  assert.ok(h.socket.statusCodes().includes('TTS_CONNECTION_FAILED'));
  await h.session.endSession({ byClient: true, reason: 'test' });
  assert.ok(tts.closed);
});

test('a reply discarded by the length guard leaves no trace: the page, speech and memory drop it, and the reroll is a new reply', async (t) => {
  const speeches: RecordingSpeech[] = [];
  const h = setup(t, { speech: speeches, capabilities: { audioInput: false, audioOutput: false, vision: true, serverVad: false, inputSampleRate: 16_000, outputSampleRate: 24_000 } });
  h.session.pushText('tell me everything');
  await h.settle();
  const p = h.providers[0]!;
  const tts = speeches[0]!;
  p.emit('response_started', { responseId: 'r1' });
  p.emit('text', { text: 'Once upon a time, and on and on', first: true, source: 'text' });
  const voidSpeech = h.session.currentSpeechId;
  const interruptsBefore = tts.interrupts;
  p.emit('response_discarded', { responseId: 'r1', reason: 'length>300', attempt: 1, maxAttempts: 2, willRetry: true });
  assert.deepEqual(h.socket.ofType('response_discarded'), [
    { type: 'response_discarded', reason: 'length>300', attempt: 1, max_attempts: 2, will_retry: true, message: '' },
  ]);
  assert.equal(tts.interrupts, interruptsBefore + 1, 'speech of the void reply stops');
  assert.notEqual(h.session.currentSpeechId, voidSpeech, 'the reroll speaks under a new speech id');
  p.emit('text', { text: 'In short: cats.', first: true, source: 'text' });
  p.emit('response_done', { responseId: 'r1', text: 'In short: cats.', cancelled: false });
  assert.deepEqual(h.socket.ofType('gemini_response').at(-1), { type: 'gemini_response', text: 'In short: cats.', isNewMessage: true });
  assert.deepEqual(h.socket.ofType('system'), [{ type: 'system', data: 'turn end' }]);
  await h.settle();
  assert.deepEqual(h.analyzed[0]!.messages.map((m) => m.content.replace(/^\[[^\]]+\] /, '')), ['tell me everything', 'In short: cats.'], 'memory never sees the void reply');

  // The last reroll fails too: the page hears why, and the turn still ends.
  h.session.pushText('again');
  p.emit('response_started', { responseId: 'r2' });
  p.emit('response_discarded', { responseId: 'r2', reason: 'length>300', attempt: 3, maxAttempts: 2, willRetry: false });
  p.emit('response_done', { responseId: 'r2', text: '', cancelled: false });
  assert.equal(JSON.parse(h.socket.ofType('response_discarded').at(-1)!.message).code, 'RESPONSE_TOO_LONG');
  assert.equal(h.socket.ofType('system').length, 2, 'turn end after giving up');
});

test('three near-identical replies in a row: the page is warned once and the model forgets the conversation', async (t) => {
  const h = setup(t);
  h.session.pushText('hi');
  await h.settle();
  const p = h.providers[0]!;
  p.reply('Hello master, I missed you so much!');
  p.reply('Hello master, I missed you so much!!');
  assert.equal(h.socket.ofType('repetition_warning').length, 0);
  p.reply('Hello, master! I missed you so much.');
  assert.deepEqual(h.socket.ofType('repetition_warning'), [{ type: 'repetition_warning', name: 'test' }]);
  assert.equal(p.historyResets, 1);
  p.reply('Something else entirely, about the weather today.');
  assert.equal(h.socket.ofType('repetition_warning').length, 1);
});
