import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClauseSegmenter } from './clause-segmenter.js';

/** Feeds text in small pieces (as an LLM streams it) and returns every clause, the flushed tail last. */
function segment(text: string, pieceSize = 3): string[] {
  const seg = new ClauseSegmenter();
  const out: string[] = [];
  for (let i = 0; i < text.length; i += pieceSize) out.push(...seg.push(text.slice(i, i + pieceSize)));
  const tail = seg.flush();
  if (tail) out.push(tail);
  return out;
}

test('English: sentences split at . ! ? but not inside numbers; the tail comes with flush', () => {
  assert.deepEqual(segment('Hello there! It costs 3.50 today. Is that fine? Sure'), ['Hello there!', 'It costs 3.50 today.', 'Is that fine?', 'Sure']);
});

test('English: a clause is available before the reply ends (first audio after the first clause)', () => {
  const seg = new ClauseSegmenter();
  assert.deepEqual(seg.push('Good morning! I was'), ['Good morning!']);
  assert.deepEqual(seg.push(' thinking'), []);
});

test('English: a dot at the end of what arrived waits for the next character', () => {
  const seg = new ClauseSegmenter();
  assert.deepEqual(seg.push('Pi is 3.'), []);
  assert.deepEqual(seg.push('14. Yes'), ['Pi is 3.14.']);
});

test('Chinese: splits at 。！？；, keeps closing quotes with their clause', () => {
  assert.deepEqual(segment('你好呀！今天天气真好。你想出去玩吗？「好的。」我们走吧'), ['你好呀！', '今天天气真好。', '你想出去玩吗？', '「好的。」', '我们走吧']);
});

test('Chinese: a comma ends a clause only after enough text', () => {
  assert.deepEqual(segment('嗯，我觉得这个问题其实非常有意思，值得我们好好想一想。'), ['嗯，我觉得这个问题其实非常有意思，', '值得我们好好想一想。']);
});

test('Japanese: splits at 。！？ and ellipses', () => {
  assert.deepEqual(segment('こんにちは！今日はいい天気ですね。散歩に行きませんか……それとも家にいる？'), [
    'こんにちは！',
    '今日はいい天気ですね。',
    '散歩に行きませんか……',
    'それとも家にいる？',
  ]);
});

test('punctuation-only pieces are not clauses of their own', () => {
  assert.deepEqual(segment('……嗯。'), ['……嗯。']);
});

test('a very long unpunctuated run is cut at a space', () => {
  const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
  const clauses = segment(words, 7);
  assert.ok(clauses.length >= 2);
  assert.equal(clauses.join(' '), words);
  for (const c of clauses) assert.ok(c.length <= 160, `clause too long: ${c.length}`);
});
