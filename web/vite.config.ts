import { defineConfig } from 'vite';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Every top-level .html is a page: index (chat), settings, memory_browser (main serves them); viewer, subtitle (the monitor). */
const pages = Object.fromEntries(
  readdirSync(root)
    .filter((f) => f.endsWith('.html'))
    .map((f) => [f === 'index.html' ? 'main' : f.slice(0, -'.html'.length), root + f]),
);

// The page is served by main: `/` and `/{character}` get index.html, the bundle lives under /assets/.
export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    rollupOptions: {
      input: pages,
      // The Opus decoder's optional ML speech enhancement (several MB of weights) is never enabled here.
      external: ['@wasm-audio-decoders/opus-ml'],
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:48911',
      '/ws': { target: 'ws://127.0.0.1:48911', ws: true },
    },
  },
});
