// Agent benchmarks: the main⇄agent ZeroMQ link and the time from an analyze request to the MCP tool call.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { ZmqAgentBridge } from '../src/main/bridges/zmq-agent-bridge.js';
import { createLogger } from '../src/shared/log.js';
import { AgentHarness, everythingServer, writeMcpConfig } from '../test/support/agent-harness.js';
import { tempDataDir } from '../test/support/services.js';
import { waitFor } from '../test/support/wait.js';
import { percentile, type Figure } from './stats.js';

const ROUND_TRIPS = 2000;
const THROUGHPUT_EVENTS = 200_000;
const TOOL_CALLS = 30;
const BATCH = 500;
const silent = createLogger('bench', 'silent');

/** analyze_request → analyze_ack between main's bridge (here) and the real agent process. */
async function roundTrips(h: AgentHarness): Promise<number[]> {
  const request = { trigger: 'turn_end' as const, lanlan_name: 'bench', messages: [{ role: 'assistant', content: 'ok' }] };
  for (let i = 0; i < 200; i++) await h.bridge.requestAnalyze(request); // warm-up
  const times: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const t0 = performance.now();
    if (!(await h.bridge.requestAnalyze(request))) throw new Error('analyze request not acked');
    times.push(performance.now() - t0);
  }
  return times;
}

/**
 * Agent→main events per second: the agent's bridge in a child process, main's bridge here (JSON encode,
 * ZeroMQ over loopback TCP, parse and validate every event), each side with its own process as in production.
 */
async function throughput(): Promise<{ perSecond: number; retried: number }> {
  const main = new ZmqAgentBridge(silent);
  const { ports } = await main.start({ host: '127.0.0.1', ports: { sessionPub: 0, agentPush: 0, analyzePush: 0 } });
  let received = 0;
  main.on('task_update', () => {
    received += 1;
  });
  const child = fork(join(import.meta.dirname, 'agent-emitter.ts'), [ports.sessionPub, ports.agentPush, ports.analyzePush, THROUGHPUT_EVENTS, BATCH].map(String), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const messages: Array<{ type: string; ok?: boolean; retried?: number }> = [];
  child.on('message', (m) => messages.push(m as (typeof messages)[number]));
  try {
    await waitFor('emitter connected', async () => {
      child.send({ type: 'probe' });
      await new Promise((r) => setTimeout(r, 20));
      return received > 0;
    }, 10_000, 0);
    received = 0;
    const t0 = performance.now();
    child.send({ type: 'go' });
    const done = await waitFor('emitter finished', () => messages.find((m) => m.type === 'done'), 60_000, 1);
    await waitFor('all events received', () => received >= THROUGHPUT_EVENTS, 30_000, 1);
    const seconds = (performance.now() - t0) / 1000;
    return { perSecond: received / seconds, retried: done.retried ?? 0 };
  } finally {
    child.kill();
    await main.close();
  }
}

/** From sending the analyze request to the MCP tool call starting (task_update running), with the sim model. */
async function analyzeToToolCall(h: AgentHarness): Promise<number[]> {
  await h.enable({ mcp_enabled: true });
  const times: number[] = [];
  for (let i = 0; i < TOOL_CALLS; i++) {
    const before = h.taskIdsWith('running').length;
    const t0 = performance.now();
    await h.analyze(`What is the sum of ${i} and ${1000 + i}?`, 'bench');
    await waitFor('tool call started', () => h.taskIdsWith('running').length > before, 10_000, 0);
    times.push(performance.now() - t0);
  }
  return times;
}

export async function agentBench(): Promise<Figure[]> {
  const data = tempDataDir('neko-bench-agent-');
  writeMcpConfig(data.dir, { everything: everythingServer() });
  const h = new AgentHarness(data.dir);
  try {
    await h.start();
    await waitFor('agent reachable', () => h.bridge.requestAnalyze({ trigger: 'turn_end', lanlan_name: 'bench', messages: [] }), 10_000, 50);
    const rt = await roundTrips(h);
    const tp = await throughput();
    const tool = await analyzeToToolCall(h);
    const p99 = percentile(rt, 99);
    return [
      { name: 'agent: ZeroMQ analyze→ack round trip p50', value: `${percentile(rt, 50).toFixed(3)} ms` },
      { name: 'agent: ZeroMQ analyze→ack round trip p99', value: `${p99.toFixed(3)} ms`, target: '< 5 ms', ok: p99 < 5 },
      { name: 'agent: agent→main event throughput', value: `${Math.round(tp.perSecond).toLocaleString('en')} events/s, none lost`, target: '≥ 50,000/s', ok: tp.perSecond >= 50_000 },
      { name: 'agent: analyze request → MCP tool call (sim) p50', value: `${percentile(tool, 50).toFixed(1)} ms` },
      { name: 'agent: analyze request → MCP tool call (sim) p99', value: `${percentile(tool, 99).toFixed(1)} ms` },
    ];
  } finally {
    await h.close();
    data.cleanup();
  }
}
