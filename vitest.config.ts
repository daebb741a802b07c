import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Tests that read third-party captured data from outside the checkout (test/helpers/fixtures.ts).
    tags: [
      { name: 'real-payloads', description: 'reads real captured payloads from $AGENTOPS_META_FIXTURES or ../shared/fixtures' },
      { name: 'postgres', description: 'starts a throwaway PostgreSQL server (test/helpers/postgres.ts)' },
    ],
    reporters: ['default', './test/helpers/plain-summary-reporter.ts'],
  },
});
