import { defineConfig } from 'vitest/config';

// QEMU boots dominate the suite; two workers match the two-core machines we run on.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI tests run the build in dist/: rebuilt first whenever a source is newer.
    globalSetup: ['test/support/dist.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Host runs of subset programs recurse as deeply as the machine code (10 000 calls).
    poolOptions: { forks: { maxForks: 2, minForks: 1, execArgv: ['--stack-size=3900'] } },
  },
});
