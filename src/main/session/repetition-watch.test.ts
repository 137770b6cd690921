import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RepetitionWatch } from './repetition-watch.js';

test('the third near-identical reply in a row is a repetition; then the watch starts over', () => {
  const watch = new RepetitionWatch();
  assert.equal(watch.observe('Meow! I am so happy to see you today, master!'), false);
  assert.equal(watch.observe('Meow! I am so happy to see you today, master!!'), false);
  assert.equal(watch.observe('meow — I am so happy to see you today, Master!'), true);
  assert.equal(watch.observe('Meow! I am so happy to see you today, master!'), false, 'counting starts again');
});

test('different replies, or a repeat of only one of the two before, are not a repetition; CJK works without spaces', () => {
  const watch = new RepetitionWatch();
  watch.observe('今天天气真好，我们出去玩吧！');
  watch.observe('你想吃点什么？我可以帮你点外卖。');
  assert.equal(watch.observe('今天天气真好，我们出去玩吧！'), false, 'like the first, unlike the second');
  const cjk = new RepetitionWatch();
  cjk.observe('主人，欢迎回来喵～今天辛苦了');
  cjk.observe('主人，欢迎回来喵～今天辛苦了！');
  assert.equal(cjk.observe('主人欢迎回来喵，今天辛苦了'), true);
  assert.equal(new RepetitionWatch().observe('ok'), false, 'too short to judge');
});
