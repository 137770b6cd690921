// Retrieval evaluation: evidence recall@5 and @10 of plain BM25 over turns vs neko's recall, on the synthetic
// history of memory-eval-data.ts. `node --import tsx bench/memory-eval.ts` prints the per-kind table too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recall } from '../src/memory/search/recall.js';
import { MemoryDb } from '../src/memory/store/memory-db.js';
import { buildEvalDataset, type EvalQuestion } from './memory-eval-data.js';
import type { Figure } from './stats.js';

interface Scores {
  at5: number;
  at10: number;
  /** Characters returned per question (text budget), mean. */
  chars: number;
}

function evidenceRecall(question: EvalQuestion, ids: string[]): number {
  return question.evidence.filter((e) => ids.includes(e)).length / question.evidence.length;
}

export function evaluateRecall(): { overall: Record<'bm25' | 'neko', Scores>; byKind: Array<{ group: string; bm25: Scores; neko: Scores; n: number }>; questions: number; turns: number } {
  const { turns, questions } = buildEvalDataset();
  const dir = mkdtempSync(join(tmpdir(), 'neko-eval-'));
  try {
    const db = new MemoryDb(join(dir, 'eval.sqlite'));
    db.insertTurns(turns, 'ingest');
    const run = (bm25Only: boolean, q: EvalQuestion) => recall(db, q.query, { k: 10, now: q.now, bm25Only });
    const results = questions.map((q) => {
      const base = run(true, q);
      const ours = run(false, q);
      const score = (items: ReturnType<typeof run>): Scores => ({
        at5: evidenceRecall(q, items.slice(0, 5).map((i) => i.id)),
        at10: evidenceRecall(q, items.map((i) => i.id)),
        chars: items.reduce((n, i) => n + i.text.length, 0),
      });
      return { q, bm25: score(base), neko: score(ours) };
    });
    const mean = (rows: typeof results, pick: (r: (typeof results)[number]) => Scores): Scores => ({
      at5: rows.reduce((s, r) => s + pick(r).at5, 0) / rows.length,
      at10: rows.reduce((s, r) => s + pick(r).at10, 0) / rows.length,
      chars: rows.reduce((s, r) => s + pick(r).chars, 0) / rows.length,
    });
    const groups = [...new Set(results.map((r) => `${r.q.kind}/${r.q.language}`))];
    const byKind = groups.map((group) => {
      const rows = results.filter((r) => `${r.q.kind}/${r.q.language}` === group);
      return { group, n: rows.length, bm25: mean(rows, (r) => r.bm25), neko: mean(rows, (r) => r.neko) };
    });
    db.close();
    return { overall: { bm25: mean(results, (r) => r.bm25), neko: mean(results, (r) => r.neko) }, byKind, questions: questions.length, turns: turns.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export async function memoryEvalBench(): Promise<Figure[]> {
  const { overall, questions, turns } = evaluateRecall();
  const gain = (overall.neko.at10 - overall.bm25.at10) * 100;
  return [
    { name: `recall eval: questions / turns`, value: `${questions} / ${turns}` },
    { name: 'recall@5 BM25 → neko (no model)', value: `${pct(overall.bm25.at5)} → ${pct(overall.neko.at5)}` },
    { name: 'recall@10 BM25 → neko (no model)', value: `${pct(overall.bm25.at10)} → ${pct(overall.neko.at10)}`, target: '+15 points', ok: gain >= 15 },
    { name: 'text returned per query (chars, @10)', value: `${overall.bm25.chars.toFixed(0)} → ${overall.neko.chars.toFixed(0)}` },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { overall, byKind, questions, turns } = evaluateRecall();
  console.log(`${questions} questions over ${turns} turns`);
  console.log('group            n   BM25@5  BM25@10  neko@5  neko@10');
  for (const g of byKind) {
    console.log(`${g.group.padEnd(15)} ${String(g.n).padStart(3)}  ${pct(g.bm25.at5).padStart(6)}  ${pct(g.bm25.at10).padStart(7)}  ${pct(g.neko.at5).padStart(6)}  ${pct(g.neko.at10).padStart(7)}`);
  }
  console.log(`${'all'.padEnd(15)} ${String(questions).padStart(3)}  ${pct(overall.bm25.at5).padStart(6)}  ${pct(overall.bm25.at10).padStart(7)}  ${pct(overall.neko.at5).padStart(6)}  ${pct(overall.neko.at10).padStart(7)}`);
  console.log(`chars per query @10: BM25 ${overall.bm25.chars.toFixed(0)}, neko ${overall.neko.chars.toFixed(0)}`);
}
