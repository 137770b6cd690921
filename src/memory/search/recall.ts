import type { MemoryDb, StoredTurn, TimeRange, TurnRole } from '../store/memory-db.js';
import { speakerIntent } from './query-intent.js';
import { covers, matchExpression, queryTerms, termSet } from './text-terms.js';
import { parseTimeFilter } from './time-expressions.js';

export type RecallKind = 'turn' | 'summary' | 'fact';

export interface RecallItem {
  id: string;
  /** For kind `turn`, the stored turn text verbatim. */
  text: string;
  role: TurnRole;
  speaker: string;
  timestamp: string;
  score: number;
  kind: RecallKind;
}

export interface RecallOptions {
  k: number;
  /** Explicit time bounds (override a time expression in the query). */
  range?: TimeRange;
  /** "Now" for relative time words (tests and evaluations replay conversations from the past). */
  now?: number;
  /** Nearest turns by embedding (best first), when an embedding endpoint is configured. */
  denseSeqs?: readonly number[];
  /** Which signals to use; `bm25Only` is the baseline the evaluation compares against. */
  bm25Only?: boolean;
  /**
   * Return this many items (at least `k`) in the same fused order, e.g. candidates for a rerank stage; `k` still
   * decides everything else, so the first `k` items are exactly what a call without `take` returns.
   */
  take?: number;
}

/** How many full-text candidates are re-ranked; more costs latency, fewer loses multi-hop evidence. */
const CANDIDATES = 64;
/** Sessions whose nearby turns are pulled in as candidates (evidence that shares few words with the question)... */
const EXPANDED_SESSIONS = 5;
/** ...around their best few hits... */
const EXPANSION_ANCHORS = 3;
/** ...this many turns on each side. */
const EXPANSION_REACH = 6;
/** Turns on each side that count as one passage (a statement, the reply, and the follow-up). */
const NEIGHBOURS = 2;
/** Terms in more than this share of turns (and at least COMMON_MIN_DOCS) are left out of the full-text match. */
const COMMON_SHARE = 0.02;
const COMMON_MIN_DOCS = 500;
/** Reciprocal rank fusion constant (the usual 60). */
const RRF_K = 60;

/** Weights of each ranked list in the fusion: how much each signal is trusted. */
const WEIGHT = { bm25: 1, window: 0.9, session: 0.6, speaker: 0.6, recency: 0.15, dense: 1, summary: 0.7, fact: 0.8, inRange: 0.8 } as const;

interface Candidate {
  turn: StoredTurn;
  bm25Rank: number;
  /** Weighted share of query terms found in the turn. */
  coverage: number;
  /** Same, over the turn and its neighbours in the session (answers that span a question and its reply). */
  windowCoverage: number;
  score: number;
}

function rrf(rank: number, weight: number): number {
  return weight / (RRF_K + rank + 1);
}

function turnItem(turn: StoredTurn, score: number): RecallItem {
  return { id: turn.id, text: turn.text, role: turn.role, speaker: turn.speaker, timestamp: new Date(turn.ts).toISOString(), score, kind: 'turn' };
}

/**
 * Recall over one character's memory without any model: BM25 candidates from the full-text index, re-ranked by
 * reciprocal rank fusion of several views of the same evidence — the turn's own BM25 rank; how much of the
 * question the turn and its neighbours cover together; how well its whole session matches (turn hits and the
 * session summary); the speaker the question asks about; time words as filters; recency as a light tie-break;
 * and dense nearest neighbours when available. Summaries and facts compete in the same list.
 */
