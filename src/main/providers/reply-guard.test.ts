import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplyFence, replyLength } from './reply-guard.js';

test('reply length: a unit per Chinese or Japanese character, a word per unit elsewhere (Korean by words)', () => {
  assert.equal(replyLength('Hello there, how are you?'), 5);
  assert.equal(replyLength('今天天气很好'), 6);
  assert.equal(replyLength('今日はいい天気ですね'), 10);
  assert.equal(replyLength('안녕하세요 오늘 날씨가 좋네요'), 4);
  assert.equal(replyLength('我喜欢 cats and 猫'), 6);
  assert.equal(replyLength('Привет, как дела?'), 3);
  assert.equal(replyLength(' ... !! — '), 0, 'punctuation alone is no word');
});

test('the fence passes the first bar and cuts at the second, across deltas and in full width', () => {
  const fence = new ReplyFence();
  assert.equal(fence.pass('Sure | I can'), 'Sure | I can');
  assert.equal(fence.pass(' help.'), ' help.');
  assert.equal(fence.pass('\nMas'), '', 'a new line waits: it may be a speaker name');
  assert.equal(fence.pass('ter | and then'), '', 'it was: the name is never shown');
  assert.equal(fence.closed, true);
  assert.equal(fence.pass('more'), '');
  assert.equal(fence.flush(), '');
  const wide = new ReplyFence();
  assert.equal(wide.pass('好的｜我来｜主人说'), '好的｜我来');
  assert.equal(new ReplyFence().pass('no bars at all'), 'no bars at all');
});

test('a new line without a bar is shown once it is long enough, at the next line, or at the end', () => {
  const fence = new ReplyFence();
  assert.equal(fence.pass('First line.\nSecond'), 'First line.');
  assert.equal(fence.pass(' line.\nThird'), '\nSecond line.', 'the next newline releases it');
  assert.equal(fence.pass(' line goes on and on well past any speaker name'), '\nThird line goes on and on well past any speaker name');
  assert.equal(fence.pass('\nEnd.'), '');
  assert.equal(fence.flush(), '\nEnd.');
});
