import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Publisher, Pull, Push } from 'zeromq';
import { ZmqAgentBridge } from '../src/main/bridges/zmq-agent-bridge.js';
import { createLogger } from '../src/shared/log.js';
import { AgentHarness, everythingServer, writeMcpConfig } from './support/agent-harness.js';
import { http, startService, tempDataDir } from './support/services.js';
import { waitFor } from './support/wait.js';

describe('agent HTTP API: auth and bad input', () => {
  const data = tempDataDir('neko-agent-api-');
  const token = 'test-token-123';
  let agent: Awaited<ReturnType<typeof startService>>;
  after(async () => {
    await agent?.kill();
    data.cleanup();
  });

  test('every route needs NEKO_ACCESS_TOKEN when it is set', async () => {
    agent = await startService('agent', { env: { NEKO_DATA_DIR: data.dir, NEKO_ASSIST_API: 'sim', NEKO_ACCESS_TOKEN: token, NEKO_ZMQ_SESSION_PUB_PORT: '1', NEKO_ZMQ_AGENT_PUSH_PORT: '2', NEKO_ZMQ_ANALYZE_PUSH_PORT: '3' } });
    for (const path of ['/agent/flags', '/agent/state', '/tasks', '/mcp/servers', '/capabilities']) {
      assert.equal((await http(`${agent.url}${path}`)).status, 401, path);
    }
    assert.equal((await http(`${agent.url}/computer_use/run`, { method: 'POST', json: { instruction: 'x' } })).status, 401);
    const ok = await http(`${agent.url}/agent/flags`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body.agent_flags, { computer_use_enabled: false, browser_use_enabled: false, user_plugin_enabled: false, mcp_enabled: false });
  });

  test('unknown commands, wrong flag names and malformed bodies are 400s that say why', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const post = (path: string, json: unknown) => http(`${agent.url}${path}`, { method: 'POST', json, headers: auth });
    const unknown = await post('/agent/command', { command: 'launch_rockets' });
    assert.deepEqual([unknown.status, unknown.body.code], [400, 'UNKNOWN_COMMAND']);
    const badKey = await post('/agent/command', { command: 'set_flag', key: 'warp_enabled', value: true });
    assert.equal(badKey.status, 400);
    const wrongFlag = await post('/agent/flags', { computer_use: true });
    assert.equal(wrongFlag.status, 400);
    assert.match(wrongFlag.body.error, /computer_use/);
    const notBool = await post('/agent/flags', { mcp_enabled: 'yes' });
    assert.equal(notBool.status, 400);
    const admin = await post('/admin/control', { action: 'format_disk' });
    assert.equal(admin.status, 400);
    const badJson = await http(`${agent.url}/agent/flags`, { method: 'POST', body: '{"mcp_enabled":', headers: { ...auth, 'content-type': 'application/json' } });
    assert.equal(badJson.status, 400);
    const badMcp = await http(`${agent.url}/mcp/servers`, { method: 'PUT', json: { mcpServers: { 'bad name!': { command: 'x' } } }, headers: auth });
    assert.equal(badMcp.status, 400);
    assert.equal((await http(`${agent.url}/tasks/no-such-task`, { headers: auth })).status, 404);
    assert.equal((await post('/tasks/no-such-task/cancel', {})).status, 404);
    const user = await post('/agent/flags', { user_plugin_enabled: true });
    assert.equal(user.body.agent_flags.user_plugin_enabled, false, 'neko has no plugin server: the flag stays off');
    const flags = await http(`${agent.url}/agent/flags`, { headers: auth });
    assert.deepEqual(JSON.parse(flags.body.notification), { code: 'AGENT_NO_PLUGINS_FOUND' });
    assert.equal((await http(`${agent.url}/agent/flags`, { headers: auth })).body.notification, null, 'a notification is read once');
  });
});

test('with the agent model not configured, enabling a capability turns every flag off with a reason', async () => {
  const data = tempDataDir('neko-agent-gate-');
  const agent = await startService('agent', { env: { NEKO_DATA_DIR: data.dir, NEKO_ASSIST_API: 'openai', NEKO_CORE_API: 'openai', NEKO_ZMQ_SESSION_PUB_PORT: '1', NEKO_ZMQ_AGENT_PUSH_PORT: '2', NEKO_ZMQ_ANALYZE_PUSH_PORT: '3' } });
  try {
    const res = await http(`${agent.url}/agent/flags`, { method: 'POST', json: { browser_use_enabled: true } });
    assert.equal(res.body.agent_flags.browser_use_enabled, false);
    const flags = (await http(`${agent.url}/agent/flags`)).body;
    assert.equal(flags.agent_api_gate.ready, false);
    assert.deepEqual(flags.agent_api_gate.reasons, ['AGENT_KEY_NOT_CONFIGURED']);
    assert.equal(JSON.parse(flags.notification).code, 'AGENT_API_NOT_READY');
  } finally {
    await agent.kill();
    data.cleanup();
  }
});

