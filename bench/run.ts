// `npm run bench`: runs every benchmark and prints one table of figures.
import { chatLatencyBench } from './chat-latency.js';
import { agentBench } from './agent.js';
import { browserBench } from './browser.js';
import { coldStartBench } from './cold-start.js';
import { memoryBench } from './memory.js';
import { monitorBench } from './monitor.js';
import { resamplerBench } from './resampler.js';
import { printTable, type Figure } from './stats.js';
import { ttsBench } from './tts.js';

const benches: Array<[string, () => Promise<Figure[]>]> = [
  ['cold start', coldStartBench],
  ['resampler', resamplerBench],
  ['agent', agentBench],
  ['chat latency and swap', chatLatencyBench],
  ['memory', memoryBench],
  ['tts and voice input', ttsBench],
  ['monitor', monitorBench],
  ['page in the browser', browserBench],
];
const only = process.argv.slice(2);
const figures: Figure[] = [];
for (const [name, run] of benches) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  process.stderr.write(`running ${name}…\n`);
  try {
    figures.push(...(await run()));
  } catch (err) {
    // One broken benchmark must not hide the others' figures; it shows as a failed row.
    figures.push({ name: `${name}: did not complete`, value: (err as Error).message.slice(0, 120), ok: false });
  }
}
printTable(figures);
