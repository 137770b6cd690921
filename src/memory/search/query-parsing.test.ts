import assert from 'node:assert/strict';
import { test } from 'node:test';
import { speakerIntent } from './query-intent.js';
import { indexText, queryTerms } from './text-terms.js';
import { parseTimeFilter } from './time-expressions.js';

test('CJK runs are indexed and queried as bigrams plus characters; queries drop function words', () => {
  assert.equal(indexText('我喜欢猫').trim().split(/\s+/).join(' '), '我喜 喜欢 欢猫 我 喜 欢 猫');
  assert.deepEqual(queryTerms('我的猫叫什么名字？'), ['猫叫', '猫', '叫', '名字', '名', '字']);
  assert.deepEqual(queryTerms('关于猫'), ['猫']);
  assert.deepEqual(queryTerms('What did I say about my favourite cake?'), ['favourite', 'cake']);
  assert.deepEqual(queryTerms('the of and'), []);
});

// Thursday 2026-05-14, 15:00 local time.
const NOW = new Date(2026, 4, 14, 15, 0);
const day = (y: number, m: number, d: number) => new Date(y, m - 1, d).getTime();

test('time words become local-time ranges and leave the query', () => {
  const y = parseTimeFilter('what did we eat yesterday?', NOW);
  assert.deepEqual(y.range, { from: day(2026, 5, 13), to: day(2026, 5, 14) - 1 });
  assert.equal(y.rest, 'what did we eat ?');
  assert.deepEqual(parseTimeFilter('昨天吃了什么', NOW).range, { from: day(2026, 5, 13), to: day(2026, 5, 14) - 1 });
  // Week starts on Monday: this week began on 2026-05-11.
  assert.deepEqual(parseTimeFilter('what happened last week', NOW).range, { from: day(2026, 5, 4), to: day(2026, 5, 11) - 1 });
  assert.deepEqual(parseTimeFilter('上周去哪里了', NOW).range, { from: day(2026, 5, 4), to: day(2026, 5, 11) - 1 });
  assert.deepEqual(parseTimeFilter('the trip in March', NOW).range, { from: day(2026, 3, 1), to: day(2026, 4, 1) - 1 });
  assert.deepEqual(parseTimeFilter('in May', NOW).range, { from: day(2026, 5, 1), to: day(2026, 6, 1) - 1 });
  assert.deepEqual(parseTimeFilter('in June', NOW).range, { from: day(2025, 6, 1), to: day(2025, 7, 1) - 1 }, 'a month not reached yet this year is last year’s');
  assert.deepEqual(parseTimeFilter('三月份的旅行', NOW).range, { from: day(2026, 3, 1), to: day(2026, 4, 1) - 1 });
  assert.deepEqual(parseTimeFilter('3 days ago', NOW).range, { from: day(2026, 5, 11), to: day(2026, 5, 12) - 1 });
  assert.equal(parseTimeFilter('may I ask about cake', NOW).range, undefined, '"may" as a verb is not a month');
  assert.equal(parseTimeFilter('favourite cake', NOW).range, undefined);
});

test('questions about who said something are recognised', () => {
  assert.equal(speakerIntent('what did I say about the cake?'), 'user');
  assert.equal(speakerIntent('我说过我喜欢什么'), 'user');
  assert.equal(speakerIntent('what did you recommend... you said a book'), 'assistant');
  assert.equal(speakerIntent('你推荐过什么书'), 'assistant');
  assert.equal(speakerIntent('favourite cake'), undefined);
});
