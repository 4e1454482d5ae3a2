import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Built-in methods import the public API by package name, as third-party plugins do;
    // this condition points that name at the TypeScript source while testing.
    conditions: ['nasbench-source'],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
