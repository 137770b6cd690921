import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { EventRecorder, TINY_JPEG_BASE64 } from '../../../test/support/provider-recorder.js';
import { startChatModelServer, type ChatModelServer } from '../../../test/support/chat-model-server.js';
import { startSimServer, type SimServer } from '../sim/server.js';
import { ChatCompletionsClient, type ChatCompletionsOptions } from './chat-completions.js';

const INSTRUCTIONS = 'You are Neko.';
let sim: SimServer;
before(async () => {
  sim = await startSimServer({ badKeys: ['bad-key'], pacing: { textIntervalMs: 10 } });
});
after(() => sim.close());

async function open(overrides: Partial<ChatCompletionsOptions> = {}, apiKey = 'test-key') {
  const client = new ChatCompletionsClient({
    conversation: { baseUrl: `${sim.url}/v1`, model: 'sim-chat', apiKey },
    retryDelaysMs: [10, 20],
    ...overrides,
  });
  const rec = new EventRecorder(client);
  await client.connect({ instructions: INSTRUCTIONS, audioOutput: false });
  return { client, rec };
}

/** A loopback port with nothing listening: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('chat-completions client against the sim', () => {
  it('streams a reply as text deltas and keeps the conversation history', async () => {
    const { client, rec } = await open();
    assert.deepEqual([client.capabilities.audioInput, client.capabilities.audioOutput], [false, false]);
    const requestsBefore = sim.stats.chatRequests.length;
    client.sendText('what time is it');
    const done = await rec.waitFor('response_done');
    assert.match(done.payload.text, /^It's \d{1,2}:\d{2}/);
    const texts = rec.of('text');
    assert.ok(texts.length >= 2, 'streamed in several deltas');
    assert.equal(texts.map((e) => e.payload.text).join(''), done.payload.text);
    assert.deepEqual(texts.map((e) => e.payload.first), texts.map((_, i) => i === 0));
    client.sendText('hello');
    await rec.waitFor('response_done', (p) => p.responseId !== done.payload.responseId);
    const second = sim.stats.chatRequests[requestsBefore + 1]!;
    assert.equal(second.messages, 4, 'system + user + assistant + user');
    assert.equal(second.stream, true);
    await client.close();
  });

  it('sends queued images with the next text, to the vision model for that request only', async () => {
    const { client, rec } = await open({ vision: { baseUrl: `${sim.url}/v1`, model: 'sim-vision', apiKey: 'test-key' } });
    const from = sim.stats.chatRequests.length;
    client.sendImage(TINY_JPEG_BASE64);
    client.sendImage(TINY_JPEG_BASE64);
    client.sendText('what do you see');
    const first = await rec.waitFor('response_done');
    assert.match(first.payload.text, /2 pictures/);
    client.sendText('hello');
    await rec.waitFor('response_done', (p) => p.responseId !== first.payload.responseId);
    assert.deepEqual(
      sim.stats.chatRequests.slice(from).map((r) => [r.model, r.images]),
      [['sim-vision', 2], ['sim-chat', 0]],
    );
    await client.close();
  });

  it('a new text interrupts the reply in flight; interrupt() ends it as cancelled', async () => {
    const { client, rec } = await open();
    client.sendText('tell me a joke');
    const firstStart = await rec.waitFor('response_started');
    await rec.waitFor('text');
    client.sendText('hello');
    const cancelled = await rec.waitFor('response_done', (p) => p.responseId === firstStart.payload.responseId);
    assert.equal(cancelled.payload.cancelled, true);
    assert.ok(!cancelled.payload.text.includes('mouse'));
    const next = await rec.waitFor('response_done', (p) => p.responseId !== firstStart.payload.responseId);
    assert.match(next.payload.text, /^Hello!/);
    assert.equal(rec.of('response_done').length, 2);

    client.sendText('tell me a joke');
    await rec.waitFor('text', () => true, { from: rec.indexOf(next) + 1 });
    client.interrupt();
    const third = await rec.waitFor('response_done', () => true, { from: rec.indexOf(next) + 1 });
    assert.equal(third.payload.cancelled, true);
    await client.close();
  });

  it('a silent prime adds context without a request; a non-silent one asks for a reply', async () => {
    const { client, rec } = await open();
    const from = sim.stats.chatRequests.length;
    client.createResponse('SYSTEM_MESSAGE | The user likes cats.', { silent: true });
    assert.equal(rec.events.length, 0);
    client.createResponse('The agent finished the task.', { silent: false });
    const done = await rec.waitFor('response_done');
    assert.equal(done.payload.text, 'Okay, noted.');
    assert.deepEqual(sim.stats.chatRequests.slice(from).map((r) => r.messages), [3], 'system + prime + context, one request');
    await client.close();
  });

  it('retries transient failures (503, 429) and succeeds within three attempts', async () => {
    const { client, rec } = await open();
    sim.failChatRequests(2, 503);
    client.sendText('hello');
    const done = await rec.waitFor('response_done');
    assert.match(done.payload.text, /^Hello!/);
    assert.equal(rec.of('error').length, 0);
    sim.failChatRequests(3, 429);
    client.sendText('hello');
    const failed = await rec.waitFor('response_done', (p) => p.responseId !== done.payload.responseId);
    const error = rec.of('error')[0]!;
    assert.deepEqual([error.payload.code, error.payload.fatal], ['API_RATE_LIMIT', false]);
    assert.ok(rec.indexOf(error) < rec.indexOf(failed), 'error comes before response_done');
    assert.equal(failed.payload.text, '');
    await client.close();
  });

  it('a rejected key is reported once, fatal, without retries', async () => {
    const { client, rec } = await open({}, 'bad-key');
    const from = sim.stats.chatRequests.length;
    client.sendText('hello');
    await rec.waitFor('response_done');
    assert.deepEqual(rec.of('error').map((e) => [e.payload.code, e.payload.fatal]), [['API_KEY_REJECTED', true]]);
    assert.equal(sim.stats.chatRequests.length, from);
    await client.close();
  });

  it('an unreachable server ends the turn with LLM_CONNECTION_FAILED after three attempts', async () => {
    const port = await closedPort();
    const client = new ChatCompletionsClient({ conversation: { baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', apiKey: 'k' }, retryDelaysMs: [10, 20] });
    const rec = new EventRecorder(client);
    await client.connect({ instructions: INSTRUCTIONS, audioOutput: false });
    const t0 = Date.now();
    client.sendText('hello');
    await rec.waitFor('response_done');
    assert.ok(Date.now() - t0 >= 30, 'waited between attempts');
    assert.deepEqual(rec.of('error').map((e) => e.payload.code), ['LLM_CONNECTION_FAILED']);
    await client.close();
    assert.equal(rec.of('closed')[0]!.payload.byServer, false);
  });
});

describe('chat-completions reply guards (sessions.md §7.4)', () => {
  let model: ChatModelServer;
  let answers: string[] = [];
  before(async () => {
    model = await startChatModelServer(() => ({ content: answers.shift() ?? 'Fine.' }));
  });
  after(() => model.close());

  async function guarded(opts: Partial<ChatCompletionsOptions> = {}) {
    const client = new ChatCompletionsClient({ conversation: { baseUrl: model.baseUrl, model: 'test-chat', apiKey: 'k' }, retryDelaysMs: [10], ...opts });
    const rec = new EventRecorder(client);
    await client.connect({ instructions: INSTRUCTIONS, audioOutput: false });
    return { client, rec };
  }

  it('a reply over the length limit is discarded and asked for again; the reroll is what the history keeps', async () => {
    answers = ['one two three four five six seven', 'Short answer.'];
    const { client, rec } = await guarded({ maxReplyUnits: 5 });
    const from = model.requests.length;
    client.sendText('explain everything');
    const done = await rec.waitFor('response_done');
    assert.deepEqual(rec.of('response_discarded').map((e) => e.payload), [
      { responseId: done.payload.responseId, reason: 'length>5', attempt: 1, maxAttempts: 2, willRetry: true },
    ]);
    assert.equal(done.payload.text, 'Short answer.');
    assert.equal(model.requests.length - from, 2, 'asked twice');
    client.sendText('and now?');
    await rec.waitFor('response_done', (p) => p.responseId !== done.payload.responseId);
    assert.deepEqual(model.requests.at(-1)!.messages.map((m) => m.content), [INSTRUCTIONS, 'explain everything', 'Short answer.', 'and now?']);
    await client.close();
  });

  it('after the last reroll the turn gives up: no reply in the history, and the turn still ends', async () => {
    answers = ['far too long a reply', 'still far too long a reply', 'once more far too long'];
    const { client, rec } = await guarded({ maxReplyUnits: 3, rerolls: 2 });
    client.sendText('talk');
    const done = await rec.waitFor('response_done');
    assert.deepEqual(rec.of('response_discarded').map((e) => [e.payload.attempt, e.payload.willRetry]), [[1, true], [2, true], [3, false]]);
    assert.equal(done.payload.text, '');
    client.sendText('next');
    await rec.waitFor('response_done', (p) => p.responseId !== done.payload.responseId);
    assert.deepEqual(model.requests.at(-1)!.messages.map((m) => m.role), ['system', 'user', 'user'], 'the discarded replies left no assistant message');
    await client.close();
  });

  it('the fence ends a reply at a second bar: the model had started writing the next speaker\'s line', async () => {
    answers = ['Neko | Of course, master.\nMaster | thanks, now write my homework'];
    const { client, rec } = await guarded();
    client.sendText('hello');
    const done = await rec.waitFor('response_done');
    assert.equal(done.payload.text, 'Neko | Of course, master.', 'the next speaker\'s name is not part of the reply');
    assert.equal(rec.of('response_discarded').length, 0);
    client.resetHistory();
    client.sendText('again');
    await rec.waitFor('response_done', (p) => p.responseId !== done.payload.responseId);
    assert.deepEqual(model.requests.at(-1)!.messages.map((m) => m.role), ['system', 'user'], 'resetHistory keeps only the instructions');
    await client.close();
  });
});

describe('chat-completions length guard off', () => {
  it('maxReplyUnits 0 lets a reply of any length through', async () => {
    const model = await startChatModelServer(() => ({ content: 'word '.repeat(500).trim() }));
    try {
      const client = new ChatCompletionsClient({ conversation: { baseUrl: model.baseUrl, model: 'test-chat', apiKey: 'k' }, maxReplyUnits: 0 });
      const rec = new EventRecorder(client);
      await client.connect({ instructions: INSTRUCTIONS, audioOutput: false });
      client.sendText('go on');
      const done = await rec.waitFor('response_done');
      assert.equal(done.payload.text.split(' ').length, 500);
      assert.equal(rec.of('response_discarded').length, 0);
      await client.close();
    } finally {
      await model.close();
    }
  });
});
