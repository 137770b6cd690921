// The evaluation's memory: a real MemoryService whose embedding endpoint (NEKO_EMBEDDING_URL, as a user would
// configure it) is the local word-vector server of embedding-server.ts, so dense recall runs the production path:
// the background embedder posts batches over HTTP, vectors land in sqlite-vec, each query is embedded over HTTP and
// its nearest turns are fused into recall.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { MemoryService } from '../src/memory/memory-service.js';
import type { NewTurn } from '../src/memory/store/memory-db.js';
import type { IngestTurn } from '../src/shared/protocol/memory.js';
import { dataPaths } from '../src/shared/config/paths.js';
import { ConfigStore } from '../src/shared/config/store.js';
import { EMBEDDING_MODEL, loadWordVectors, startEmbeddingServer } from './embedding-server.js';

/** Turns per ingest call, as a client importing history would send them (the protocol's limit is higher). */
const INGEST_BATCH = 1000;

export interface EvalMemory {
  service: MemoryService;
  character: string;
  model: string;
  embedSeconds: number;
}

/** Stores `turns` in a fresh memory with the local embedding endpoint, waits until all are embedded, runs `body`. */
export async function withEvalMemory<T>(turns: readonly NewTurn[], body: (memory: EvalMemory) => Promise<T>): Promise<T> {
  // Loaded before the service starts, so the first embedding request does not wait seconds for the file.
  loadWordVectors();
  const embedder = await startEmbeddingServer();
  const dir = mkdtempSync(join(tmpdir(), 'neko-eval-'));
  const log = pino({ level: 'silent' });
  const env = { NEKO_EMBEDDING_URL: embedder.baseUrl, NEKO_EMBEDDING_MODEL: EMBEDDING_MODEL };
  const config = new ConfigStore(log, { paths: dataPaths(dir), env, language: 'en' });
  const service = new MemoryService({ config, log, env });
  const character = 'eval';
  try {
    const started = performance.now();
    for (let i = 0; i < turns.length; i += INGEST_BATCH) {
      const batch: IngestTurn[] = turns.slice(i, i + INGEST_BATCH).map((t) => ({
        id: t.id,
        role: t.role,
        speaker: t.speaker,
        text: t.text,
        timestamp: new Date(t.ts).toISOString(),
        ...(t.sessionId ? { session_id: t.sessionId } : {}),
      }));
      service.ingest(character, batch);
    }
    await service.dense.idle(character);
    const embedSeconds = (performance.now() - started) / 1000;
    const embedded = service.dbs.get(character).vectors(EMBEDDING_MODEL).length;
    if (embedded !== turns.length) throw new Error(`only ${embedded} of ${turns.length} turns were embedded (is the embedding server answering?)`);
    return await body({ service, character, model: EMBEDDING_MODEL, embedSeconds });
  } finally {
    service.close();
    await embedder.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
