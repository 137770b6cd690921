import type Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import type { Logger } from '../../shared/log.js';
import type { ModelEndpoint } from '../llm/model-endpoints.js';
import { embeddings } from '../llm/openai-compatible.js';
import type { MemoryDbs } from '../store/memory-dbs.js';

/** Turns embedded per request: small enough for local servers, large enough to amortise the round trip. */
const EMBED_BATCH = 64;
/** A query embedding slower than this is skipped (recall runs on full text alone): /new_dialog has 2 s in all. */
const QUERY_EMBED_TIMEOUT_MS = 800;
/**
 * A query vector shorter than this has no direction (a model that knows none of its words answers zeros, e.g. an
 * English-only model asked in Chinese): its "nearest" turns would be noise, so recall runs on full text alone.
 */
const MIN_QUERY_NORM = 1e-6;

/** Euclidean length of a vector. */
export function vectorNorm(vector: Float32Array): number {
  let sum = 0;
  for (const x of vector) sum += x * x;
  return Math.sqrt(sum);
}

export interface DenseIndexDeps {
  dbs: MemoryDbs;
  log: Logger;
  endpoint(): ModelEndpoint | undefined;
}

/**
 * Dense vectors of turns, used only when an OpenAI-compatible /embeddings endpoint is configured. Turns are
 * embedded in the background after they are stored (storing never waits for a model); nearest neighbours are
 * found with sqlite-vec's cosine distance inside SQLite.
 */
export class DenseIndex {
  private readonly running = new Map<string, Promise<void>>();
  /** Per open database: sqlite-vec loaded and the nearest-neighbour statement prepared once. */
  private readonly statements = new WeakMap<Database.Database, Database.Statement<[Buffer, string, number], { seq: number }>>();
  private readonly stopped = new Set<string>();
  private closed = false;

  constructor(private readonly deps: DenseIndexDeps) {}

  /** Starts embedding the character's turns that have no vector yet (no-op without an endpoint). */
  schedule(character: string): void {
    const endpoint = this.deps.endpoint();
    if (!endpoint || this.closed || this.running.has(character)) return;
    this.stopped.delete(character);
    const run = this.backfill(character, endpoint)
      .catch((err: Error) => this.deps.log.warn({ character, err: err.message }, 'embedding turns failed; retried when more turns arrive'))
      .finally(() => this.running.delete(character));
    this.running.set(character, run);
  }

  private async backfill(character: string, endpoint: ModelEndpoint): Promise<void> {
    for (;;) {
      if (this.closed || this.stopped.has(character)) return;
      const turns = this.deps.dbs.get(character).turnsWithoutVector(endpoint.model, EMBED_BATCH);
      if (turns.length === 0) return;
      const vectors = await embeddings(endpoint, turns.map((t) => `${t.speaker}: ${t.text}`));
      if (this.closed || this.stopped.has(character)) return;
      this.deps.dbs.get(character).saveVectors(endpoint.model, turns.map((t, i) => ({ seq: t.seq, vector: vectors[i]! })));
    }
  }

  /** Resolves when the character's turns are all embedded (tests, evaluation). */
  async idle(character: string): Promise<void> {
    while (this.running.has(character)) await this.running.get(character);
  }

  /** Turn seqs nearest to the query, best first; undefined without an endpoint or when the endpoint fails. */
  async nearest(character: string, query: string, count: number): Promise<number[] | undefined> {
    const endpoint = this.deps.endpoint();
    if (!endpoint || !this.deps.dbs.exists(character)) return undefined;
    let vector: Float32Array;
    try {
      [vector] = (await embeddings(endpoint, [query], AbortSignal.timeout(QUERY_EMBED_TIMEOUT_MS))) as [Float32Array];
    } catch (err) {
      this.deps.log.warn({ character, err: (err as Error).message }, 'query embedding failed; recall without vectors');
      return undefined;
    }
    if (!(vectorNorm(vector) >= MIN_QUERY_NORM)) return undefined;
    const rows = this.nearestStatement(this.deps.dbs.get(character).db).all(Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength), endpoint.model, count);
    return rows.map((r) => r.seq);
  }

  private nearestStatement(db: Database.Database) {
    let statement = this.statements.get(db);
    if (!statement) {
      sqliteVec.load(db);
      // A zero turn vector (a turn with no word the model knows) has no cosine distance: SQLite would sort its NULL
      // first, ahead of every real neighbour, so those turns are left out.
      statement = db.prepare<[Buffer, string, number], { seq: number }>(
        'SELECT seq FROM (SELECT seq, vec_distance_cosine(vector, ?) AS distance FROM turn_vectors WHERE model = ?) WHERE distance IS NOT NULL ORDER BY distance LIMIT ?',
      );
      this.statements.set(db, statement);
    }
    return statement;
  }

  /** The character's files are moving: stop embedding into its old database. */
  forget(character: string): void {
    this.stopped.add(character);
  }

  close(): void {
    this.closed = true;
  }
}
