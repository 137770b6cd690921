import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ZmqAgentBridge } from '../src/main/bridges/zmq-agent-bridge.js';
import { createLogger } from '../src/shared/log.js';
import type { AgentEventOf } from '../src/shared/protocol/zmq.js';
import { startService, tempDataDir, type RunningService } from './support/services.js';
import { waitFor } from './support/wait.js';

/**
 * Main's ZmqAgentBridge in this process, the real agent process on the other end: acks arrive, an agent killed
 * with SIGKILL costs main at most ~1 s per request and no exception, and a restarted agent is acked again.
 */
const log = createLogger('test', 'silent');
const bridge = new ZmqAgentBridge(log);
const data = tempDataDir();
let agent: RunningService | undefined;
after(async () => {
  await agent?.kill();
  await bridge.close();
  data.cleanup();
});

const request = { trigger: 'turn_end' as const, lanlan_name: '小白', conversation_id: 'conv-1', messages: [{ role: 'user', content: '帮我打开计算器' }] };

function startAgent(ports: { sessionPub: number; agentPush: number; analyzePush: number }): Promise<RunningService> {
  return startService('agent', {
    env: {
      NEKO_DATA_DIR: data.dir,
      NEKO_ZMQ_SESSION_PUB_PORT: String(ports.sessionPub),
      NEKO_ZMQ_AGENT_PUSH_PORT: String(ports.agentPush),
      NEKO_ZMQ_ANALYZE_PUSH_PORT: String(ports.analyzePush),
    },
  });
}

test('analyze requests are acked by the real agent, fail fast while it is dead, and resume after restart', async (t) => {
  const { ports } = await bridge.start({ host: '127.0.0.1', ports: { sessionPub: 0, agentPush: 0, analyzePush: 0 } });
  const acks: Array<AgentEventOf<'analyze_ack'>> = [];
  bridge.on('analyze_ack', (ack) => acks.push(ack));

  agent = await startAgent(ports);
  // The agent's connect completes in the background after it starts listening: poll, bounded.
  await waitFor('first ack from the agent', () => bridge.requestAnalyze(request), 10_000, 50);
  assert.ok(acks.length >= 1 && acks[0]!.lanlan_name === '小白', 'acks arrive as typed analyze_ack events');
  await waitFor('agent logged the request', () => agent!.logs.some((l) => l.event === 'analyze_request' && l.lanlan_name === '小白'));

  const roundTrips: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    assert.equal(await bridge.requestAnalyze(request), true);
    roundTrips.push(performance.now() - t0);
  }
  roundTrips.sort((a, b) => a - b);
  t.diagnostic(`analyze ack round trip: median ${roundTrips[10]!.toFixed(2)} ms, max ${roundTrips[19]!.toFixed(2)} ms (20 requests)`);

  // A frozen agent (connected, silent) costs exactly the ack budget: 500 ms, one retry, 500 ms.
  agent.proc.kill('SIGSTOP');
  const tFrozen = performance.now();
  assert.equal(await bridge.requestAnalyze(request), false);
  const frozenMs = performance.now() - tFrozen;
  assert.ok(frozenMs >= 950 && frozenMs < 1250, `frozen agent: gave up after ${frozenMs.toFixed(0)} ms`);
  t.diagnostic(`requestAnalyze with the agent frozen (SIGSTOP) resolved false after ${frozenMs.toFixed(0)} ms`);
  agent.proc.kill('SIGCONT');
  // Thawed, the agent reads both deliveries of that event_id: it acks both and handles one.
  await waitFor('duplicate counted by the agent', async () => {
    const h = await (await fetch(`${agent!.url}/health`)).json() as { zmq: { analyze_duplicates: number } };
    return h.zmq.analyze_duplicates === 1;
  });
  assert.equal(await bridge.requestAnalyze(request), true, 'late acks for the abandoned request do not confuse later ones');

  await agent.kill();
  const t0 = performance.now();
  const whileDead = await Promise.all([bridge.requestAnalyze(request), bridge.requestAnalyze(request), bridge.requestAnalyze(request)]);
  const elapsed = performance.now() - t0;
  assert.deepEqual(whileDead, [false, false, false]);
  assert.ok(elapsed < 1150, `requestAnalyze gave up after ${elapsed.toFixed(0)} ms (2 × 500 ms budget)`);
  t.diagnostic(`requestAnalyze with the agent SIGKILLed resolved false after ${elapsed.toFixed(0)} ms`);
  assert.equal(bridge.status().pending_acks, 0, 'no ack waiters left behind');

  agent = await startAgent(ports);
  const t1 = performance.now();
  await waitFor('ack from the restarted agent', () => bridge.requestAnalyze(request), 10_000, 50);
  t.diagnostic(`restarted agent acked ${(performance.now() - t1).toFixed(0)} ms after it logged listening`);
  const health = await (await fetch(`${agent.url}/health`)).json() as { zmq: { analyze_received: number; analyze_duplicates: number } };
  assert.ok(health.zmq.analyze_received >= 1, 'the agent reports its ZeroMQ counters on /health');
});

test('main exits with EXIT_CONFIG_ERROR naming the port when a ZeroMQ port is taken', async () => {
  const squatter = new ZmqAgentBridge(log);
  const { ports } = await squatter.start({ host: '127.0.0.1', ports: { sessionPub: 0, agentPush: 0, analyzePush: 0 } });
  try {
    const failure = await startService('main', { env: { NEKO_DATA_DIR: data.dir, NEKO_ZMQ_ANALYZE_PUSH_PORT: String(ports.analyzePush) } }).then(
      () => assert.fail('main started although its ZeroMQ port was taken'),
      (err: Error) => err.message,
    );
    assert.match(failure, /exited with 78/);
    assert.match(failure, new RegExp(`ZeroMQ port ${ports.analyzePush} \\(analyzePush\\) is already in use`));
    assert.match(failure, /NEKO_ZMQ_ANALYZE_PUSH_PORT/);
  } finally {
    await squatter.close();
  }
});
