import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCoreConfigUpdate, coreConfigForApi, CoreConfigValidationError, isMaskedValue, maskSecret, resolveCoreConfig } from './core-config.js';

const KEY = 'sk-live-0123456789abcdef';

test('every secret is masked in the API view, including the core key exposed as api_key', () => {
  const view = coreConfigForApi({ coreApiKey: KEY, assistApiKeyOpenai: 'sk-other-99999999999999', mcpToken: 'tok-1234567890123', summaryModelApiKey: 'k-summary-123456789' });
  const text = JSON.stringify(view);
  for (const secret of [KEY, 'sk-other-99999999999999', 'tok-1234567890123', 'k-summary-123456789']) assert.ok(!text.includes(secret), `${secret} leaked`);
  assert.equal(view.api_key, maskSecret(KEY));
  assert.ok(isMaskedValue(view.api_key));
  assert.equal(String(view.api_key).slice(-4), 'cdef');
  assert.equal(view.success, true);
});

test('short secrets are masked completely', () => {
  assert.equal(maskSecret('abc'), '••••');
  assert.equal(maskSecret(''), '');
});

test('saving the masked value back keeps the stored key', () => {
  const next = applyCoreConfigUpdate({ coreApiKey: KEY, coreApi: 'openai' }, { coreApiKey: maskSecret(KEY), coreApi: 'openai', assistApi: 'openai' });
  assert.equal(next.coreApiKey, KEY);
  assert.equal(next.assistApi, 'openai');
});

test('a new key replaces the old one, trimmed', () => {
  const next = applyCoreConfigUpdate({ coreApiKey: KEY }, { coreApiKey: '  sk-new-key-000000000  ', coreApi: 'qwen' });
  assert.equal(next.coreApiKey, 'sk-new-key-000000000');
});

test('unknown stored keys survive a save (the original dropped them)', () => {
  const next = applyCoreConfigUpdate({ coreApiKey: KEY, recent_memory_auto_review: false, textGuardMaxLength: 120 }, { coreApiKey: KEY });
  assert.equal(next.recent_memory_auto_review, false);
  assert.equal(next.textGuardMaxLength, 120);
});

test('validation follows the original: key required, string, non-empty unless the provider needs none', () => {
  assert.throws(() => applyCoreConfigUpdate({}, { coreApi: 'qwen' }), (e: Error) => e instanceof CoreConfigValidationError && e.message === '缺少coreApiKey字段');
  assert.throws(() => applyCoreConfigUpdate({}, { coreApiKey: null }), /API Key不能为null/);
  assert.throws(() => applyCoreConfigUpdate({}, { coreApiKey: 5 }), /必须是字符串/);
  assert.throws(() => applyCoreConfigUpdate({}, { coreApiKey: '  ', coreApi: 'qwen', assistApi: 'qwen' }), /API Key不能为空/);
  assert.equal(applyCoreConfigUpdate({}, { coreApiKey: '', coreApi: 'sim' }).coreApi, 'sim');
  assert.equal(applyCoreConfigUpdate({}, { coreApiKey: 'free-access', coreApi: 'free' }).coreApi, 'free');
});

test('unknown providers and wrong types are refused', () => {
  assert.throws(() => applyCoreConfigUpdate({}, { coreApiKey: KEY, coreApi: 'nope' }), /unknown core provider/);
  assert.throws(() => applyCoreConfigUpdate({}, { coreApiKey: KEY, enableCustomApi: 'yes' }), /enableCustomApi/);
  assert.throws(() => applyCoreConfigUpdate({}, { coreApiKey: KEY, summaryModelUrl: 42 }), /summaryModelUrl must be a string/);
});

test('memory_rerank: off in the API view unless stored true, saved only as a boolean, kept when not sent', () => {
  assert.equal(coreConfigForApi({}).memory_rerank, false);
  assert.equal(coreConfigForApi({ memory_rerank: 'true' }).memory_rerank, false);
  const on = applyCoreConfigUpdate({}, { coreApiKey: KEY, memory_rerank: true });
  assert.equal(on.memory_rerank, true);
  assert.equal(coreConfigForApi(on).memory_rerank, true);
  assert.equal(applyCoreConfigUpdate(on, { coreApiKey: KEY }).memory_rerank, true);
  assert.equal(applyCoreConfigUpdate(on, { coreApiKey: KEY, memory_rerank: false }).memory_rerank, false);
  assert.throws(() => applyCoreConfigUpdate({}, { coreApiKey: KEY, memory_rerank: 'yes' }), /memory_rerank must be true or false/);
});

