// Vite and Vitest configuration. `npm run build` bundles the browser app (index.html, src/app)
// into target/classes/parley-web, the class path folder the node serves at `/`; unit tests live
// in test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  base: '/',
  // sockjs-client still reads Node's `global`.
  define: { global: 'globalThis' },
  build: {
    target: 'es2022',
    outDir: 'target/classes/parley-web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 400,
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
