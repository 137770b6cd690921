// Retrieval evaluation: evidence recall@5 and @10 of plain BM25 over turns vs neko's recall without any model and
// with an embedding endpoint, on the synthetic history of memory-eval-data.ts. The history goes through the memory
// service itself (/ingest's code, then the background embedder over HTTP into sqlite-vec), and each question is
// asked three ways. `node --import tsx bench/memory-eval.ts` prints the per-kind table too.
import { recall, type RecallItem } from '../src/memory/search/recall.js';
import { buildEvalDataset, type EvalQuestion } from './memory-eval-data.js';
import { withEvalMemory } from './memory-eval-dense.js';
import type { Figure } from './stats.js';

export const SYSTEMS = ['bm25', 'neko', 'dense'] as const;
export type System = (typeof SYSTEMS)[number];
const LABEL: Record<System, string> = { bm25: 'BM25', neko: 'neko (no model)', dense: 'neko + embeddings' };

interface Scores {
  at5: number;
  at10: number;
  /** Characters returned per question (text budget), mean. */
  chars: number;
}

export interface EvalGroup {
  group: string;
  n: number;
  scores: Record<System, Scores>;
}

export interface EvalReport {
  questions: number;
  turns: number;
  /** Embedding model's name, as the endpoint reports it. */
  model: string;
  /** Seconds to embed the whole history (the background embedder, batches of its size). */
  embedSeconds: number;
  /** Seconds for the whole evaluation, vectors loading included. */
  totalSeconds: number;
  /** `all`, `en`, `zh`, then `kind/language`. */
  groups: EvalGroup[];
}

function evidenceRecall(question: EvalQuestion, ids: string[]): number {
  return question.evidence.filter((e) => ids.includes(e)).length / question.evidence.length;
}

function score(q: EvalQuestion, items: RecallItem[]): Scores {
  return {
    at5: evidenceRecall(q, items.slice(0, 5).map((i) => i.id)),
    at10: evidenceRecall(q, items.map((i) => i.id)),
    chars: items.reduce((n, i) => n + i.text.length, 0),
  };
}

export async function evaluateRecall(): Promise<EvalReport> {
  const started = performance.now();
  const { turns, questions } = buildEvalDataset();
  return withEvalMemory(turns, async ({ service, character, model, embedSeconds }) => {
    const results: Array<{ q: EvalQuestion; scores: Record<System, Scores> }> = [];
    for (const q of questions) {
      const opts = { k: 10, now: q.now };
      const bm25 = await service.recall(character, q.query, { ...opts, bm25Only: true });
      // What the service answers when no embedding endpoint is configured (no nearest neighbours).
      const neko = recall(service.dbs.get(character), q.query, opts);
      const dense = await service.recall(character, q.query, opts);
      results.push({ q, scores: { bm25: score(q, bm25), neko: score(q, neko), dense: score(q, dense) } });
    }
    const group = (name: string, rows: typeof results): EvalGroup => {
      const mean = (system: System): Scores => ({
        at5: rows.reduce((s, r) => s + r.scores[system].at5, 0) / rows.length,
        at10: rows.reduce((s, r) => s + r.scores[system].at10, 0) / rows.length,
        chars: rows.reduce((s, r) => s + r.scores[system].chars, 0) / rows.length,
      });
      return { group: name, n: rows.length, scores: { bm25: mean('bm25'), neko: mean('neko'), dense: mean('dense') } };
    };
    const kinds = [...new Set(results.map((r) => `${r.q.kind}/${r.q.language}`))].sort();
    const groups = [
      group('all', results),
      group('en', results.filter((r) => r.q.language === 'en')),
      group('zh', results.filter((r) => r.q.language === 'zh')),
      ...kinds.map((k) => group(k, results.filter((r) => `${r.q.kind}/${r.q.language}` === k))),
    ];
    return { questions: questions.length, turns: turns.length, model, embedSeconds, totalSeconds: (performance.now() - started) / 1000, groups };
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export async function memoryEvalBench(): Promise<Figure[]> {
  const report = await evaluateRecall();
  const [all, en, zh] = report.groups as [EvalGroup, EvalGroup, EvalGroup];
  const gain = (all.scores.neko.at10 - all.scores.bm25.at10) * 100;
  const three = (g: EvalGroup, pick: (s: Scores) => number, fmt: (x: number) => string) => SYSTEMS.map((s) => fmt(pick(g.scores[s]))).join(' → ');
  const at = (g: EvalGroup) => `@5 ${three(g, (s) => s.at5, pct)}; @10 ${three(g, (s) => s.at10, pct)}`;
  return [
    { name: `recall eval: questions / turns`, value: `${report.questions} / ${report.turns}` },
    { name: 'recall@5 BM25 → neko (no model)', value: `${pct(all.scores.bm25.at5)} → ${pct(all.scores.neko.at5)}` },
    { name: 'recall@10 BM25 → neko (no model)', value: `${pct(all.scores.bm25.at10)} → ${pct(all.scores.neko.at10)}`, target: '+15 points', ok: gain >= 15 },
    { name: 'recall BM25 → neko → neko+embeddings, all', value: at(all) },
    { name: 'recall BM25 → neko → neko+embeddings, English', value: at(en) },
    { name: 'recall BM25 → neko → neko+embeddings, Chinese', value: at(zh) },
    { name: 'text returned per query (chars, @10), 3 systems', value: three(all, (s) => s.chars, (x) => x.toFixed(0)) },
    { name: `embedding model (local): ${report.model}`, value: `${report.turns} turns in ${report.embedSeconds.toFixed(1)} s; eval ${report.totalSeconds.toFixed(0)} s` },
  ];
}

function printReport(report: EvalReport): void {
  console.log(`${report.questions} questions over ${report.turns} turns; embeddings: ${report.model}`);
  console.log(`history embedded in ${report.embedSeconds.toFixed(1)} s; whole evaluation ${report.totalSeconds.toFixed(1)} s`);
  const head = SYSTEMS.map((s) => `${LABEL[s].padStart(18)} @5/@10/chars`).join(' |');
  console.log(`${'group'.padEnd(16)} ${'n'.padStart(3)} |${head}`);
  for (const g of report.groups) {
    const cells = SYSTEMS.map((s) => `${pct(g.scores[s].at5).padStart(12)} ${pct(g.scores[s].at10).padStart(6)} ${g.scores[s].chars.toFixed(0).padStart(11)}`).join(' |');
    console.log(`${g.group.padEnd(16)} ${String(g.n).padStart(3)} |${cells}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printReport(await evaluateRecall());
}
