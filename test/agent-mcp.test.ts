import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AgentHarness, everythingServer, filesystemServer, garbageServer, writeMcpConfig } from './support/agent-harness.js';
import { freePorts, http, ROOT, tempDataDir } from './support/services.js';
import { waitFor } from './support/wait.js';

/**
 * The agent process with real MCP servers from npm, driven as main drives it: analyze requests over real
 * ZeroMQ, the offline `sim` agent model choosing tools, results coming back as task_update/task_result.
 */
describe('agent + MCP servers over ZeroMQ', () => {
  const data = tempDataDir('neko-agent-mcp-');
  const files = join(data.dir, 'shared-files');
  let h: AgentHarness;

  before(async () => {
    mkdirSync(files, { recursive: true });
    writeFileSync(join(files, 'shopping-list.txt'), 'milk\neggs\n');
    writeMcpConfig(data.dir, { everything: everythingServer(), files: filesystemServer(files) });
    h = new AgentHarness(data.dir);
    await h.start();
    await h.enable({ mcp_enabled: true });
  });
  after(async () => {
    await h?.close();
    data.cleanup();
  });

  test('the sim model picks get-sum for an arithmetic request; the result reaches main', { timeout: 30_000 }, async () => {
    await h.analyze('What is the sum of 17 and 25?');
    const result = await h.waitForResult('task_result for the sum', (e) => e.channel === 'mcp');
    assert.equal(result.lanlan_name, 'test');
    assert.equal(result.success, true);
    assert.equal(result.status, 'completed');
    assert.match(result.detail, /42/);
    const statuses = h.ofType('task_update').filter((e) => e.task.id === result.task_id).map((e) => e.task.status);
    assert.deepEqual([...new Set(statuses)], ['queued', 'running', 'completed']);
    const record = await http(`${h.url}/tasks/${result.task_id}`);
    assert.equal(record.body.status, 'completed');
    assert.equal(record.body.params.tool, 'get-sum');
    assert.deepEqual(record.body.params.args, { a: 17, b: 25 });
  });

  test('the filesystem server lists a directory the user names', { timeout: 30_000 }, async () => {
    await h.analyze(`Please list the directory ${files}`);
    const result = await h.waitForResult('task_result for the listing', (e) => /shopping-list/.test(e.detail));
    assert.equal(result.success, true);
  });

  test('chit-chat starts no task', { timeout: 15_000 }, async () => {
    const before = h.ofType('task_update').length;
    await h.analyze('I had a lovely day today, thanks for asking');
    await waitFor('planner logged', () => h.agent.logs.some((l) => l.event === 'task_planned' && l.kind === 'none'));
    assert.equal(h.ofType('task_update').length, before);
  });

  test('cancelling one of two running tasks stops exactly that one', { timeout: 30_000 }, async () => {
    await h.analyze('Trigger a long running operation for 3 seconds with 3 steps');
    await h.analyze('Trigger a long running operation for 2 seconds with 2 steps');
    const running = await waitFor('two running tasks', () => {
      const ids = h.taskIdsWith('running').filter((id) => !h.taskIdsWith('completed').includes(id) && !h.taskIdsWith('cancelled').includes(id));
      return ids.length >= 2 ? ids : null;
    });
    const [victim, survivor] = running;
    const cancel = await http(`${h.url}/tasks/${victim}/cancel`, { method: 'POST', json: {} });
    assert.deepEqual(cancel.body, { success: true, task_id: victim, status: 'cancelled' });
    const again = await http(`${h.url}/tasks/${victim}/cancel`, { method: 'POST', json: {} });
    assert.deepEqual(again.body, { success: false, error: 'task is not active' });
    const done = await h.waitForResult('the other task finishes', (e) => e.task_id === survivor);
    assert.equal(done.success, true, 'the task not cancelled completes');
    const cancelled = await h.waitForResult('cancelled task reported', (e) => e.task_id === victim);
    assert.equal(cancelled.success, false);
    assert.match(cancelled.summary, /cancelled/);
    assert.equal((await http(`${h.url}/tasks/${victim}`)).body.status, 'cancelled');
  });

  test('the same request while it runs is not started twice', { timeout: 30_000 }, async () => {
    const queuedBefore = h.taskIdsWith('queued').length;
    await h.analyze('trigger a long running operation for 2 seconds with 2 steps!');
    await h.analyze('Trigger a LONG running operation for 2 seconds, with 2 steps');
    await waitFor('duplicate refused', () => h.agent.logs.some((l) => l.duplicate === true));
    assert.equal(h.taskIdsWith('queued').length - queuedBefore, 1);
  });

  test('an MCP server killed mid-call fails that call clearly and is restarted', { timeout: 40_000 }, async () => {
    await h.analyze('Trigger a long running operation for 20 seconds with 20 steps');
    const id = await waitFor('long task running', () =>
      h.ofType('task_update').find((e) => e.task.status === 'running' && (e.task.params as { args?: { duration?: number } })?.args?.duration === 20)?.task.id,
    );
    const before = (await http(`${h.url}/mcp/servers`)).body.servers.find((s: { name: string }) => s.name === 'everything');
    process.kill(before.pid, 'SIGKILL');
    const failed = await h.waitForResult('failed result', (e) => e.task_id === id);
    assert.equal(failed.success, false);
    assert.match(failed.error_message, /MCP server "everything" stopped during the call/);
    assert.match(failed.error_message, /restarted/);
    const after = await waitFor('server back', async () => {
      const s = (await http(`${h.url}/mcp/servers`)).body.servers.find((x: { name: string }) => x.name === 'everything');
      return s.state === 'ready' && s.pid !== before.pid ? s : null;
    }, 15_000, 100);
    assert.ok(after.restarts >= 1);
    await h.analyze('What is the sum of 100 and 23?');
    const ok = await h.waitForResult('call after restart', (e) => /123/.test(e.detail));
    assert.equal(ok.success, true);
  });

  test('an agent killed mid-task marks the task failed on restart and keeps its flags', { timeout: 40_000 }, async () => {
    await h.analyze('Trigger a long running operation for 30 seconds with 30 steps');
    const id = await waitFor('30 s task running', () =>
      h.ofType('task_update').find((e) => e.task.status === 'running' && (e.task.params as { args?: { duration?: number } })?.args?.duration === 30)?.task.id,
    );
    await h.agent.kill();
    await h.startAgent();
    const record = await http(`${h.url}/tasks/${id}`);
    assert.equal(record.body.status, 'failed');
    assert.match(record.body.error, /agent restarted/);
    const flags = await http(`${h.url}/agent/flags`);
    assert.equal(flags.body.analyzer_enabled, true);
    assert.equal(flags.body.agent_flags.mcp_enabled, true);
    assert.equal(flags.body.agent_flags.computer_use_enabled, false);
    await waitFor('main told the task failed', () => h.ofType('task_update').some((e) => e.task.id === id && e.task.status === 'failed'), 15_000);
  });
});

