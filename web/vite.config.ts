import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The page is served by main: `/` and `/{character}` get index.html, the bundle lives under /assets/.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // The chat page (main serves it), and the monitor's viewer and subtitle overlay (the monitor serves them).
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        viewer: fileURLToPath(new URL('./viewer.html', import.meta.url)),
        subtitle: fileURLToPath(new URL('./subtitle.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:48911',
      '/ws': { target: 'ws://127.0.0.1:48911', ws: true },
    },
  },
});
