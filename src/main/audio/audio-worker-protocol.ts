/** Messages between AudioWorkerPool (main thread) and audio-worker.ts. Types only, so neither side bundles the other. */
import type { AudioStreamSpec } from './audio-stream.js';

export type AudioWorkerCommand =
  | { op: 'open'; streamId: string; spec: AudioStreamSpec }
  /** `pcm` is a transferred ArrayBuffer holding exactly the chunk's bytes. */
  | { op: 'process'; streamId: string; pcm: ArrayBuffer }
  | { op: 'flush'; streamId: string }
  | { op: 'reset'; streamId: string }
  | { op: 'close'; streamId: string };

/** A command tagged with the id its reply will carry. */
export type AudioWorkerRequest = AudioWorkerCommand & { requestId: number };

export type AudioWorkerReply =
  /** `pcm` is present for process and flush (transferred, exactly the output bytes). */
  | { requestId: number; ok: true; pcm?: ArrayBuffer }
  | { requestId: number; ok: false; error: string };
