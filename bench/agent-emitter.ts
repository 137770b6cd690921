// Child process for the agent bench: the agent's real ZmqMainBridge, emitting task_update events to main as fast
// as it can, so sender and receiver each have their own process (as the agent and main do).
import { setImmediate as yieldLoop } from 'node:timers/promises';
import { ZmqMainBridge } from '../src/agent/zmq-main-bridge.js';
import { createLogger } from '../src/shared/log.js';

const [sessionPub, agentPush, analyzePush, count, batch] = process.argv.slice(2).map(Number);
const bridge = new ZmqMainBridge({ log: createLogger('bench-emitter', 'silent'), host: '127.0.0.1', ports: { sessionPub: sessionPub!, agentPush: agentPush!, analyzePush: analyzePush! } });
bridge.start();
const task = { id: 'bench-task', status: 'running', type: 'mcp', start_time: new Date().toISOString(), params: { instruction: 'bench' }, step: 1, step_total: 3 };

process.on('message', async (message: { type: string }) => {
  if (message.type === 'probe') {
    process.send?.({ type: 'probed', ok: await bridge.emit('task_update', 'bench', { task }) });
    return;
  }
  if (message.type !== 'go') return;
  // Sends in batches; what the queue refused (main's side full) is sent again, so the figure is a lossless rate.
  let retried = 0;
  for (let sent = 0; sent < count!; ) {
    const results = await Promise.all(Array.from({ length: Math.min(batch!, count! - sent) }, () => bridge.emit('task_update', 'bench', { task })));
    const ok = results.filter(Boolean).length;
    sent += ok;
    retried += results.length - ok;
    await yieldLoop();
  }
  process.send?.({ type: 'done', retried });
  await bridge.close();
  process.exit(0);
});