export function recall(db: MemoryDb, query: string, opts: RecallOptions): RecallItem[] {
  const now = new Date(opts.now ?? Date.now());
  const take = Math.max(opts.k, opts.take ?? 0);
  // The baseline reads the question as plain words: no time filter, no speaker.
  const time = opts.bm25Only ? { rest: query, range: undefined } : parseTimeFilter(query, now);
  const range = opts.range ?? time.range;
  const speaker = opts.bm25Only ? undefined : speakerIntent(query);
  const terms = queryTerms(time.rest);
  if (terms.length === 0) {
    // A question that is only a time ("what happened yesterday?"): the newest turns of that time.
    if (!range) return [];
    return db.turnsInRange(range, take).map((t, i) => turnItem(t, 1 / (i + 1)));
  }
  // Real document frequencies from the index: IDF weights, and the very common terms left out of the match
  // (they carry almost no evidence, and scoring them means scoring most of the history).
  const turnCount = Math.max(1, db.turnCountBound());
  const docs = terms.map((t) => db.documentFrequency(t));
  const commonLimit = Math.max(COMMON_MIN_DOCS, turnCount * COMMON_SHARE);
  // Single CJK characters are weak evidence (they only rescue reworded questions): a lower bar for them.
  const limitFor = (term: string) => ([...term].length === 1 && term.charCodeAt(0) > 0x2e80 ? commonLimit / 4 : commonLimit);
  const present = terms.filter((_, i) => docs[i]! > 0);
  const selective = terms.filter((t, i) => docs[i]! > 0 && docs[i]! <= limitFor(t));
  // Summaries and facts have their own indexes: a term no turn contains may still match them.
  const match = matchExpression(selective.length > 0 ? selective : present.length > 0 ? present : terms);
  const search = (r?: TimeRange) =>
    present.length === 0 ? [] : selective.length > 0 ? db.searchTurns(match, CANDIDATES, r) : db.newestMatches(match, CANDIDATES, r);
  let hits = search(range);
  const inRange = new Set(range ? hits.map((h) => h.seq) : []);
  if (range && !opts.range && hits.length < opts.k) {
    // Time words narrow, never empty: fall back to all time, in-range hits first. (Explicit from/to are strict.)
    const seen = new Set(hits.map((h) => h.seq));
    hits = [...hits, ...search().filter((h) => !seen.has(h.seq))];
  }
  // Every turn this query reads, read once: hits, then the neighbourhoods around them.
  const known = db.turnsBySeq(hits.map((h) => h.seq));
  if (opts.bm25Only) {
    return hits
      .slice(0, take)
      .map((h) => known.get(h.seq))
      .filter((t): t is StoredTurn => t !== undefined)
      .map((t, i) => turnItem(t, 1 / (i + 1)));
  }

  const candidates: Candidate[] = [];
  const termSets = new Map<number, Set<string>>();
  const setOf = (t: StoredTurn) => {
    let s = termSets.get(t.seq);
    if (!s) termSets.set(t.seq, (s = termSet(`${t.speaker} ${t.text}`)));
    return s;
  };
  for (const [rank, hit] of hits.entries()) {
    const turn = known.get(hit.seq);
    if (turn) candidates.push({ turn, bm25Rank: rank, coverage: 0, windowCoverage: 0, score: 0 });
  }
  // Rarer terms count more (BM25's IDF); a term no turn contains cannot be covered and does not count.
  const weights = terms.map((_, i) => (docs[i]! === 0 ? 0 : Math.log(1 + (turnCount - docs[i]! + 0.5) / (docs[i]! + 0.5))));
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const coverageOf = (sets: Set<string>[]) => terms.reduce((sum, q, i) => (sets.some((s) => covers(s, q)) ? sum + weights[i]! : sum), 0) / total;

  type SessionScore = { sets: Set<string>[]; best: number; coverage: number; summaryRank?: number };
  const sessions = new Map<string, SessionScore>();
  const addToSession = (c: Candidate) => {
    const s = sessions.get(c.turn.sessionId) ?? { sets: [], best: c.bm25Rank, coverage: 0 };
    s.sets.push(setOf(c.turn));
    s.best = Math.min(s.best, c.bm25Rank);
    sessions.set(c.turn.sessionId, s);
  };
  candidates.forEach(addToSession);
  for (const s of sessions.values()) s.coverage = coverageOf(s.sets);
  // Around the best sessions' hits, nearby turns that share any word with the question become candidates too:
  // a follow-up such as "He promised to bring his guitar" is evidence even when BM25 ranks it below the cut.
  // (Nearby, not the whole session: a session can be as long as the user keeps talking.)
  const seen = new Set(candidates.map((c) => c.turn.seq));
  const topSessions = [...sessions.entries()].sort(([, a], [, b]) => b.coverage - a.coverage || a.best - b.best).slice(0, EXPANDED_SESSIONS);
  for (const [sessionId] of topSessions) {
    const anchors = candidates.filter((c) => c.turn.sessionId === sessionId).slice(0, EXPANSION_ANCHORS);
    const around = db.neighboursOf(anchors.map((a) => a.turn), EXPANSION_REACH, known);
    for (const anchor of anchors) {
      const { before, after } = around.get(anchor.turn.seq)!;
      for (const turn of [...before, ...after]) {
        if (seen.has(turn.seq) || !terms.some((q) => covers(setOf(turn), q))) continue;
        const c: Candidate = { turn, bm25Rank: hits.length + candidates.length, coverage: 0, windowCoverage: 0, score: 0 };
        candidates.push(c);
        seen.add(turn.seq);
        addToSession(c);
      }
    }
  }
  const passages = db.neighboursOf(candidates.map((c) => c.turn), NEIGHBOURS, known);
  for (const c of candidates) {
    c.coverage = coverageOf([setOf(c.turn)]);
    const { before, after } = passages.get(c.turn.seq)!;
    c.windowCoverage = coverageOf([setOf(c.turn), ...before.map(setOf), ...after.map(setOf)]);
  }
  for (const s of sessions.values()) s.coverage = coverageOf(s.sets);

  // Session summaries vote for their session, and are results themselves.
  const summaryHits = db.searchSummaries(match, 10, range);
  const summaries = summaryHits.map((h) => db.summaryBySeq(h.seq)).filter((s) => s !== undefined);
  for (const [rank, summary] of summaries.entries()) {
    const s = summary.sessionId ? sessions.get(summary.sessionId) : undefined;
    if (s && s.summaryRank === undefined) s.summaryRank = rank;
  }
  const sessionOrder = [...sessions.entries()]
    .sort(([, a], [, b]) => b.coverage - a.coverage || (a.summaryRank ?? 99) - (b.summaryRank ?? 99) || a.best - b.best)
    .map(([id]) => id);
  const sessionRank = new Map(sessionOrder.map((id, i) => [id, i]));

  const byWindow = [...candidates].sort((a, b) => b.windowCoverage - a.windowCoverage || b.coverage - a.coverage || a.bm25Rank - b.bm25Rank);
  const bySession = [...candidates].sort((a, b) => sessionRank.get(a.turn.sessionId)! - sessionRank.get(b.turn.sessionId)! || a.bm25Rank - b.bm25Rank);
  const byRecency = [...candidates].sort((a, b) => b.turn.ts - a.turn.ts);
  const denseRank = new Map((opts.denseSeqs ?? []).map((seq, i) => [seq, i]));

  for (const c of candidates) c.score += rrf(c.bm25Rank, WEIGHT.bm25);
  byWindow.forEach((c, i) => (c.score += rrf(i, WEIGHT.window)));
  bySession.forEach((c, i) => (c.score += rrf(i, WEIGHT.session)));
  byRecency.forEach((c, i) => (c.score += rrf(i, WEIGHT.recency)));
  if (speaker) candidates.filter((c) => c.turn.role === speaker).forEach((c, i) => (c.score += rrf(i, WEIGHT.speaker)));
  if (range) candidates.filter((c) => inRange.has(c.turn.seq)).forEach((c, i) => (c.score += rrf(i, WEIGHT.inRange)));

  const items: RecallItem[] = candidates.map((c) => {
    const dense = denseRank.get(c.turn.seq);
    return turnItem(c.turn, c.score + (dense === undefined ? 0 : rrf(dense, WEIGHT.dense)));
  });
  // Dense neighbours that full-text search missed (paraphrases) join with their dense score alone.
  for (const [seq, rank] of denseRank) {
    if (seen.has(seq)) continue;
    const turn = db.turnBySeq(seq);
    if (turn && (!range || (turn.ts >= (range.from ?? -Infinity) && turn.ts <= (range.to ?? Infinity)))) items.push(turnItem(turn, rrf(rank, WEIGHT.dense)));
  }
  for (const [rank, summary] of summaries.entries()) {
    items.push({ id: summary.id, text: summary.text, role: 'system', speaker: 'SYSTEM_SUMMARY', timestamp: new Date(summary.ts).toISOString(), score: rrf(rank, WEIGHT.summary), kind: 'summary' });
  }
  for (const [rank, hit] of db.searchFacts(match, 5).entries()) {
    const fact = db.factBySeq(hit.seq);
    if (!fact) continue;
    items.push({ id: fact.id, text: `${fact.subject}: ${fact.key} = ${fact.value}`, role: 'system', speaker: fact.subject, timestamp: new Date(fact.ts).toISOString(), score: rrf(rank, WEIGHT.fact), kind: 'fact' });
  }
  return items.sort((a, b) => b.score - a.score).slice(0, take);
}
