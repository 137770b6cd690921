import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Pull, Push } from 'zeromq';
import { ZmqMainBridge } from '../src/agent/zmq-main-bridge.js';
import { ZmqAgentBridge, ZmqBindError } from '../src/main/bridges/zmq-agent-bridge.js';
import { createLogger } from '../src/shared/log.js';
import type { AgentEvent, AnalyzeRequest } from '../src/shared/protocol/zmq.js';
import { waitFor } from './support/wait.js';

const log = createLogger('test', 'silent');
const EPHEMERAL = { sessionPub: 0, agentPush: 0, analyzePush: 0 };
const closers: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

async function startMainBridge(): Promise<{ bridge: ZmqAgentBridge; ports: typeof EPHEMERAL }> {
  const bridge = new ZmqAgentBridge(log);
  const { ports } = await bridge.start({ host: '127.0.0.1', ports: EPHEMERAL });
  closers.push(() => bridge.close());
  return { bridge, ports };
}

test('a retried analyze_request is acked every time but handled once', async () => {
  // Main's analyze PUSH and agent-event PULL, played by raw sockets so the same event_id can be sent twice.
  const push = new Push({ linger: 0 });
  const pull = new Pull({ linger: 0 });
  await push.bind('tcp://127.0.0.1:0');
  await pull.bind('tcp://127.0.0.1:0');
  closers.push(() => { push.close(); pull.close(); });
  const port = (s: Push | Pull) => Number(s.lastEndpoint!.split(':').pop());

  const handled: AnalyzeRequest[] = [];
  const agent = new ZmqMainBridge({
    log, host: '127.0.0.1',
    ports: { sessionPub: 1, analyzePush: port(push), agentPush: port(pull) },
    onAnalyzeRequest: (req) => { handled.push(req); },
  });
  agent.start();
  closers.push(() => agent.close());

  const request = { event_type: 'analyze_request', event_id: 'evt-1', trigger: 'turn_end', lanlan_name: '小白', conversation_id: 'c1', messages: [{ role: 'user', content: '帮我打开计算器' }] };
  await push.send(JSON.stringify(request)); // waits for the agent's PULL to connect
  await push.send(JSON.stringify(request)); // main's retry: same event_id
  await push.send(JSON.stringify({ ...request, event_id: 'evt-2' }));

  const acks: string[] = [];
  for (let i = 0; i < 3; i++) {
    const [frame] = await pull.receive();
    const ack = JSON.parse(String(frame)) as { event_type: string; event_id: string; lanlan_name: string };
    assert.equal(ack.event_type, 'analyze_ack');
    assert.equal(ack.lanlan_name, '小白');
    acks.push(ack.event_id);
  }
  assert.deepEqual(acks, ['evt-1', 'evt-1', 'evt-2'], 'every delivery is acked, retries included');
  await waitFor('both requests handled', () => handled.length === 2);
  assert.deepEqual(handled.map((r) => r.event_id), ['evt-1', 'evt-2'], 'the retry of evt-1 is not handled twice');
  assert.equal(agent.status().analyze_duplicates, 1);
});

test('agent→main events arrive typed; malformed frames are dropped without stopping the loop', async () => {
  const { bridge, ports } = await startMainBridge();
  const agent = new ZmqMainBridge({ log, host: '127.0.0.1', ports });
  agent.start();
  closers.push(() => agent.close());

  // A misbehaving peer on the same PULL socket.
  const rogue = new Push({ linger: 0 });
  rogue.connect(`tcp://127.0.0.1:${ports.agentPush}`);
  closers.push(() => rogue.close());
  for (const junk of ['{oops', '[1]', '{"event_type":"nope"}', '{"event_type":"task_update"}']) await rogue.send(junk);

  const all: AgentEvent[] = [];
  const results: string[] = [];
  bridge.on('event', (e) => all.push(e));
  bridge.on('task_result', (e) => results.push(`${e.task_id}:${e.status}:${e.success}`)); // typed: no casts needed
  bridge.on('agent_notification', () => { throw new Error('a listener bug must not kill the receive loop'); });

  await agent.emit('agent_notification', '小白', { text: '⚠️', source: 'brain', status: 'error', error_message: 'x' });
  await agent.emit('task_result', '小白', {
    text: 'done', task_id: 't1', channel: 'computer_use', status: 'completed', success: true,
    summary: 's', detail: 'd', error_message: '', timestamp: new Date().toISOString(),
  });
  await agent.emit('agent_status_update', null, { snapshot: { analyzer_enabled: false } });

  await waitFor('three valid events', () => all.length >= 3);
  assert.deepEqual(all.map((e) => e.event_type), ['agent_notification', 'task_result', 'agent_status_update']);
  assert.deepEqual(results, ['t1:completed:true']);
  await waitFor('four junk frames counted', () => bridge.status().rejected_frames === 4);
});

test('requestAnalyze resolves false fast when no agent is connected, and never throws', async () => {
  const { bridge } = await startMainBridge();
  const started = Date.now();
  const acked = await bridge.requestAnalyze({ trigger: 'turn_end', lanlan_name: 'a', conversation_id: 'c', messages: [] });
  assert.equal(acked, false);
  assert.ok(Date.now() - started < 1100, `gave up after ${Date.now() - started} ms`);
  assert.equal((bridge.status().analyze_push as { failed: number }).failed, 2, 'first try and retry both failed fast');
  assert.equal(await bridge.publishSessionEvent({ event_type: 'session_start' }), true, 'PUB never blocks, even with no subscriber');
});

test('binding a taken ZeroMQ port fails with the port and its variable in the message', async () => {
  const { ports } = await startMainBridge();
  const second = new ZmqAgentBridge(log);
  await assert.rejects(
    second.start({ host: '127.0.0.1', ports: { ...EPHEMERAL, agentPush: ports.agentPush } }),
    (err: Error) => {
      assert.ok(err instanceof ZmqBindError);
      assert.match(err.message, new RegExp(`port ${ports.agentPush} \\(agentPush\\) is already in use`));
      assert.match(err.message, /NEKO_ZMQ_AGENT_PUSH_PORT/);
      return true;
    },
  );
  assert.equal(second.status().started, false, 'nothing left half-bound');
});
