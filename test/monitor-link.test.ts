import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import WebSocket from 'ws';
import { DEFAULT_QUEUE_BYTES_LIMIT, DEFAULT_QUEUE_LIMIT, MonitorLink } from '../src/main/bridges/monitor-link.js';
import type { FanoutStats } from '../src/monitor/fanout.js';
import { createLogger } from '../src/shared/log.js';
import { http, startService, type RunningService } from './support/services.js';
import { waitFor } from './support/wait.js';

/** The real monitor process, MonitorLink in this process, and ws clients playing viewers and the subtitle overlay. */
const log = createLogger('test', 'silent');
const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Client {
  socket: WebSocket;
  text: string[];
  binary: Buffer[];
  closed: Promise<number>;
}

async function connect(url: string, headers?: Record<string, string>): Promise<Client> {
  const socket = new WebSocket(url, { headers });
  const client: Client = { socket, text: [], binary: [], closed: new Promise((r) => socket.once('close', (code) => r(code))) };
  socket.on('message', (data, isBinary) => {
    if (isBinary) client.binary.push(data as Buffer);
    else client.text.push(String(data));
  });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  cleanups.push(() => socket.terminate());
  return client;
}

async function fanoutStats(monitor: RunningService): Promise<FanoutStats> {
  return (await http(`${monitor.url}/health`)).body.fanout as FanoutStats;
}

test('frames reach the right viewers and overlay, and the link survives a kill -9 of the monitor', async (t) => {
  let monitor = await startService('monitor');
  cleanups.push(() => monitor.kill());
  const port = monitor.port;
  const ws = `ws://127.0.0.1:${port}`;

  const viewerA = await connect(`${ws}/ws/${encodeURIComponent('小白')}`);
  const viewerB = await connect(`${ws}/ws/${encodeURIComponent('小黑')}`);
  const overlay = await connect(`${ws}/subtitle_ws`);
  await waitFor('viewers registered', async () => (await fanoutStats(monitor)).viewers === 2);

  const linkA = new MonitorLink({ baseUrl: monitor.url, character: '小白', log, initialDelayMs: 100, maxDelayMs: 500 });
  const linkB = new MonitorLink({ baseUrl: monitor.url, character: '小黑', log, initialDelayMs: 100, maxDelayMs: 500 });
  cleanups.push(() => linkA.close(), () => linkB.close());
  linkA.start();
  linkB.start();
  await waitFor('links connected', () => linkA.stats().connected.json && linkA.stats().connected.binary && linkB.stats().connected.json);

  linkA.sendJson({ type: 'gemini_response', text: '今天也要', isNewMessage: true });
  linkA.sendJson({ type: 'gemini_response', text: '开开心心喵~', isNewMessage: false });
  linkA.sendJson({ type: 'heartbeat', timestamp: 1 });
  const audio = Buffer.alloc(960, 3);
  linkA.sendAudio(audio);
  linkA.sendJson({ type: 'turn end' });
  linkA.sendJson({ type: 'gemini_response', text: '下一句', isNewMessage: true });
  await waitFor('viewer A got text and audio', () => viewerA.text.length === 4 && viewerA.binary.length === 1);
  assert.deepEqual(viewerA.text.map((s) => JSON.parse(s).type), ['gemini_response', 'gemini_response', 'turn end', 'gemini_response'], 'heartbeat not re-broadcast');
  assert.deepEqual(viewerA.binary[0], audio);
  await waitFor('overlay updates', () => overlay.text.length === 4);
  assert.deepEqual(overlay.text.map((s) => JSON.parse(s)), [
    { type: 'subtitle', text: '今天也要' },
    { type: 'subtitle', text: '今天也要开开心心喵~' },
    { type: 'clear' },
    { type: 'subtitle', text: '下一句' },
  ]);

  // B's own frame arrives after everything A's link sent was routed: so B saw none of A's.
  linkB.sendJson({ type: 'status', message: 'for B' });
  await waitFor('viewer B got its own frame', () => viewerB.text.length === 1);
  assert.deepEqual(JSON.parse(viewerB.text[0]!), { type: 'status', message: 'for B' });
  assert.equal(viewerB.binary.length, 0);

  // Viewers are read-only: whatever they send is ignored and nobody else sees it.
  viewerB.socket.send('{"type":"gemini_response","text":"spoof"}');
  linkA.sendJson({ type: 'status', message: 'after spoof' });
  await waitFor('A got the next frame', () => viewerA.text.length === 5);
  assert.equal(JSON.parse(viewerA.text[4]!).message, 'after spoof');

  // kill -9: the link notices, queues a bounded amount of JSON and drops audio.
  await monitor.kill();
  await waitFor('link sees the monitor gone', () => !linkA.stats().connected.json && !linkA.stats().connected.binary);
  const sentBefore = linkA.stats().sent.json;
  for (let i = 0; i < 10_000; i++) linkA.sendJson({ type: 'gemini_response', text: `m${i}`, seq: i });
  for (let i = 0; i < 50; i++) linkA.sendAudio(audio);
  const down = linkA.stats();
  t.diagnostic(`while down: queued ${down.queued} messages / ${down.queued_bytes} bytes, dropped ${down.dropped.json_queue_full} JSON and ${down.dropped.binary} audio frames`);
  assert.equal(down.queued, DEFAULT_QUEUE_LIMIT);
  assert.ok(down.queued_bytes <= DEFAULT_QUEUE_BYTES_LIMIT);
  assert.equal(down.dropped.json_queue_full, 10_000 - DEFAULT_QUEUE_LIMIT);
  assert.equal(down.dropped.binary, 50);

  monitor = await startService('monitor', { port });
  const tRestart = performance.now();
  await waitFor('link reconnected and flushed', () => linkA.stats().connected.json && linkA.stats().queued === 0, 10_000);
  t.diagnostic(`link reconnected ${(performance.now() - tRestart).toFixed(0)} ms after the monitor listened again`);
  assert.equal(linkA.stats().sent.json - sentBefore, DEFAULT_QUEUE_LIMIT, 'exactly the queued messages were flushed');
  await waitFor('monitor received the flushed queue', async () => {
    const s = await fanoutStats(monitor);
    return s.frames_in - s.heartbeats - s.keepalives >= DEFAULT_QUEUE_LIMIT;
  });

  // Delivery resumes for a viewer that reconnects after the restart.
  await viewerA.closed; // the old viewer connection died with the monitor
  const viewerA2 = await connect(`${ws}/ws/${encodeURIComponent('小白')}`);
  await waitFor('viewer re-registered', async () => (await fanoutStats(monitor)).viewers === 1);
  await waitFor('binary link back too', () => linkA.stats().connected.binary);
  linkA.sendJson({ type: 'status', message: 'back' });
  linkA.sendAudio(audio);
  await waitFor('resumed delivery', () => viewerA2.text.length === 1 && viewerA2.binary.length === 1);
  assert.equal(JSON.parse(viewerA2.text[0]!).message, 'back');
});

