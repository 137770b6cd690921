import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseClientFrame } from './ws-client.js';

const code = (text: string) => {
  const r = parseClientFrame(text);
  return r.ok ? 'ok' : r.code;
};

test('valid actions parse', () => {
  assert.equal(code('{"action":"start_session","input_type":"audio"}'), 'ok');
  assert.equal(code('{"action":"start_session"}'), 'ok', 'input_type defaults to audio');
  assert.equal(code('{"action":"start_session","input_type":"text","new_session":true}'), 'ok');
  assert.equal(code(JSON.stringify({ action: 'stream_data', input_type: 'audio', data: Array(480).fill(0) })), 'ok');
  assert.equal(code('{"action":"stream_data","input_type":"text","data":"你好呀"}'), 'ok');
  assert.equal(code('{"action":"stream_data","input_type":"screen","data":"data:image/jpeg;base64,/9j/4AAQ"}'), 'ok');
  assert.equal(code('{"action":"end_session"}'), 'ok');
  assert.equal(code('{"action":"pause_session"}'), 'ok');
  assert.equal(code('{"action":"ping","language":"zh-CN"}'), 'ok');
});

test('malformed frames get the right status code', () => {
  assert.equal(code('{"action":'), 'INVALID_JSON');
  assert.equal(code('[1,2]'), 'INVALID_MESSAGE');
  assert.equal(code('"ping"'), 'INVALID_MESSAGE');
  assert.equal(code('null'), 'INVALID_MESSAGE');
  assert.equal(code('{"action":"dance"}'), 'UNKNOWN_ACTION');
  assert.equal(code('{"type":"ping"}'), 'UNKNOWN_ACTION');
  assert.equal(code('{"action":"start_session","input_type":"video"}'), 'INVALID_INPUT_TYPE');
  assert.equal(code('{"action":"stream_data","data":[1]}'), 'INVALID_INPUT_TYPE');
});

test('audio must be an array of int16 integers of sane length', () => {
  const audio = (data: unknown) => code(JSON.stringify({ action: 'stream_data', input_type: 'audio', data }));
  assert.equal(audio([1.5, 2]), 'INVALID_MESSAGE');
  assert.equal(audio([40000]), 'INVALID_MESSAGE');
  assert.equal(audio([-32769]), 'INVALID_MESSAGE');
  assert.equal(audio(['1', 2]), 'INVALID_MESSAGE');
  assert.equal(audio('AAAA'), 'INVALID_MESSAGE');
  assert.equal(audio([]), 'INVALID_MESSAGE');
  assert.equal(audio(Array(48_001).fill(0)), 'INVALID_MESSAGE');
  assert.equal(audio([32767, -32768]), 'ok');
});

test('images must be JPEG data URLs; text must be a string', () => {
  const img = (data: unknown) => code(JSON.stringify({ action: 'stream_data', input_type: 'camera', data }));
  assert.equal(img('data:image/png;base64,iVBORw0KGgo='), 'INVALID_MESSAGE');
  assert.equal(img('/9j/4AAQ'), 'INVALID_MESSAGE');
  assert.equal(img(42), 'INVALID_MESSAGE');
  assert.equal(code('{"action":"stream_data","input_type":"text","data":5}'), 'INVALID_MESSAGE');
});

test('details name what was wrong, truncated', () => {
  const r = parseClientFrame(JSON.stringify({ action: 'x'.repeat(1000) }));
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal((r.details.action as string).length, 100);
  const a = parseClientFrame('{"action":"stream_data","input_type":"audio","data":[0.5]}');
  if (!a.ok) assert.match(String(a.details.error), /integers/);
});

test('fuzz: 10,000 random and mutated frames never throw', () => {
  const seeds = [
    '{"action":"start_session","input_type":"audio"}',
    '{"action":"stream_data","input_type":"audio","data":[1,2,3]}',
    '{"action":"stream_data","input_type":"text","data":"hi"}',
    '{"action":"stream_data","input_type":"screen","data":"data:image/jpeg;base64,/9j/"}',
    '{"action":"ping"}',
  ];
  let state = 12345;
  const rand = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const alphabet = '{}[]":,01-9.eE+ abcdefghijklmnopqrstuvwxyz_\\\u0000\u00ff\ud83d';
  for (let i = 0; i < 10_000; i++) {
    let s = seeds[rand(seeds.length)]!;
    const edits = 1 + rand(5);
    for (let e = 0; e < edits; e++) {
      const at = rand(s.length + 1);
      const kind = rand(3);
      if (kind === 0) s = s.slice(0, at) + alphabet[rand(alphabet.length)] + s.slice(at);
      else if (kind === 1) s = s.slice(0, at) + s.slice(at + 1);
      else s = s.slice(0, at) + s.slice(rand(s.length));
    }
    const r = parseClientFrame(s);
    assert.equal(typeof r.ok, 'boolean');
    if (!r.ok) assert.ok(['INVALID_JSON', 'INVALID_MESSAGE', 'UNKNOWN_ACTION', 'INVALID_INPUT_TYPE'].includes(r.code), r.code);
  }
});
