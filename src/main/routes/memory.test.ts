import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startMainApp, type MainAppHarness } from '../../../test/support/main-app.js';

const harnesses: MainAppHarness[] = [];
after(async () => {
  for (const h of harnesses) await h.close();
});

/** A stand-in memory service that records the paths main calls. */
async function recordingMemory(): Promise<{ url: string; calls: string[]; close(): Promise<void> }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"cancelled"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, close: () => new Promise((r) => server.close(() => r())) };
}

async function app(memoryUrl?: string): Promise<{ h: MainAppHarness; memoryDir: string }> {
  const h = await startMainApp({ memoryUrl, files: { 'core_config.json': { coreApi: 'sim', someOtherKey: 'kept' } } });
  harnesses.push(h);
  const memoryDir = h.ctx.config.paths.memory;
  mkdirSync(memoryDir, { recursive: true });
  return { h, memoryDir };
}

test('recent_files lists the windows; recent_file returns raw text and refuses traversal', async () => {
  const { h, memoryDir } = await app();
  writeFileSync(join(memoryDir, 'recent_b.json'), '[]');
  writeFileSync(join(memoryDir, 'recent_a.json'), '[{"type":"human","data":{"content":"hi"}}]');
  writeFileSync(join(memoryDir, 'a.sqlite'), 'x');
  writeFileSync(join(h.dir, 'recent_secret.json'), '"outside"');
  assert.deepEqual((await h.inject({ method: 'GET', url: '/api/memory/recent_files' })).body, { files: ['recent_a.json', 'recent_b.json'] });
  assert.deepEqual((await h.inject({ method: 'GET', url: '/api/memory/recent_file?filename=recent_a.json' })).body, { content: '[{"type":"human","data":{"content":"hi"}}]' });
  for (const bad of ['../recent_secret.json', '..%2Frecent_secret.json', 'recent_..json', '%2E%2E%5Crecent_x.json', 'a.sqlite', 'recent_a.txt', '']) {
    const res = await h.inject({ method: 'GET', url: `/api/memory/recent_file?filename=${bad}` });
    assert.equal(res.status, 400, bad);
    assert.equal(typeof res.body.detail, 'string');
  }
  assert.equal((await h.inject({ method: 'GET', url: '/api/memory/recent_file?filename=recent_none.json' })).status, 404);
});

test('recent_file/save writes the LangChain shape and tells memory to cancel its review', async () => {
  const memory = await recordingMemory();
  const { h, memoryDir } = await app(memory.url);
  try {
    const res = await h.inject({
      method: 'POST',
      url: '/api/memory/recent_file/save',
      payload: { filename: 'recent_小白.json', chat: [{ role: 'system', text: '先前对话的备忘录: x' }, { role: 'human', text: 'hi' }, { role: 'ai', text: 'hello' }] },
    });
    assert.deepEqual(res.body, { success: true, need_refresh: true, catgirl_name: '小白' });
    const file = JSON.parse(readFileSync(join(memoryDir, 'recent_小白.json'), 'utf8'));
    assert.deepEqual(file.map((m: { type: string }) => m.type), ['system', 'human', 'ai']);
    assert.deepEqual(file[2].data, { content: 'hello', additional_kwargs: {}, response_metadata: {}, type: 'ai', name: null, id: null, example: false, tool_calls: [], invalid_tool_calls: [], usage_metadata: null });
    assert.deepEqual(memory.calls, [`POST /cancel_correction/${encodeURIComponent('小白')}`]);
    const bad = [
      { filename: '../recent_x.json', chat: [] },
      { filename: 'recent_.json', chat: [] },
      { filename: 'recent_a.json', chat: 'x' },
      { filename: 'recent_a.json', chat: [{ role: 'robot', text: 'x' }] },
      { filename: 'recent_a.json', chat: [{ role: 'human', text: 5 }] },
      { chat: [] },
    ];
    for (const payload of bad) assert.equal((await h.inject({ method: 'POST', url: '/api/memory/recent_file/save', payload })).status, 400, JSON.stringify(payload));
    assert.ok(!existsSync(join(memoryDir, 'recent_a.json')));
  } finally {
    await memory.close();
  }
});

test('update_catgirl_name is forwarded to memory (which moves and rewrites, see test/memory-rename-serialized); 503 when it is down', async () => {
  const { h, memoryDir } = await app('http://127.0.0.1:9'); // nothing listens there
  writeFileSync(join(memoryDir, 'recent_old.json'), '[]');
  const down = await h.inject({ method: 'POST', url: '/api/memory/update_catgirl_name', payload: { old_name: 'old', new_name: 'new' } });
  assert.equal(down.status, 503);
  assert.match(down.body.detail, /记忆服务不可用/);
  assert.ok(existsSync(join(memoryDir, 'recent_old.json')) && !existsSync(join(memoryDir, 'recent_new.json')), 'main touched no file');
  assert.equal((await h.inject({ method: 'POST', url: '/api/memory/update_catgirl_name', payload: { old_name: 'a' } })).body.detail, '缺少必要参数');
  assert.match((await h.inject({ method: 'POST', url: '/api/memory/update_catgirl_name', payload: { old_name: '../x', new_name: 'y' } })).body.detail, /^旧名称无效/);
  assert.match((await h.inject({ method: 'POST', url: '/api/memory/update_catgirl_name', payload: { old_name: 'new', new_name: 'a/b' } })).body.detail, /^新名称无效/);
});

test('review_config reads the switch (default on) and saves it without dropping other keys', async () => {
  const { h } = await app();
  assert.deepEqual((await h.inject({ method: 'GET', url: '/api/memory/review_config' })).body, { enabled: true });
  assert.deepEqual((await h.inject({ method: 'POST', url: '/api/memory/review_config', payload: { enabled: false } })).body, { success: true, enabled: false });
  assert.deepEqual((await h.inject({ method: 'GET', url: '/api/memory/review_config' })).body, { enabled: false });
  const core = JSON.parse(readFileSync(join(h.configDir, 'core_config.json'), 'utf8'));
  assert.equal(core.someOtherKey, 'kept');
  assert.equal(core.recent_memory_auto_review, false);
  assert.equal((await h.inject({ method: 'POST', url: '/api/memory/review_config', payload: { enabled: 'no' } })).status, 400);
});
