import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createService, StartupError } from './service.js';
import { createLogger } from '../log.js';

const log = createLogger('test', 'silent');

function app(env: NodeJS.ProcessEnv = {}) {
  const a = createService('main', { log, env });
  a.post('/api/thing', async (req) => ({ success: true, got: req.body ?? null }));
  a.get('/api/thing', async () => ({ success: true }));
  return a;
}

test('health has the spec body with the four core keys', async () => {
  const res = await app().inject({ url: '/health', headers: { host: '127.0.0.1:48911' } });
  const body = res.json();
  assert.equal(res.statusCode, 200);
  assert.equal(body.app, 'N.E.K.O');
  assert.equal(body.service, 'main');
  assert.equal(body.status, 'ok');
  assert.match(body.instance_id, /^[0-9a-f]{32}$|.+/);
});

test('same-origin state changes pass; cross-site ones are refused', async () => {
  const a = app();
  const host = '127.0.0.1:48911';
  const same = await a.inject({ method: 'POST', url: '/api/thing', headers: { host, origin: `http://${host}` }, payload: { x: 1 } });
  assert.equal(same.statusCode, 200);
  const evil = await a.inject({ method: 'POST', url: '/api/thing', headers: { host, origin: 'http://evil.example' }, payload: { x: 1 } });
  assert.equal(evil.statusCode, 403);
  assert.equal(evil.json().code, 'ORIGIN_NOT_ALLOWED');
  const referer = await a.inject({ method: 'POST', url: '/api/thing', headers: { host, referer: 'http://evil.example/page' }, payload: {} });
  assert.equal(referer.statusCode, 403);
  const nullOrigin = await a.inject({ method: 'POST', url: '/api/thing', headers: { host, origin: 'null' }, payload: {} });
  assert.equal(nullOrigin.statusCode, 403);
  const fetchSite = await a.inject({ method: 'POST', url: '/api/thing', headers: { host, 'sec-fetch-site': 'cross-site' }, payload: {} });
  assert.equal(fetchSite.statusCode, 403);
  // reads are not state changes
  const read = await a.inject({ method: 'GET', url: '/api/thing', headers: { host, origin: 'http://evil.example' } });
  assert.equal(read.statusCode, 200);
  // a cross-site WebSocket upgrade is refused too
  const ws = await a.inject({ method: 'GET', url: '/api/thing', headers: { host, origin: 'http://evil.example', upgrade: 'websocket', connection: 'Upgrade' } });
  assert.equal(ws.statusCode, 403);
});

test('configured extra origins are allowed', async () => {
  const a = app({ NEKO_ALLOWED_ORIGINS: 'http://localhost:5173' });
  const res = await a.inject({ method: 'POST', url: '/api/thing', headers: { host: '127.0.0.1:48911', origin: 'http://localhost:5173' }, payload: {} });
  assert.equal(res.statusCode, 200);
});

test('on loopback a foreign Host header (DNS rebinding) is refused', async () => {
  const res = await app().inject({ url: '/health', headers: { host: 'attacker.example:48911' } });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().code, 'HOST_NOT_ALLOWED');
  for (const host of ['localhost:48911', '127.0.0.1', '[::1]:48911']) {
    assert.equal((await app().inject({ url: '/health', headers: { host } })).statusCode, 200, host);
  }
});

test('binding beyond loopback without a token refuses to start', () => {
  assert.throws(() => app({ NEKO_BIND_HOST: '0.0.0.0' }), StartupError);
});

test('with a token every request needs it: header, query (sets a cookie) or cookie', async () => {
  const a = app({ NEKO_BIND_HOST: '0.0.0.0', NEKO_ACCESS_TOKEN: 's3cret-token' });
  const host = '192.0.2.10:48911';
  assert.equal((await a.inject({ url: '/health', headers: { host } })).statusCode, 401);
  assert.equal((await a.inject({ url: '/health', headers: { host, authorization: 'Bearer wrong' } })).statusCode, 401);
  assert.equal((await a.inject({ url: '/health', headers: { host, authorization: 'Bearer s3cret-token' } })).statusCode, 200);
  assert.equal((await a.inject({ url: '/health', headers: { host, 'x-neko-token': 's3cret-token' } })).statusCode, 200);
  const viaQuery = await a.inject({ url: '/health?token=s3cret-token', headers: { host } });
  assert.equal(viaQuery.statusCode, 200);
  assert.match(String(viaQuery.headers['set-cookie']), /neko_token=s3cret-token; Path=\/; HttpOnly; SameSite=Strict/);
  assert.equal((await a.inject({ url: '/health', headers: { host, cookie: 'a=1; neko_token=s3cret-token' } })).statusCode, 200);
});

test('bad bodies get clear 4xx errors; empty JSON bodies are accepted', async () => {
  const a = app();
  const host = '127.0.0.1:48911';
  const bad = await a.inject({ method: 'POST', url: '/api/thing', headers: { host, 'content-type': 'application/json' }, payload: '{"x": ' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().error, /invalid JSON body/);
  const empty = await a.inject({ method: 'POST', url: '/api/thing', headers: { host, 'content-type': 'application/json' }, payload: '' });
  assert.equal(empty.statusCode, 200);
  const huge = await a.inject({ method: 'POST', url: '/api/thing', headers: { host, 'content-type': 'application/json' }, payload: JSON.stringify({ x: 'a'.repeat(2 * 1024 * 1024) }) });
  assert.equal(huge.statusCode, 413);
  assert.match(huge.json().error, /too large/);
  const proto = await a.inject({ method: 'POST', url: '/api/thing', headers: { host, 'content-type': 'application/json' }, payload: '{"__proto__": {"polluted": true}}' });
  assert.equal(proto.statusCode, 400);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const missing = await a.inject({ url: '/api/nothing/here', headers: { host } });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().detail, 'Not Found');
});
