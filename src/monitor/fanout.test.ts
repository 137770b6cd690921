import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLOSE_TOO_SLOW, KEEPALIVE_MAX_BYTES, MonitorFanout, VIEWER_BUFFER_LIMIT, type FrameSink } from './fanout.js';

class FakeSink implements FrameSink {
  frames: Array<string | Buffer> = [];
  closed: { code?: number; reason?: string } | undefined;
  bufferedAmount = 0;
  send(data: string | Buffer): void {
    if (this.closed) throw new Error('send after close');
    this.frames.push(data);
  }
  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
  }
  json(): unknown[] {
    return this.frames.filter((f): f is string => typeof f === 'string').map((f) => JSON.parse(f) as unknown);
  }
}

const warnings: string[] = [];
const log = { warn: (_: object, msg: string) => void warnings.push(msg), debug: () => {} };

test("a character's frames reach only that character's viewers, verbatim", () => {
  const fanout = new MonitorFanout(log);
  const a1 = new FakeSink();
  const a2 = new FakeSink();
  const b = new FakeSink();
  fanout.addViewer('小白', a1);
  fanout.addViewer('小白', a2);
  fanout.addViewer('小黑', b);
  const raw = '{"type":"gemini_response","text":"喵","isNewMessage":true}';
  fanout.syncText('小白', raw);
  const audio = Buffer.alloc(640, 7);
  fanout.syncBinary('小白', audio);
  assert.deepEqual(a1.frames, [raw, audio]);
  assert.deepEqual(a2.frames, [raw, audio]);
  assert.deepEqual(b.frames, [], 'another character’s viewer gets nothing');
});

test('heartbeats, keep-alives and invalid JSON go nowhere; invalid JSON is counted and logged', () => {
  const fanout = new MonitorFanout(log);
  const viewer = new FakeSink();
  fanout.addViewer('a', viewer);
  fanout.syncText('a', '{"type":"heartbeat","timestamp":1.5}');
  fanout.syncBinary('a', Buffer.from([0, 1, 2, 3]));
  fanout.syncBinary('a', Buffer.alloc(KEEPALIVE_MAX_BYTES - 1));
  const before = warnings.length;
  fanout.syncText('a', '{broken');
  fanout.syncText('a', '[1,2]');
  assert.equal(warnings.length, before + 2);
  assert.deepEqual(viewer.frames, []);
  fanout.syncBinary('a', Buffer.alloc(KEEPALIVE_MAX_BYTES + 1));
  assert.equal(viewer.frames.length, 1, 'five bytes is audio, not a keep-alive');
  const stats = fanout.stats();
  assert.equal(stats.heartbeats, 1);
  assert.equal(stats.keepalives, 2);
  assert.equal(stats.invalid_frames, 2);
});

test('a viewer over its buffer limit is closed with 1013 and forgotten; the others keep receiving', () => {
  const fanout = new MonitorFanout(log);
  const slow = new FakeSink();
  const fast = new FakeSink();
  fanout.addViewer('a', slow);
  fanout.addViewer('a', fast);
  slow.bufferedAmount = VIEWER_BUFFER_LIMIT - 100;
  fanout.syncBinary('a', Buffer.alloc(200));
  assert.deepEqual(slow.closed, { code: CLOSE_TOO_SLOW, reason: 'too slow: reconnect' });
  assert.equal(slow.frames.length, 0);
  fanout.syncBinary('a', Buffer.alloc(200));
  assert.equal(fast.frames.length, 2);
  assert.equal(slow.frames.length, 0, 'a closed viewer is not sent to again');
  assert.equal(fanout.stats().viewers, 1);
  assert.equal(fanout.stats().slow_clients_closed, 1);
});

test('removing a viewer stops delivery', () => {
  const fanout = new MonitorFanout(log);
  const viewer = new FakeSink();
  const remove = fanout.addViewer('a', viewer);
  remove();
  fanout.syncText('a', '{"type":"status"}');
  assert.deepEqual(viewer.frames, []);
  assert.equal(fanout.stats().viewers, 0);
});

test('subtitles accumulate gemini_response text and clear when the next reply starts after turn end', () => {
  const fanout = new MonitorFanout(log);
  const all = new FakeSink();
  const onlyB = new FakeSink();
  fanout.addSubtitleClient(all);
  fanout.addSubtitleClient(onlyB, 'b');
  fanout.syncText('a', '{"type":"gemini_response","text":"今天也要","isNewMessage":true}');
  fanout.syncText('a', '{"type":"gemini_response","text":"开开心心喵~","isNewMessage":false}');
  fanout.syncText('a', '{"type":"turn end"}');
  assert.equal(fanout.currentSubtitle('a'), '', 'a finished turn is pending clear');
  fanout.syncText('a', '{"type":"gemini_response","text":"下一句","isNewMessage":true}');
  fanout.syncText('a', '{"type":"system","data":"turn end"}');
  fanout.syncText('a', '{"type":"gemini_response","text":"再下一句"}');
  assert.deepEqual(all.json(), [
    { type: 'subtitle', text: '今天也要' },
    { type: 'subtitle', text: '今天也要开开心心喵~' },
    { type: 'clear' },
    { type: 'subtitle', text: '下一句' },
    { type: 'clear' },
    { type: 'subtitle', text: '再下一句' },
  ]);
  assert.deepEqual(onlyB.frames, [], 'an overlay bound to another character sees nothing');
});

test('a reply discarded by the length guard clears its subtitle; the reroll starts afresh', () => {
  const fanout = new MonitorFanout(log);
  const all = new FakeSink();
  fanout.addSubtitleClient(all);
  fanout.syncText('a', '{"type":"gemini_response","text":"A very long story","isNewMessage":true}');
  fanout.syncText('a', '{"type":"response_discarded","reason":"length>300","attempt":1,"max_attempts":2,"will_retry":true,"message":""}');
  fanout.syncText('a', '{"type":"gemini_response","text":"Short.","isNewMessage":true}');
  assert.deepEqual(all.json(), [{ type: 'subtitle', text: 'A very long story' }, { type: 'clear' }, { type: 'subtitle', text: 'Short.' }]);
});
