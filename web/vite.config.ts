/**
 * Build of the dashboard: `vite build --config web/vite.config.ts` writes dist/web/ with relative
 * asset paths, so the service can serve it at `/` (or under any prefix) from its static handler.
 * Nothing is loaded from a CDN: echarts and React are bundled, fonts are the system's.
 *
 * `vite --config web/vite.config.ts` serves it for development; set XMARGIN_API to a running
 * service (e.g. http://127.0.0.1:8080) to proxy `/api` (HTTP and WebSocket) to it.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.XMARGIN_API;

export default defineConfig({
  root: webRoot,
  base: './',
  // JSX through Vite's own oxc transform (no React plugin): React 19's automatic runtime.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // echarts alone is ~500 kB minified even when tree-shaken to the charts used here; the solvency
    // verifier (snarkjs, Poseidon constants) is a 2.2 MB chunk loaded only when a user verifies.
    chunkSizeWarningLimit: 2400,
  },
  // The solvency page needs only circomlibjs's Poseidon (not its contract generators and their
  // dependencies): resolve the package to that module.
  resolve: {
    alias: {
      circomlibjs: fileURLToPath(
        new URL('../node_modules/circomlibjs/src/poseidon_wasm.js', import.meta.url),
      ),
    },
  },
  server: api === undefined ? {} : { proxy: { '/api': { target: api, ws: true, changeOrigin: true } } },
});
