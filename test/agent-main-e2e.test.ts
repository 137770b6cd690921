import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { everythingServer, writeMcpConfig } from './support/agent-harness.js';
import { ChatClient } from './support/chat-client.js';
import { freePorts, http, portEnv, startService, tempDataDir, type RunningService } from './support/services.js';
import { waitFor } from './support/wait.js';

/**
 * The whole path with real processes: a page types a request into main's chat socket, main's turn end sends an
 * analyze_request over real ZeroMQ, the agent's sim model picks an MCP tool, and the page receives
 * agent_task_update and agent_notification. Main's /api/agent/* proxies are exercised on the way.
 */
const data = tempDataDir('neko-agent-e2e-');
let main: RunningService;
let agent: RunningService;
let env: Record<string, string>;

before(async () => {
  env = { ...portEnv(await freePorts(7)), NEKO_DATA_DIR: data.dir, NEKO_LANGUAGE: 'en', NEKO_ASSIST_API: 'sim' };
  writeMcpConfig(data.dir, { everything: everythingServer() });
  main = await startService('main', { env, port: Number(env.NEKO_MAIN_SERVER_PORT) });
  agent = await startService('agent', { env, port: Number(env.NEKO_TOOL_SERVER_PORT) });
});
after(async () => {
  await agent?.kill();
  await main?.stop();
  data.cleanup();
});

test('a request typed on the page runs an MCP tool and the page hears about it', { timeout: 60_000 }, async () => {
  const api = `${main.url}/api/agent`;
  const enabled = await http(`${api}/command`, { method: 'POST', json: { command: 'set_agent_enabled', enabled: true, request_id: 'r1' } });
  assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
  assert.equal(enabled.body.request_id, 'r1');
  assert.equal(typeof enabled.body.timing.main_total_ms, 'number');
  const flags = await http(`${api}/flags`, { method: 'POST', json: { lanlan_name: 'test', flags: { mcp_enabled: true } } });
  assert.deepEqual(flags.body, { success: true, is_free_version: false });
  await waitFor('MCP ready via main', async () => (await http(`${api}/mcp/availability`)).body.ready === true, 20_000, 100);

  const page = await ChatClient.open(`ws://127.0.0.1:${main.port}/ws/test`);
  page.send({ action: 'stream_data', input_type: 'text', data: 'What is the sum of 17 and 25?' });
  const update: Record<string, any> = await page.waitFor('agent_task_update completed', (c) => c.ofType('agent_task_update').find((m) => m.task.status === 'completed'), 30_000);
  assert.equal(update.task.type, 'mcp');
  assert.ok(page.ofType('agent_task_update').some((m) => m.task.id === update.task.id && m.task.status === 'running'), 'progress was streamed');
  const note: Record<string, any> = await page.waitFor('agent_notification', (c) => c.ofType('agent_notification')[0], 10_000);
  assert.equal(note.status, 'completed');
  assert.match(note.text, /42/);

  const tasks = await http(`${api}/tasks`);
  assert.ok(tasks.body.tasks.some((t: { id: string }) => t.id === update.task.id));
  const detail = await http(`${api}/tasks/${update.task.id}`);
  assert.equal(detail.body.status, 'completed');
  // The id is escaped into the upstream URL: a slash cannot reach another agent route.
  const sneaky = await http(`${api}/tasks/${encodeURIComponent('x/../../agent/flags')}`);
  assert.equal(sneaky.status, 404);
  const state = await http(`${api}/state`);
  assert.equal(state.body.snapshot.flags.mcp_enabled, true);
  await page.close();
});

test('bad input to the proxies: wrong flag names, unknown character, unknown command', async () => {
  const api = `${main.url}/api/agent`;
  const wrongFlag = await http(`${api}/flags`, { method: 'POST', json: { flags: { teleport_enabled: true } } });
  assert.equal(wrongFlag.status, 400);
  const nobody = await http(`${api}/flags`, { method: 'POST', json: { lanlan_name: 'nobody', flags: { mcp_enabled: true } } });
  assert.deepEqual([nobody.status, nobody.body], [404, { success: false, error: 'lanlan not found' }]);
  const unknown = await http(`${api}/command`, { method: 'POST', json: { command: 'self_destruct' } });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error, /unknown command/);
});

test('with the agent down, the proxies answer 502 with the fallback bodies the page expects', { timeout: 20_000 }, async () => {
  await agent.kill();
  const api = `${main.url}/api/agent`;
  assert.deepEqual(await pick(`${api}/flags`), [502, { success: false, error: 'tool_server down' }]);
  assert.deepEqual(await pick(`${api}/state`), [502, { success: false, error: 'tool_server down' }]);
  assert.deepEqual(await pick(`${api}/health`), [502, { status: 'down' }]);
  const tasks = await http(`${api}/tasks`);
  assert.equal(tasks.status, 502);
  assert.deepEqual(tasks.body.tasks, []);
  const cancel = await http(`${api}/tasks/abc/cancel`, { method: 'POST', json: {} });
  assert.equal(cancel.status, 502);
  assert.equal(cancel.body.success, false);
  const cu = await http(`${api}/computer_use/availability`);
  assert.equal(cu.status, 502);
  assert.equal(cu.body.ready, false);
  const flags = await http(`${api}/flags`, { method: 'POST', json: { flags: { mcp_enabled: true } } });
  assert.equal(flags.status, 502);
  assert.match(flags.body.error, /^tool_server forward failed/);
});

async function pick(url: string): Promise<[number, unknown]> {
  const r = await http(url);
  return [r.status, r.body];
}
