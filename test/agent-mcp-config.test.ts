import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { everythingServer, writeMcpConfig } from './support/agent-harness.js';
import { freePorts, http, portEnv, startService, tempDataDir, type RunningService } from './support/services.js';
import { waitFor } from './support/wait.js';

/**
 * The page's MCP server editor end to end through main: `/api/agent/mcp/servers[/{name}]` proxied to the agent's
 * per-entry routes, written to mcp_servers.json, and the agent's real MCP client following each change.
 */
describe('editing the MCP server list through main', () => {
  const data = tempDataDir('neko-mcp-config-');
  const file = join(data.dir, 'config', 'mcp_servers.json');
  const secret = 'sk-test-0123456789abcdef';
  let main: RunningService;
  let agent: RunningService;
  let api: string;

  const onDisk = () => JSON.parse(readFileSync(file, 'utf8')) as { mcpServers: Record<string, Record<string, any>> };
  const server = async (name: string) => ((await http(`${api}/mcp/servers`)).body.servers as Array<Record<string, any>>).find((s) => s.name === name);

  before(async () => {
    const env: Record<string, string> = { ...portEnv(await freePorts(7)), NEKO_DATA_DIR: data.dir, NEKO_LANGUAGE: 'en', NEKO_ASSIST_API: 'sim' };
    writeMcpConfig(data.dir, {});
    main = await startService('main', { env, port: Number(env.NEKO_MAIN_SERVER_PORT) });
    agent = await startService('agent', { env, port: Number(env.NEKO_TOOL_SERVER_PORT) });
    api = `${main.url}/api/agent`;
    assert.equal((await http(`${api}/command`, { method: 'POST', json: { command: 'set_agent_enabled', enabled: true } })).status, 200);
    assert.equal((await http(`${api}/flags`, { method: 'POST', json: { flags: { mcp_enabled: true } } })).status, 200);
  });
  after(async () => {
    await agent?.kill();
    await main?.stop();
    data.cleanup();
  });

  test('an empty list to start with', async () => {
    const list = await http(`${api}/mcp/servers`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.config, { mcpServers: {} });
    assert.deepEqual(list.body.servers, []);
    assert.equal(list.body.enabled, true);
  });

  test('adding a stdio server saves it, starts it, and shows its tools with the env value masked', { timeout: 40_000 }, async () => {
    const added = await http(`${api}/mcp/servers/everything`, { method: 'PUT', json: { ...everythingServer(), env: { DEMO_API_KEY: secret } } });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.equal(added.body.success, true);
    assert.equal(onDisk().mcpServers.everything!.env.DEMO_API_KEY, secret, 'the real value is on disk');
    assert.ok(!JSON.stringify(added.body).includes(secret), 'the answer never carries the secret');
    const ready = await waitFor('the server ready', async () => {
      const s = await server('everything');
      return s?.state === 'ready' ? s : null;
    }, 30_000, 200);
    assert.ok(ready.tools.length > 5, `tools: ${ready.tools}`);
    assert.ok(ready.tools.includes('get-sum'));
    const list = await http(`${api}/mcp/servers`);
    assert.ok(!JSON.stringify(list.body).includes(secret));
    assert.match(list.body.config.mcpServers.everything.env.DEMO_API_KEY, /^••••/);
    const avail = await http(`${api}/mcp/availability`);
    assert.equal(avail.body.ready, true);
    assert.equal(avail.body.capabilities_count, ready.tools.length);
  });

  test('saving the entry back with the masked value unchanged keeps the real secret', { timeout: 30_000 }, async () => {
    const shown = (await http(`${api}/mcp/servers`)).body.config.mcpServers.everything;
    const saved = await http(`${api}/mcp/servers/everything`, { method: 'PUT', json: { ...shown, timeout: 30 } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const stored = onDisk().mcpServers.everything!;
    assert.equal(stored.env.DEMO_API_KEY, secret);
    assert.equal(stored.timeout, 30);
    await waitFor('restarted with the new entry', async () => (await server('everything'))?.state === 'ready', 30_000, 200);
  });

  test('switching a server off stops it; on starts it again', { timeout: 40_000 }, async () => {
    const off = await http(`${api}/mcp/servers/everything`, { method: 'PATCH', json: { disabled: true } });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    assert.equal(onDisk().mcpServers.everything!.disabled, true);
    assert.equal(await server('everything'), undefined, 'a disabled server does not run');
    assert.equal((await http(`${api}/mcp/availability`)).body.ready, false);
    const on = await http(`${api}/mcp/servers/everything`, { method: 'PATCH', json: { disabled: false } });
    assert.equal(on.status, 200);
    assert.equal('disabled' in onDisk().mcpServers.everything!, false);
    await waitFor('running again', async () => (await server('everything'))?.state === 'ready', 30_000, 200);
  });

  test('bad input is a 400 that says why, and changes nothing', async () => {
    const before = readFileSync(file, 'utf8');
    const put = (name: string, json: unknown) => http(`${api}/mcp/servers/${encodeURIComponent(name)}`, { method: 'PUT', json });
    const cases: Array<[string, Promise<{ status: number; body: any }>, RegExp]> = [
      ['bad name', put('no spaces please', { command: 'node' }), /server name/],
      ['both command and url', put('both', { command: 'node', url: 'http://127.0.0.1:1/mcp' }), /either "command".*or "url"/],
      ['neither', put('neither', { args: ['x'] }), /either "command"/],
      ['empty command', put('empty', { command: '' }), /command/],
      ['not an http url', put('ftp', { url: 'ftp://example.com/mcp' }), /url/],
      ['args not strings', put('args', { command: 'node', args: [1, 2] }), /args/],
      ['masked value with nothing stored', put('fresh', { command: 'node', env: { TOKEN: '••••abcd' } }), /hidden value/],
      ['not an object', http(`${api}/mcp/servers/x`, { method: 'PUT', json: ['node'] }), /JSON object/],
      ['patch with an unknown key', http(`${api}/mcp/servers/everything`, { method: 'PATCH', json: { disabled: true, command: 'rm' } }), /command|unrecognized/i],
      ['patch disabled not a boolean', http(`${api}/mcp/servers/everything`, { method: 'PATCH', json: { disabled: 'yes' } }), /disabled/],
    ];
    for (const [what, request, message] of cases) {
      const res = await request;
      assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.success, false, what);
      assert.match(res.body.error, message, what);
    }
    const missing = await http(`${api}/mcp/servers/nobody`, { method: 'PATCH', json: { disabled: true } });
    assert.equal(missing.status, 404);
    assert.equal(readFileSync(file, 'utf8'), before, 'the file is unchanged');
  });

  test('an HTTP server entry is accepted as such', async () => {
    const res = await http(`${api}/mcp/servers/remote`, { method: 'PUT', json: { type: 'http', url: 'http://127.0.0.1:9/mcp', headers: { authorization: 'Bearer abcdefghijklmnop' } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(onDisk().mcpServers.remote!.url, 'http://127.0.0.1:9/mcp');
    assert.match(res.body.config.mcpServers.remote.headers.authorization, /^••••/);
    const entry = (await http(`${api}/mcp/servers`)).body.servers.find((s: { name: string }) => s.name === 'remote');
    assert.equal(entry.transport, 'streamable-http');
  });

  test('removing a server stops it and takes it off the list; removing it again is a 404', { timeout: 20_000 }, async () => {
    for (const name of ['remote', 'everything']) {
      const res = await http(`${api}/mcp/servers/${name}`, { method: 'DELETE' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    assert.deepEqual(onDisk(), { mcpServers: {} });
    assert.deepEqual((await http(`${api}/mcp/servers`)).body.servers, []);
    const again = await http(`${api}/mcp/servers/everything`, { method: 'DELETE' });
    assert.equal(again.status, 404);
    assert.match(again.body.error, /no MCP server named "everything"/);
  });

  test('the overview answers the panel in one call: flags, availability of each capability, tasks', async () => {
    const res = await http(`${api}/overview`);
    assert.equal(res.status, 200);
    assert.equal(res.body.online, true);
    assert.equal(res.body.flags.analyzer_enabled, true);
    assert.equal(res.body.flags.agent_flags.mcp_enabled, true);
    assert.deepEqual(Object.keys(res.body.availability).sort(), ['browser_use', 'computer_use', 'mcp']);
    assert.equal(typeof res.body.availability.mcp.ready, 'boolean');
    assert.ok(Array.isArray(res.body.availability.computer_use.reasons));
    assert.ok(Array.isArray(res.body.tasks));
  });

  test('a cross-site page cannot add a server (main refuses it before the agent sees it)', async () => {
    const res = await http(`${api}/mcp/servers/evil`, { method: 'PUT', json: { command: 'sh', args: ['-c', 'true'] }, headers: { origin: 'https://evil.example' } });
    assert.equal(res.status, 403);
    assert.deepEqual(onDisk(), { mcpServers: {} });
  });
});

test('a hand-broken mcp_servers.json is not overwritten by an edit (409 naming the problem)', { timeout: 30_000 }, async () => {
  const data = tempDataDir('neko-mcp-broken-');
  mkdirSync(join(data.dir, 'config'), { recursive: true });
  const file = join(data.dir, 'config', 'mcp_servers.json');
  writeFileSync(file, '{"mcpServers": {"half": ');
  const agent = await startService('agent', {
    env: { NEKO_DATA_DIR: data.dir, NEKO_ASSIST_API: 'sim', NEKO_ZMQ_SESSION_PUB_PORT: '1', NEKO_ZMQ_AGENT_PUSH_PORT: '2', NEKO_ZMQ_ANALYZE_PUSH_PORT: '3' },
  });
  try {
    const res = await http(`${agent.url}/mcp/servers/everything`, { method: 'PUT', json: everythingServer() });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'MCP_CONFIG_INVALID');
    assert.match(res.body.error, /not valid JSON/);
    assert.equal(readFileSync(file, 'utf8'), '{"mcpServers": {"half": ');
    const del = await http(`${agent.url}/mcp/servers/half`, { method: 'DELETE' });
    assert.equal(del.status, 409);
  } finally {
    await agent.kill();
    data.cleanup();
  }
});

test('with the agent down the editor routes answer 502 with a reason, and the overview says it is offline', { timeout: 20_000 }, async () => {
  const data = tempDataDir('neko-mcp-down-');
  const env: Record<string, string> = { ...portEnv(await freePorts(7)), NEKO_DATA_DIR: data.dir, NEKO_LANGUAGE: 'en' };
  const main = await startService('main', { env, port: Number(env.NEKO_MAIN_SERVER_PORT) });
  try {
    const list = await http(`${main.url}/api/agent/mcp/servers`);
    assert.equal(list.status, 502);
    assert.deepEqual(list.body.servers, []);
    assert.match(list.body.error, /agent/);
    const put = await http(`${main.url}/api/agent/mcp/servers/x`, { method: 'PUT', json: { command: 'node' } });
    assert.equal(put.status, 502);
    // The page asks this on every load: without an agent it is still a 200, saying why (no failed request in the console).
    const overview = await http(`${main.url}/api/agent/overview`);
    assert.equal(overview.status, 200);
    assert.equal(overview.body.online, false);
    assert.match(overview.body.error, /agent unreachable/);
  } finally {
    await main.stop();
    data.cleanup();
  }
});