test('malformed ZeroMQ frames are dropped with a log line; the agent keeps acking', { timeout: 20_000 }, async () => {
  const data = tempDataDir('neko-agent-frames-');
  const pub = new Publisher();
  const pull = new Pull();
  const push = new Push({ sendTimeout: 2000 });
  await pub.bind('tcp://127.0.0.1:0');
  await pull.bind('tcp://127.0.0.1:0');
  await push.bind('tcp://127.0.0.1:0');
  const port = (s: { lastEndpoint: string | null }) => s.lastEndpoint!.split(':').pop()!;
  const agent = await startService('agent', {
    env: { NEKO_DATA_DIR: data.dir, NEKO_ASSIST_API: 'sim', NEKO_ZMQ_SESSION_PUB_PORT: port(pub), NEKO_ZMQ_AGENT_PUSH_PORT: port(pull), NEKO_ZMQ_ANALYZE_PUSH_PORT: port(push) },
  });
  try {
    const junk = ['not json', '[1,2,3]', 'null', '{"no_event_type":1}', '{"event_type":"analyze_request","trigger":"lunch","lanlan_name":"x","messages":[]}', '{"event_type":"task_result"}', `{"event_type":"analyze_request","pad":"${'x'.repeat(1024 * 1024)}"}`];
    for (const frame of junk) await push.send(frame);
    await push.send(Buffer.from([0xff, 0xfe, 0x00]));
    await push.send(JSON.stringify({ event_type: 'analyze_request', event_id: 'good-1', trigger: 'turn_end', lanlan_name: 'test', messages: [{ role: 'user', content: 'hi' }] }));
    const [ack] = await pull.receive();
    assert.deepEqual(JSON.parse(ack!.toString()), { event_type: 'analyze_ack', lanlan_name: 'test', event_id: 'good-1' });
    const health = (await http(`${agent.url}/health`)).body;
    assert.equal(health.zmq.rejected_frames, junk.length + 1);
    assert.ok(agent.logs.filter((l) => l.msg === 'dropped a message from main').length >= junk.length);
    assert.equal(agent.proc.exitCode, null);
  } finally {
    await agent.kill();
    for (const s of [pub, pull, push]) s.close();
    data.cleanup();
  }
});

test('main restarting its ZeroMQ side: the agent reconnects, a retried request starts no duplicate task', { timeout: 40_000 }, async () => {
  const data = tempDataDir('neko-agent-peer-');
  writeMcpConfig(data.dir, { everything: everythingServer() });
  const h = new AgentHarness(data.dir);
  try {
    await h.start();
    await h.enable({ mcp_enabled: true });
    await h.analyze('Trigger a long running operation for 3 seconds with 3 steps');
    await waitFor('task running', () => h.taskIdsWith('running').length === 1);
    // Main goes away and comes back on the same ports (a main restart); the retried request carries the same text.
    await h.bridge.close();
    const reborn = new ZmqAgentBridge(createLogger('test', 'silent'));
    reborn.on('event', (e) => h.events.push(e));
    // The old sockets release their ports asynchronously.
    await waitFor('ports free again', () => reborn.start({ host: '127.0.0.1', ports: h.ports }).then(() => true, () => false), 5000, 50);
    const request = { trigger: 'turn_end' as const, lanlan_name: 'test', messages: [{ role: 'user', content: 'Trigger a long running operation for 3 seconds with 3 steps' }] };
    await waitFor('agent reconnected and acked', () => reborn.requestAnalyze(request), 10_000, 50);
    const result = await waitFor('the running task finishes and its result reaches the new main', () => h.ofType('task_result')[0], 15_000);
    assert.equal(result.success, true);
    assert.equal(h.taskIdsWith('queued').length, 1, 'the retried request did not start a second task');
    await reborn.close();
  } finally {
    await h.agent?.kill();
    data.cleanup();
  }
});
