import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { closedPort, startMainApp, type MainAppHarness } from './support/main-app.js';
import { startModelsServer, type ModelsServer } from './support/models-server.js';

const KEY = 'sk-test-0123456789abcdefSECRET';
const STORED = 'sk-stored-abcdefghijklmnopq42';

/** No answer the route gives may contain a key in clear. */
function assertNoKey(body: unknown): void {
  const text = JSON.stringify(body);
  for (const key of [KEY, STORED, 'wrong-key-9876543210zyx']) assert.ok(!text.includes(key), `answer leaks a key: ${text}`);
}

describe('POST /api/config/test_connection', () => {
  let models: ModelsServer;
  let h: MainAppHarness | undefined;

  before(async () => {
    models = await startModelsServer({ key: KEY });
  });
  after(async () => models.close());
  afterEach(async () => {
    await h?.close();
    h = undefined;
    models.mode = 'ok';
    models.requests.length = 0;
  });

  const test = async (payload: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await h!.inject({ method: 'POST', url: '/api/config/test_connection', payload, headers });
    assertNoKey(res.body);
    return res;
  };

  it('a custom endpoint with the right key: success, the models it lists, and the key went only in the Authorization header', async () => {
    h = await startMainApp();
    const res = await test({ scope: 'custom', role: 'conversation', base_url: models.baseUrl, api_key: KEY });
    assert.equal(res.status, 200);
    assert.equal(res.body.success, true);
    assert.deepEqual(res.body.models, ['tiny-chat', 'tiny-vision']);
    assert.equal(typeof res.body.latency_ms, 'number');
    assert.equal(res.body.base_url, models.baseUrl);
    assert.deepEqual(models.requests, [{ method: 'GET', path: '/v1/models', authorization: `Bearer ${KEY}` }]);
  });

  it('a wrong key: BAD_KEY with HTTP 401, and the key the provider quoted back is not in the answer', async () => {
    h = await startMainApp();
    const res = await test({ scope: 'custom', role: 'conversation', base_url: models.baseUrl, api_key: 'wrong-key-9876543210zyx' });
    assert.equal(res.status, 200);
    assert.equal(res.body.success, false);
    assert.equal(res.body.code, 'BAD_KEY');
    assert.equal(res.body.status, 401);
    assert.match(res.body.error, /refused the key/);
    assert.match(res.body.error, /Incorrect API key provided/);
  });

  it('no key for a server that needs one: NO_KEY', async () => {
    h = await startMainApp();
    const res = await test({ scope: 'custom', role: 'conversation', base_url: models.baseUrl });
    assert.equal(res.body.success, false);
    assert.equal(res.body.code, 'NO_KEY');
    assert.equal(models.requests[0]!.authorization, undefined);
  });

  it('the stored key is used when none is typed (or its mask is sent back), and only with the address it was saved with', async () => {
    const stored = await startModelsServer({ key: STORED });
    try {
      h = await startMainApp({
        files: { 'core_config.json': { coreApi: 'sim', enableCustomApi: true, conversationModelUrl: stored.baseUrl, conversationModelId: 'tiny-chat', conversationModelApiKey: STORED } },
      });
      const saved = await test({ scope: 'custom', role: 'conversation' });
      assert.equal(saved.body.success, true, JSON.stringify(saved.body));
      const masked = await test({ scope: 'custom', role: 'conversation', base_url: `${stored.baseUrl}/`, api_key: '••••rq42' });
      assert.equal(masked.body.success, true, JSON.stringify(masked.body));
      assert.deepEqual(stored.requests.map((r) => r.authorization), [`Bearer ${STORED}`, `Bearer ${STORED}`]);

      // Another address with the saved key: refused before anything is sent there.
      const elsewhere = await test({ scope: 'custom', role: 'conversation', base_url: models.baseUrl });
      assert.equal(elsewhere.status, 400);
      assert.equal(elsewhere.body.code, 'KEY_NEEDS_REENTRY');
      assert.equal(models.requests.length, 0);
    } finally {
      await stored.close();
    }
  });

  it('a closed port: UNREACHABLE, saying where', async () => {
    h = await startMainApp();
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const res = await test({ scope: 'custom', role: 'conversation', base_url: url, api_key: KEY });
    assert.equal(res.body.success, false);
    assert.equal(res.body.code, 'UNREACHABLE');
    assert.match(res.body.error, new RegExp(url.replace(/[/.]/g, '\\$&')));
  });

  it('a server that never answers: TIMEOUT', { timeout: 30_000 }, async () => {
    h = await startMainApp();
    models.mode = 'hang';
    const res = await test({ scope: 'custom', role: 'conversation', base_url: models.baseUrl, api_key: KEY });
    assert.equal(res.body.success, false);
    assert.equal(res.body.code, 'TIMEOUT');
  });

  it('not an OpenAI-compatible API (an HTML page, no /models, a redirect): NOT_OPENAI_COMPATIBLE or refused, never followed', async () => {
    h = await startMainApp();
    models.mode = 'html';
    const html = await test({ scope: 'custom', role: 'conversation', base_url: models.baseUrl, api_key: KEY });
    assert.equal(html.body.code, 'NOT_OPENAI_COMPATIBLE');
    models.mode = 'not-found';
    const missing = await test({ scope: 'custom', role: 'conversation', base_url: models.baseUrl, api_key: KEY });
    assert.equal(missing.body.code, 'NOT_OPENAI_COMPATIBLE');
    assert.equal(missing.body.status, 404);
    models.mode = 'redirect';
    const redirected = await test({ scope: 'custom', role: 'conversation', base_url: models.baseUrl, api_key: KEY });
    assert.equal(redirected.body.success, false);
    assert.equal(models.requests.length, 3, 'the redirect was not followed');
  });

  it('the offline sim answers ok without the network; a local provider is tested on its loopback address', async () => {
    h = await startMainApp();
    const sim = await test({ scope: 'core', provider: 'sim' });
    assert.deepEqual({ success: sim.body.success, offline: sim.body.offline }, { success: true, offline: true });
    const open = await startModelsServer();
    try {
      const local = await test({ scope: 'assist', provider: 'local', base_url: open.baseUrl });
      assert.equal(local.body.success, true);
      assert.deepEqual(local.body.models, ['tiny-chat', 'tiny-vision']);
    } finally {
      await open.close();
    }
  });

  it('bad input is a clear 400 and changes nothing', async () => {
    h = await startMainApp({ files: { 'core_config.json': { coreApi: 'qwen', coreApiKey: STORED } } });
    const before = h.snapshot();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{}, /scope/],
      [{ scope: 'everything' }, /scope/],
      [{ scope: 'core' }, /provider is required/],
      [{ scope: 'core', provider: 'nope' }, /unknown core provider/],
      [{ scope: 'custom' }, /role is required/],
      [{ scope: 'custom', role: 'conversation' }, /no address/],
      [{ scope: 'custom', role: 'conversation', base_url: 'not a url' }, /not a URL/],
      [{ scope: 'custom', role: 'conversation', base_url: 'ftp://127.0.0.1/v1' }, /http/],
      [{ scope: 'custom', role: 'conversation', base_url: 'http://user:pw@127.0.0.1/v1' }, /credentials/],
      [{ scope: 'core', provider: 'qwen', base_url: models.baseUrl }, /address is fixed/],
      [{ scope: 'assist', provider: 'local', base_url: 'http://192.0.2.1:11434/v1' }, /this machine/],
      [{ scope: 'core', provider: 'sim', extra: 1 }, /extra|Unrecognized/i],
      [{ scope: 'core', provider: 'sim', api_key: 5 }, /api_key/],
    ];
    for (const [payload, message] of cases) {
      const res = await test(payload);
      assert.equal(res.status, 400, `${JSON.stringify(payload)} → ${JSON.stringify(res.body)}`);
      assert.equal(res.body.success, false);
      assert.match(res.body.error, message, JSON.stringify(payload));
    }
    const notJson = await h.inject({ method: 'POST', url: '/api/config/test_connection', payload: '[1]', headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.status, 400);
    assert.deepEqual(h.snapshot(), before);
    assert.equal(models.requests.length, 0);
  });

  it('another site cannot make neko send a stored key anywhere (origin check)', async () => {
    h = await startMainApp({ files: { 'core_config.json': { coreApi: 'sim', conversationModelUrl: models.baseUrl, conversationModelApiKey: KEY } } });
    const res = await test({ scope: 'custom', role: 'conversation' }, { origin: 'https://evil.example' });
    assert.equal(res.status, 403);
    assert.equal(models.requests.length, 0);
    const same = await test({ scope: 'custom', role: 'conversation' }, { origin: 'http://127.0.0.1:48911', host: '127.0.0.1:48911' });
    assert.equal(same.status, 200);
    assert.equal(same.body.success, true);
  });
});

describe('GET /api/config/local_servers', () => {
  it('lists the usual local ports it checked, and the configured loopback server with its models', async () => {
    const open = await startModelsServer({ models: ['llama-tiny'] });
    const h = await startMainApp({ files: { 'core_config.json': { coreApi: 'local', conversationModelUrl: open.baseUrl } } });
    try {
      const res = await h.inject({ method: 'GET', url: '/api/config/local_servers' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.checked.slice(0, 3).map((c: { name: string }) => c.name), ['Ollama', 'LM Studio', 'llama.cpp']);
      const mine = res.body.servers.find((s: { base_url: string }) => s.base_url === open.baseUrl);
      assert.deepEqual(mine, { name: 'configured', base_url: open.baseUrl, models: ['llama-tiny'] });
    } finally {
      await h.close();
      await open.close();
    }
  });
});