test('invalid JSON from main is dropped without closing the /sync socket; bad names are refused', async () => {
  const monitor = await startService('monitor');
  cleanups.push(() => monitor.kill());
  const ws = `ws://127.0.0.1:${monitor.port}`;
  const viewer = await connect(`${ws}/ws/a`);
  const sync = await connect(`${ws}/sync/a`);
  sync.socket.send('{not json');
  sync.socket.send('{"type":"status","message":"still here"}');
  await waitFor('valid frame after the invalid one', () => viewer.text.length === 1);
  assert.equal(sync.socket.readyState, WebSocket.OPEN);
  assert.equal((await fanoutStats(monitor)).invalid_frames, 1);
  assert.ok(monitor.logs.some((l) => l.msg === 'invalid JSON from main dropped'));

  const bad = await connect(`${ws}/ws/${encodeURIComponent('a..b')}`);
  assert.equal(await bad.closed, 1008);
});

test('with NEKO_ACCESS_TOKEN set, the link authenticates with a bearer token', async () => {
  const monitor = await startService('monitor', { env: { NEKO_ACCESS_TOKEN: 's3cret' } });
  cleanups.push(() => monitor.kill());
  const good = new MonitorLink({ baseUrl: monitor.url, character: 'a', log, token: 's3cret', initialDelayMs: 50, maxDelayMs: 200 });
  const bad = new MonitorLink({ baseUrl: monitor.url, character: 'a', log, initialDelayMs: 50, maxDelayMs: 200 });
  cleanups.push(() => good.close(), () => bad.close());
  good.start();
  bad.start();
  await waitFor('token link connected', () => good.stats().connected.json && good.stats().connected.binary);
  await waitFor('unauthenticated attempts refused, repeatedly', () => bad.stats().failed_attempts >= 6);
  assert.equal(bad.stats().connected.json, false);
  bad.sendJson({ type: 'status' });
  assert.equal(bad.stats().queued, 1, 'an unauthenticated link keeps queueing (bounded) instead of failing loudly');
});

test('the link sends periodic heartbeats that the monitor swallows', async () => {
  const monitor = await startService('monitor');
  cleanups.push(() => monitor.kill());
  const viewer = await connect(`ws://127.0.0.1:${monitor.port}/ws/a`);
  const link = new MonitorLink({ baseUrl: monitor.url, character: 'a', log, heartbeatIntervalMs: 50 });
  cleanups.push(() => link.close());
  link.start();
  await waitFor('three heartbeats at the monitor', async () => (await fanoutStats(monitor)).heartbeats >= 3);
  assert.equal(link.stats().queued, 0, 'heartbeats are never queued');
  link.sendJson({ type: 'status', message: 'marker' });
  await waitFor('marker', () => viewer.text.length >= 1);
  assert.deepEqual(viewer.text.map((s) => JSON.parse(s).message), ['marker'], 'the viewer saw no heartbeat');
});
