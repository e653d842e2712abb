import { defineConfig } from 'vitest/config';

// QEMU boots dominate the suite; two workers match the two-core machines we run on.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
