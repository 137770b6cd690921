/**
 * Chat core benchmark with 4 characters talking at once on the offline sim (bench/chat-rig.ts):
 *  - added server latency of reply audio: from the provider's audio delta arriving at main (its WebSocket
 *    message event, before parsing) to the paired binary frame handed to ws.send for the page — so it
 *    covers JSON parse, base64 decode, the session, the worker round trip (24→48 kHz) and SocketWriter;
 *  - hot-swap time: session.forceSwap() end to end (memory context over HTTP + connect of the next sim
 *    session + promotion), and the promotion alone (next session connected → forceSwap resolved).
 * The sim runs in this process, as it does in the app, so its speech synthesis and pacing share the event
 * loop with the sessions; every session also receives microphone noise every 10 ms.
 */
import { loadavg } from 'node:os';
import { startChatRig } from './chat-rig.js';
import { eventLoopLag, median, percentile, type Figure } from './stats.js';

const CHARACTERS = 4;
/**
 * Streaming before measuring: at least this long and until every page has had this many frames (worker
 * start-up, first stream opens, JIT and the first espeak runs are cold-start costs, not added latency).
 */
const WARMUP_MS = 3000;
const WARMUP_FRAMES = 60;
const WARMUP_LIMIT_MS = 60_000;
const MEASURE_MS = 20_000;
const SWAPS = 50;
/** Audio keeps flowing between swaps, so each swap lands in the middle of replies. */
const SWAP_GAP_MS = 200;
const LATENCY_TARGET = { p50: 2, p99: 10 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

function latencyFigure(name: string, values: number[], target: boolean): Figure {
  const p50 = percentile(values, 50);
  const p99 = percentile(values, 99);
  const figure: Figure = { name: `${name} (n=${values.length})`, value: `p50 ${ms(p50)} / p99 ${ms(p99)}` };
  if (!target) return figure;
  return { ...figure, target: `< ${LATENCY_TARGET.p50} / < ${LATENCY_TARGET.p99} ms`, ok: values.length > 0 && p50 < LATENCY_TARGET.p50 && p99 < LATENCY_TARGET.p99 };
}

export async function chatLatencyBench(): Promise<Figure[]> {
  const rig = await startChatRig(CHARACTERS);
  try {
    const warmupStarted = performance.now();
    await sleep(WARMUP_MS);
    while (rig.characters.some((c) => c.framesReceived < WARMUP_FRAMES)) {
      if (performance.now() - warmupStarted > WARMUP_LIMIT_MS) throw new Error('no steady reply audio from the sim sessions within a minute');
      await sleep(100);
    }
    // Context for the tail: how late the main event loop ran timers, and how busy the machine was.
    const loopDelay = eventLoopLag();
    loopDelay.enable();
    rig.record(true);
    await sleep(MEASURE_MS);
    rig.record(false);
    loopDelay.disable();
    const load = loadavg()[0]!;
    const steady = { ...rig.samples, fromArrival: [...rig.samples.fromArrival], fromEvent: [...rig.samples.fromEvent], toClient: [...rig.samples.toClient] };
    for (const list of Object.values(rig.samples)) list.length = 0;

    const totals: number[] = [];
    const promotions: number[] = [];
    rig.record(true);
    for (let i = 0; i < SWAPS; i++) {
      const { totalMs, promotionMs } = await rig.swap(rig.characters[i % CHARACTERS]!);
      totals.push(totalMs);
      promotions.push(promotionMs);
      await sleep(SWAP_GAP_MS);
    }
    rig.record(false);
    const duringSwaps = rig.samples.fromArrival;
    const frames = rig.characters.reduce((sum, c) => sum + c.framesReceived, 0);

    return [
      latencyFigure(`provider audio delta → page frame to ws.send, ${CHARACTERS} sessions on sim`, steady.fromArrival, true),
      latencyFigure('  same, from the provider client\'s audio event (after parse + base64 decode)', steady.fromEvent, false),
      latencyFigure('  same, until the page socket (same process, loopback) received the frame', steady.toClient, false),
      latencyFigure(`  delta → ws.send while ${SWAPS} swaps ran`, duringSwaps, true),
      { name: `  main event-loop lag while measuring (p50 / p99); machine load average (1 min)`, value: `${ms(loopDelay.percentile(50))} / ${ms(loopDelay.percentile(99))}; ${load.toFixed(1)}` },
      { name: `audio frames delivered to the ${CHARACTERS} pages (whole run)`, value: String(frames) },
      { name: `swap end to end: forceSwap(), memory context + sim connect + promotion (${SWAPS} swaps)`, value: `median ${ms(median(totals))} / p95 ${ms(percentile(totals, 95))}` },
      { name: 'swap promotion: next session connected → forceSwap() resolved', value: `median ${ms(median(promotions))} / p95 ${ms(percentile(promotions, 95))}` },
    ];
  } finally {
    await rig.close();
  }
}