test('custom API mode does not require the core key', () => {
  const next = applyCoreConfigUpdate({}, { enableCustomApi: true, conversationModelUrl: 'http://127.0.0.1:11434/v1', conversationModelId: 'qwen2.5' });
  assert.equal(next.enableCustomApi, true);
  assert.equal(next.conversationModelId, 'qwen2.5');
});

test('runtime resolution: provider catalogue, assist key fallback, env overrides, custom roles', () => {
  const r = resolveCoreConfig({ coreApi: 'openai', coreApiKey: KEY, assistApi: 'qwen' }, {});
  assert.equal(r.coreUrl, 'wss://api.openai.com/v1/realtime');
  assert.equal(r.assistApiKey, KEY, 'assist key falls back to the core key');
  assert.equal(r.roles.summary.model, 'qwen-plus');
  assert.equal(r.coreKeyMissing, false);

  const envd = resolveCoreConfig({ coreApi: 'openai' }, { NEKO_CORE_API_KEY: 'env-key', NEKO_SUMMARY_MODEL: 'my-summary' });
  assert.equal(envd.coreApiKey, 'env-key');
  assert.equal(envd.roles.summary.model, 'my-summary');

  const missing = resolveCoreConfig({}, {});
  assert.equal(missing.coreApi, 'qwen');
  assert.equal(missing.coreKeyMissing, true);

  const custom = resolveCoreConfig({ enableCustomApi: true, conversationModelUrl: 'http://127.0.0.1:8080/v1', conversationModelId: 'local-7b' }, {});
  assert.deepEqual(custom.roles.conversation, { model: 'local-7b', baseUrl: 'http://127.0.0.1:8080/v1', apiKey: '', isCustom: true });

  assert.equal(resolveCoreConfig({ coreApi: 'free' }, {}).assistApi, 'free');
  assert.equal(resolveCoreConfig({ coreApi: 'sim' }, {}).assistApi, 'sim');
});

test('DashScope WebSocket host: Beijing by default, the international region when chosen, never a plain-text remote', () => {
  assert.equal(resolveCoreConfig({}, {}).dashscopeWsBase, 'wss://dashscope.aliyuncs.com');
  assert.equal(resolveCoreConfig({ dashscopeWsBase: 'wss://dashscope-intl.aliyuncs.com/' }, {}).dashscopeWsBase, 'wss://dashscope-intl.aliyuncs.com');
  assert.equal(resolveCoreConfig({}, { NEKO_DASHSCOPE_WS_BASE: 'ws://127.0.0.1:9000' }).dashscopeWsBase, 'ws://127.0.0.1:9000');
  for (const bad of ['ws://evil.example', 'https://dashscope.aliyuncs.com', 'not a url']) {
    assert.equal(resolveCoreConfig({ dashscopeWsBase: bad }, {}).dashscopeWsBase, 'wss://dashscope.aliyuncs.com', bad);
  }
});

test('the text-mode length guard: 300 by default, from the file or NEKO_TEXT_GUARD_MAX_LENGTH, 0 turns it off, nonsense is ignored', () => {
  assert.equal(resolveCoreConfig({}, {}).textGuardMaxLength, 300);
  assert.equal(resolveCoreConfig({ textGuardMaxLength: 800 }, {}).textGuardMaxLength, 800);
  assert.equal(resolveCoreConfig({ textGuardMaxLength: 800 }, { NEKO_TEXT_GUARD_MAX_LENGTH: '0' }).textGuardMaxLength, 0, 'env wins; 0 = off');
  for (const bad of [-5, 2.5, 'many', true]) assert.equal(resolveCoreConfig({ textGuardMaxLength: bad } as never, {}).textGuardMaxLength, 300, String(bad));
});
