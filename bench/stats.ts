import { monitorEventLoopDelay } from 'node:perf_hooks';
/** Small helpers shared by the benchmarks: percentiles and a printed table. */
export function median(values: number[]): number {
  return percentile(values, 50);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export interface Figure {
  name: string;
  value: string;
  target?: string;
  ok?: boolean;
}

export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [f.name, f.value, f.target ?? '', f.ok === undefined ? '' : f.ok ? 'ok' : 'MISSED']);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['figure', 'value', 'target', ''][i]!.length));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(['figure', 'value', 'target', '']));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

const LAG_RESOLUTION_MS = 1;

/**
 * Event-loop lag: how much later than asked a 1 ms timer runs, in ms. Node's monitorEventLoopDelay records the
 * whole interval between its timer's runs, the sampling period included (an idle loop reads ~1.1 ms at
 * p50), so the period is taken off each percentile.
 */
export function eventLoopLag(): { enable(): void; disable(): void; percentile(p: number): number } {
  const histogram = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  return {
    enable: () => histogram.enable(),
    disable: () => histogram.disable(),
    percentile: (p) => Math.max(0, histogram.percentile(p) / 1e6 - LAG_RESOLUTION_MS),
  };
}