// The same server-everything over both HTTP transports: Streamable HTTP, and the older HTTP+SSE, which the
// agent reaches by falling back when the server refuses Streamable HTTP (no `type` in the config).
for (const remote of [
  { mode: 'streamableHttp', path: '/mcp', type: 'http', transport: 'streamable-http' },
  { mode: 'sse', path: '/sse', type: undefined, transport: 'sse' },
] as const) {
  describe(`agent + a remote MCP server (${remote.transport})`, () => {
    const data = tempDataDir(`neko-agent-mcp-${remote.transport}-`);
    let h: AgentHarness;
    let server: ChildProcess;

    before(async () => {
      const [port] = await freePorts(1);
      server = spawn(process.execPath, [join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), remote.mode], {
        env: { ...process.env, PORT: String(port) },
        stdio: 'ignore',
      });
      await waitFor('HTTP MCP server listening', async () => fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false), 15_000, 100);
      writeMcpConfig(data.dir, { remote: { ...(remote.type ? { type: remote.type } : {}), url: `http://127.0.0.1:${port}${remote.path}` } });
      h = new AgentHarness(data.dir);
      await h.start();
      await h.enable({ mcp_enabled: true });
    });
    after(async () => {
      await h?.close();
      server?.kill();
      data.cleanup();
    });

    test('tools of a remote server are offered and called', { timeout: 30_000 }, async () => {
      await waitFor('the remote server ready', async () => (await http(`${h.url}/mcp/servers`)).body.servers[0]?.state === 'ready', 20_000, 100);
      const servers = (await http(`${h.url}/mcp/servers`)).body.servers;
      assert.equal(servers[0].transport, remote.transport);
      await h.analyze('What is the sum of 2 and 40?');
      const result = await h.waitForResult(`task_result over ${remote.transport}`);
      assert.equal(result.success, true);
      assert.match(result.detail, /42/);
    });
  });
}

describe('agent + an MCP server that returns garbage', () => {
  const data = tempDataDir('neko-agent-mcp-garbage-');
  let h: AgentHarness;

  before(async () => {
    writeMcpConfig(data.dir, { junk: garbageServer() });
    h = new AgentHarness(data.dir);
    await h.start();
    await h.enable({ mcp_enabled: true });
  });
  after(async () => {
    await h?.close();
    data.cleanup();
  });

  test('malformed results fail the task with a reason; the agent and server stay up', { timeout: 40_000 }, async () => {
    await h.analyze('call result not object');
    const notObject = await h.waitForResult('result_not_object reported');
    assert.equal(notObject.success, false);
    assert.match(notObject.error_message, /did not answer within 3 s \(meanwhile it sent an invalid message/);

    await h.analyze('call bad content');
    const bad = await h.waitForResult('bad_content reported', (e) => e.task_id !== notObject.task_id);
    assert.equal(bad.success, false);
    assert.match(bad.error_message, /bad_content/);

    await h.analyze('call huge text');
    const huge = await h.waitForResult('huge_text reported', (e) => ![notObject.task_id, bad.task_id].includes(e.task_id));
    assert.equal(huge.success, true);
    assert.ok(huge.detail.length <= 1500, `detail capped (${huge.detail.length})`);

    await h.analyze('call noise then answer');
    const noisy = await h.waitForResult('noise_then_answer reported', (e) => /after the noise/.test(e.detail));
    assert.equal(noisy.success, true);
    assert.equal((await http(`${h.url}/health`)).status, 200);
    const junk = (await http(`${h.url}/mcp/servers`)).body.servers[0];
    assert.equal(junk.restarts, 0, 'garbage replies do not crash the connection');
  });
});
