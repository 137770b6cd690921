import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScriptedProvider } from '../providers/testing.js';
import { ApiError } from '../../shared/errors.js';
import { cleanProactiveLine, MAX_PER_HOUR, MIN_IDLE_MS, ProactiveChat, type ProactiveSession } from './proactive-chat.js';

class FakeSession implements ProactiveSession {
  voice = false;
  replying = false;
  page = true;
  idle = 10 * 60_000;
  delivered: string[] = [];
  isVoiceActive() { return this.voice; }
  isReplying() { return this.replying; }
  hasPage() { return this.page; }
  idleMs() { return this.idle; }
  async deliverProactive(text: string) { this.delivered.push(text); return true; }
}

/** A text provider that answers every request with `reply`, and records what it was asked. */
function answering(reply: string, seen: { instructions: string[]; images: number }) {
  return async () => {
    const p = new ScriptedProvider({ audioInput: false, audioOutput: false, vision: true, serverVad: false, inputSampleRate: 16000, outputSampleRate: 24000 });
    p.connect = async (opts) => { seen.instructions.push(opts.instructions); };
    p.sendImage = () => { seen.images++; };
    p.sendText = () => queueMicrotask(() => p.reply(reply));
    return p;
  };
}

function setup(reply = 'Good evening! Did you finish that book you mentioned?') {
  const session = new FakeSession();
  const seen = { instructions: [] as string[], images: 0 };
  let now = 1_000_000_000_000;
  const chat = new ProactiveChat({
    sessionFor: (n) => (n === 'test' ? session : undefined),
    currentCharacter: () => 'test',
    profile: () => ({ prompt: 'You are test.', master: 'Master', language: 'en' }),
    memoryContext: async () => 'Master is reading a mystery novel.',
    textProvider: answering(reply, seen),
    now: () => now,
  });
  return { chat, session, seen, advance: (ms: number) => (now += ms) };
}

test('an idle user gets one line over the socket, built from memory and time of day', async () => {
  const { chat, session, seen } = setup();
  const answer = await chat.run({});
  assert.equal(answer.action, 'chat');
  assert.deepEqual(session.delivered, ['Good evening! Did you finish that book you mentioned?']);
  assert.match(seen.instructions[0]!, /mystery novel/);
  assert.match(seen.instructions[0]!, /It is (morning|around noon|afternoon|evening|night|late at night)/);
});

test('no line while a voice session runs, while the user is active, or without a page', async () => {
  const { chat, session } = setup();
  session.voice = true;
  assert.equal((await chat.run({})).action, 'pass');
  session.voice = false;
  session.idle = MIN_IDLE_MS - 1;
  assert.equal((await chat.run({})).action, 'pass');
  session.idle = MIN_IDLE_MS;
  session.page = false;
  assert.equal((await chat.run({})).action, 'pass');
  assert.deepEqual(session.delivered, []);
});

test('a reply in progress is a 409; an unknown character a 404', async () => {
  const { chat, session } = setup();
  session.replying = true;
  await assert.rejects(chat.run({}), (e: ApiError) => e.status === 409);
  await assert.rejects(chat.run({ lanlan_name: 'ghost' }), (e: ApiError) => e.status === 404);
});

test(`at most ${MAX_PER_HOUR} lines an hour per character`, async () => {
  const { chat, session, advance } = setup();
  for (let i = 0; i < MAX_PER_HOUR; i++) {
    assert.equal((await chat.run({})).action, 'chat');
    advance(60_000);
  }
  assert.equal((await chat.run({})).action, 'pass');
  assert.equal(session.delivered.length, MAX_PER_HOUR);
  advance(60 * 60_000);
  assert.equal((await chat.run({})).action, 'chat', 'the window slides');
});

test('[PASS] and empty answers deliver nothing; a screen frame is shown to the model', async () => {
  const pass = setup('[PASS]');
  assert.equal((await pass.chat.run({ screenshot_data: 'data:image/jpeg;base64,/9j/AAAA', enabled_modes: ['vision'] })).action, 'pass');
  assert.equal(pass.seen.images, 1);
  assert.deepEqual(pass.session.delivered, []);
});

test('generated lines are cleaned: tags dropped, cut at the second bar, bounded', () => {
  assert.equal(cleanProactiveLine('[SCREEN] Nice <happy>view!'), 'Nice view!');
  assert.equal(cleanProactiveLine('one | two | three'), 'one  two');
  assert.equal(cleanProactiveLine('x'.repeat(1000)).length, 400);
});
