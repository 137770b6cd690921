import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputHistoryError, parseInputHistory } from './input-history.js';

const names = { character: 'neko', master: 'me' };

test('neko messages keep their id and time; the assistant time prefix is dropped from the stored text', () => {
  const raw = JSON.stringify([
    { role: 'user', content: [{ type: 'text', text: 'hi' }], id: 'u1', timestamp: '2026-11-27T10:00:00.000Z' },
    { role: 'assistant', content: [{ type: 'text', text: '[20261127 Fri 18:00] hello~' }], id: 'a1', timestamp: '2026-11-27T10:00:01.000Z' },
  ]);
  const [user, assistant] = parseInputHistory(raw, names);
  assert.deepEqual(user!.turn, { id: 'u1', role: 'user', speaker: 'me', text: 'hi', ts: Date.parse('2026-11-27T10:00:00.000Z') });
  assert.equal(assistant!.turn.text, 'hello~');
  assert.equal(assistant!.turn.speaker, 'neko');
  assert.equal(assistant!.window.type, 'ai');
  assert.equal(assistant!.window.data.id, 'a1');
  assert.deepEqual(assistant!.window.data.content, [{ type: 'text', text: '[20261127 Fri 18:00] hello~' }], 'the window keeps the original text');
});

test('messages without id get the same id on a retry, a different one in another batch', () => {
  const batch = JSON.stringify([{ role: 'user', content: 'hi' }, { role: 'assistant', content: '[20260312 Thu 07:47] hey' }]);
  const first = parseInputHistory(batch, names, 1);
  const retry = parseInputHistory(batch, names, 2);
  assert.deepEqual(first.map((p) => p.turn.id), retry.map((p) => p.turn.id));
  const other = parseInputHistory(JSON.stringify([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'something else' }]), names);
  assert.notEqual(other[0]!.turn.id, first[0]!.turn.id, 'the same words in another conversation are another turn');
  assert.equal(first[1]!.turn.ts, new Date(2026, 2, 12, 7, 47).getTime(), 'time taken from the prefix');
  assert.equal(parseInputHistory(JSON.stringify([{ type: 'human', content: 'x' }]), names)[0]!.turn.role, 'user');
});

test('malformed input_history is refused with a reason', () => {
  for (const raw of ['not json', '{}', '[{"role":"robot","content":"x"}]', '[{"role":"user"}]', '[{"content":"x"}]', '[1]']) {
    assert.throws(() => parseInputHistory(raw, names), InputHistoryError, raw);
  }
  assert.deepEqual(parseInputHistory('[]', names), []);
});
