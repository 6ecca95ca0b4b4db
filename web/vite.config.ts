// Builds the web UI into dist/web, which the server serves at / (src/server/app.ts).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The CSP forbids inline scripts; Vite emits only external module scripts, and no module-preload polyfill is needed.
    modulePreload: { polyfill: false },
    rollupOptions: {
      // zod (loaded on demand by "Reset to defaults" on the settings page) ships two comments Rollup drops
      // with a harmless warning; keep the build output quiet about them and loud about everything else.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
