// Monitor fan-out: does a stalled viewer slow anyone down? main's MonitorLink streams a character's voice
// (48 kHz PCM in 20 ms frames, as fast as main would produce it) plus text to a real monitor process, with one
// viewer that reads and one that never reads. Measured: send→receive latency at the reading viewer, how long
// main's send calls take, and when the stalled viewer is cut off.
import WebSocket from 'ws';
import { createLogger } from '../src/shared/log.js';
import { MonitorLink } from '../src/main/bridges/monitor-link.js';
import { startService } from '../test/support/services.js';
import { waitFor } from '../test/support/wait.js';
import { percentile, type Figure } from './stats.js';

/** 20 ms of 48 kHz PCM16: the size of a typical TTS audio frame main forwards. 8000 of them (15 MB, 160 s of voice) overflow what the kernel buffers for a reader that stopped. */
const FRAME_BYTES = 1920;
const FRAMES = 8000;

export async function monitorBench(): Promise<Figure[]> {
  const monitor = await startService('monitor');
  const link = new MonitorLink({ baseUrl: monitor.url, character: 'bench', log: createLogger('bench', 'silent') });
  link.start();
  try {
    await waitFor('link connected', () => link.stats().connected.binary && link.stats().connected.json, 10_000);
    const fast = new WebSocket(`ws://127.0.0.1:${monitor.port}/ws/bench`);
    const stalled = new WebSocket(`ws://127.0.0.1:${monitor.port}/ws/bench`);
    await Promise.all([fast, stalled].map((ws) => new Promise((r) => ws.once('open', r))));
    // The stalled viewer never reads: its TCP window fills and the monitor's send buffer for it grows.
    (stalled as unknown as { _socket: { pause(): void } })._socket.pause();
    const latencies: number[] = [];
    fast.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const sent = (data as Buffer).readDoubleLE(0);
      latencies.push(performance.now() - sent);
    });
    const sendTimes: number[] = [];
    const frame = Buffer.alloc(FRAME_BYTES);
    for (let i = 0; i < FRAMES; i++) {
      frame.writeDoubleLE(performance.now(), 0);
      const t0 = performance.now();
      link.sendAudio(Buffer.from(frame));
      if (i % 25 === 0) link.sendJson({ type: 'gemini_response', text: `word ${i} `, isNewMessage: i === 0 });
      sendTimes.push(performance.now() - t0);
      if (i % 50 === 49) await new Promise((r) => setImmediate(r));
    }
    await waitFor('frames received by the reading viewer', () => latencies.length >= FRAMES * 0.99, 30_000);
    const stats = link.stats();
    // The stalled client cannot see its own close (it stopped reading); the monitor's counters tell.
    const health = (await (await fetch(`${monitor.url}/health`)).json()) as { fanout: { slow_clients_closed: number; viewers: number } };
    fast.close();
    stalled.terminate();
    return [
      { name: 'monitor: send → reading viewer, with a stalled viewer attached (p50 / p99; a 160 s burst, so this includes its own backlog)', value: `${percentile(latencies, 50).toFixed(2)} / ${percentile(latencies, 99).toFixed(2)} ms (${latencies.length}/${FRAMES} frames)` },
      { name: "monitor: main's send call per frame (p99)", value: `${percentile(sendTimes, 99).toFixed(3)} ms`, target: '< 1 ms', ok: percentile(sendTimes, 99) < 1 },
      { name: 'monitor: stalled viewers cut off (1013) / viewers left', value: `${health.fanout.slow_clients_closed} / ${health.fanout.viewers}` },
      { name: 'monitor: frames main dropped', value: `${stats.dropped.binary} audio, ${stats.dropped.json_backpressure} text` },
    ];
  } finally {
    link.close();
    await monitor.stop();
  }
}
