/**
 * Main-thread handle on the audio workers: a small promise API over named streams. Each stream is pinned
 * to one worker for its lifetime (its filter state lives there); new streams go to the least-loaded worker,
 * so one character's heavy stream does not queue behind another's. Replies to one stream arrive in the
 * order its requests were sent, because a worker answers its requests in arrival order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AudioStreamSpec } from './audio-stream.js';
import type { AudioWorkerCommand, AudioWorkerReply, AudioWorkerRequest } from './audio-worker-protocol.js';
import { workerEntry } from '../../shared/worker-entry.js';

/** Two workers by default: enough to keep characters apart, few enough on the 2-core machines we target. */
const DEFAULT_WORKER_COUNT = Math.max(1, Math.min(2, availableParallelism()));

interface PendingRequest {
  resolve: (reply: AudioWorkerReply & { ok: true }) => void;
  reject: (error: Error) => void;
}

interface PooledWorker {
  worker: Worker;
  pending: Map<number, PendingRequest>;
  streamCount: number;
  /** Why the worker is gone, once it is. */
  failure?: Error;
}

export type { AudioStreamSpec } from './audio-stream.js';

export class AudioWorkerPool {
  private readonly workers: PooledWorker[] = [];
  private readonly streamWorkers = new Map<string, PooledWorker>();
  private nextRequestId = 1;
  private terminated = false;

  constructor(private readonly workerCount: number = DEFAULT_WORKER_COUNT) {
    if (!Number.isInteger(workerCount) || workerCount < 1) throw new RangeError(`worker count must be a positive integer, got ${workerCount}`);
  }

  /** Opens a stream (e.g. `{kind: 'input', fromRate: 48000, toRate: 16000}`) under a caller-chosen id. */
  async open(streamId: string, spec: AudioStreamSpec): Promise<void> {
    this.assertRunning();
    if (this.streamWorkers.has(streamId)) throw new Error(`audio stream "${streamId}" is already open`);
    const pooled = this.pickWorker();
    this.streamWorkers.set(streamId, pooled);
    pooled.streamCount++;
    try {
      await this.request(pooled, { op: 'open', streamId, spec });
    } catch (error) {
      this.forget(streamId);
      throw error;
    }
  }

  /** PCM16 at the stream's fromRate → PCM16 at its toRate (may be a few samples short until flush). */
  async process(streamId: string, pcm: Uint8Array): Promise<Buffer> {
    // A copy with an exactly-sized ArrayBuffer we can transfer; the caller's buffer may share Node's pool.
    const owned = new Uint8Array(pcm).buffer;
    const reply = await this.request(this.workerOf(streamId), { op: 'process', streamId, pcm: owned }, [owned]);
    return Buffer.from(reply.pcm ?? new ArrayBuffer(0));
  }

  /** The stream's remaining tail (end of a turn); the stream continues afresh. */
  async flush(streamId: string): Promise<Buffer> {
    const reply = await this.request(this.workerOf(streamId), { op: 'flush', streamId });
    return Buffer.from(reply.pcm ?? new ArrayBuffer(0));
  }

  /** Drops the stream's filter and gain state (turn boundary, barge-in). */
  async reset(streamId: string): Promise<void> {
    await this.request(this.workerOf(streamId), { op: 'reset', streamId });
  }

  async close(streamId: string): Promise<void> {
    const pooled = this.workerOf(streamId);
    this.forget(streamId);
    if (!pooled.failure) await this.request(pooled, { op: 'close', streamId });
  }

  /** Stops every worker; pending requests reject and the pool cannot be used again. */
  async terminate(): Promise<void> {
    if (this.terminated) return;
    this.terminated = true;
    const workers = this.workers.splice(0);
    this.streamWorkers.clear();
    await Promise.all(
      workers.map(async (pooled) => {
        this.fail(pooled, new Error('audio worker pool was terminated'));
        await pooled.worker.terminate();
      }),
    );
  }

  /** Open streams per live worker (for status pages and tests). */
  get load(): number[] {
    return this.workers.map((pooled) => pooled.streamCount);
  }

  private assertRunning(): void {
    if (this.terminated) throw new Error('audio worker pool was terminated');
  }

  private workerOf(streamId: string): PooledWorker {
    this.assertRunning();
    const pooled = this.streamWorkers.get(streamId);
    if (!pooled) throw new Error(`no open audio stream "${streamId}"`);
    return pooled;
  }

  private forget(streamId: string): void {
    const pooled = this.streamWorkers.get(streamId);
    if (!pooled) return;
    this.streamWorkers.delete(streamId);
    pooled.streamCount--;
  }

  /** A new worker while there are fewer than workerCount and all are busy, else the least-loaded one. */
  private pickWorker(): PooledWorker {
    const idle = this.workers.find((pooled) => pooled.streamCount === 0);
    if (idle) return idle;
    if (this.workers.length < this.workerCount) return this.spawn();
    return this.workers.reduce((least, pooled) => (pooled.streamCount < least.streamCount ? pooled : least));
  }

  private spawn(): PooledWorker {
    const { entry, eval: isSource } = workerEntry(import.meta.url, 'audio-worker');
    const worker = new Worker(entry, { eval: isSource, name: 'neko-audio' });
    // Only pending requests keep the process alive; an idle pool must not block shutdown.
    worker.unref();
    const pooled: PooledWorker = { worker, pending: new Map(), streamCount: 0 };
    worker.on('message', (reply: AudioWorkerReply) => this.settle(pooled, reply));
    worker.on('error', (error) => this.retire(pooled, new Error(`audio worker crashed: ${error.message}`)));
    worker.on('exit', (code) => this.retire(pooled, new Error(`audio worker exited with code ${code}`)));
    this.workers.push(pooled);
    return pooled;
  }

  private request(pooled: PooledWorker, command: AudioWorkerCommand, transfer: ArrayBuffer[] = []): Promise<AudioWorkerReply & { ok: true }> {
    if (pooled.failure) return Promise.reject(new Error(`audio stream "${command.streamId}" was lost: ${pooled.failure.message}`));
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      if (pooled.pending.size === 0) pooled.worker.ref();
      pooled.pending.set(requestId, { resolve, reject });
      const request: AudioWorkerRequest = { ...command, requestId };
      pooled.worker.postMessage(request, transfer);
    });
  }

  private settle(pooled: PooledWorker, reply: AudioWorkerReply): void {
    const pending = pooled.pending.get(reply.requestId);
    if (!pending) return;
    pooled.pending.delete(reply.requestId);
    if (pooled.pending.size === 0) pooled.worker.unref();
    if (reply.ok) pending.resolve(reply);
    else pending.reject(new Error(reply.error));
  }

  /** A worker died: its streams are lost (callers may open them again elsewhere). */
  private retire(pooled: PooledWorker, failure: Error): void {
    if (pooled.failure) return;
    this.fail(pooled, failure);
    const index = this.workers.indexOf(pooled);
    if (index >= 0) this.workers.splice(index, 1);
  }

  private fail(pooled: PooledWorker, failure: Error): void {
    pooled.failure ??= failure;
    for (const pending of pooled.pending.values()) pending.reject(failure);
    pooled.pending.clear();
  }
}
