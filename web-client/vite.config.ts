// Vite and Vitest configuration. Until the app arrives, `npm run build` bundles the protocol
// library for browsers (dist/signal) to prove it has no Node dependency; tests live in test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist/signal',
    lib: { entry: 'src/signal/index.ts', formats: ['es'], fileName: 'parley-signal' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
