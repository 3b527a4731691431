import { defineConfig } from 'vitest/config';

// Each test file opens its own copy of a migrated, seeded database. An embedded (PGlite) instance
// holds about 1 GB, so two files run at a time on these 2-core machines.
export default defineConfig({
  test: {
    include: ['apps/*/test/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'seeds/src/**/*.test.ts'],
    globalSetup: ['apps/api/test/support/global-setup.ts', 'apps/web/test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
