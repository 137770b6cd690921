/**
 * Loader for the Speex resampler's WASM build (npm `speex-resampler`, speexdsp's resample.c compiled with
 * emscripten; the .wasm is inlined as base64, so it bundles with esbuild and needs no file next to the
 * bundle). We drive the exported C functions directly instead of the package's JS wrapper: the wrapper
 * drops input when its output buffer runs short (non-integer ratios), cannot free a converter, and its
 * import starts an emscripten runtime that installs process-wide error handlers (see loadSpeex).
 */
import speexPackage from 'speex-resampler/app/speex_wasm.js';

/** The part of the emscripten module we use. Heap views are re-read after every call: the heap may grow. */
export interface SpeexModule {
  HEAP16: Int16Array;
  HEAP32: Int32Array;
  HEAPU32: Uint32Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _speex_resampler_init(channels: number, inRate: number, outRate: number, quality: number, errorPointer: number): number;
  _speex_resampler_destroy(state: number): void;
  _speex_resampler_process_interleaved_int(state: number, input: number, inLengthPointer: number, output: number, outLengthPointer: number): number;
  _speex_resampler_strerror(code: number): number;
  AsciiToString(pointer: number): string;
}

type SpeexFactory = (overrides: object) => Promise<SpeexModule>;

/** The package is CommonJS with `exports.default`; depending on the loader the factory is one level deeper. */
const factory = ((speexPackage as unknown as { default?: SpeexFactory }).default ?? speexPackage) as SpeexFactory;

/** Process events the emscripten runtime hooks in Node (rethrow / abort): the host process owns those. */
const HIJACKED_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

let loading: Promise<SpeexModule> | undefined;

/**
 * One WASM instance per thread, shared by every converter in it (each converter is a few KB of its heap).
 * The emscripten runtime adds `uncaughtException` (rethrow) and `unhandledRejection` (abort) listeners to
 * `process` when it starts; they would turn any stray rejection in the worker into a WASM abort, so they are
 * removed again as soon as the runtime has added them.
 */
export function loadSpeex(): Promise<SpeexModule> {
  loading ??= (() => {
    const events: NodeJS.EventEmitter = process;
    const before = new Map(HIJACKED_EVENTS.map((event) => [event, new Set(events.listeners(event))]));
    const ready = factory({});
    for (const event of HIJACKED_EVENTS) {
      for (const listener of events.listeners(event)) {
        if (!before.get(event)!.has(listener)) events.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return ready;
  })();
  return loading;
}
