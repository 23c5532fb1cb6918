import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run against the sources, so no build is needed between an edit and a test run.
    alias: {
      '@trieste/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
      '@trieste/adapters': fileURLToPath(new URL('./packages/adapters/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/web/e2e/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['packages/core/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/*.test-util.ts'],
    },
  },
});
