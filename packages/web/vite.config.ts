/**
 * Vite build of the console. Cesium's runtime files (web workers, imagery and widget assets, the
 * Natural Earth II tiles that make the globe work offline) are copied unchanged to dist/cesium,
 * which `CESIUM_BASE_URL` points at; the application code and Cesium's ES modules are bundled.
 */
import { cpSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const CESIUM_BUILD = resolve(here, '../../node_modules/cesium/Build/Cesium');

function copyCesiumRuntime(): Plugin {
  return {
    name: 'hoshimi-copy-cesium-runtime',
    apply: 'build',
    writeBundle(options) {
      const out = resolve(options.dir ?? resolve(here, 'dist'), 'cesium');
      for (const dir of ['Workers', 'Assets', 'Widgets', 'ThirdParty']) {
        cpSync(resolve(CESIUM_BUILD, dir), resolve(out, dir), { recursive: true });
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
  plugins: [copyCesiumRuntime()],
});
