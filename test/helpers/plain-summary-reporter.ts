// Prints one plain closing line, "N passed, N failed, N skipped", that any CI log reader understands;
// before it, one line when tests were skipped because the real-payload fixtures are absent, and one
// when they were skipped because PostgreSQL is not installed.
import type { Reporter, TestModule } from 'vitest/node';
import { FIXTURES_HINT, FIXTURES_TAG, fixturesFound } from './fixtures.js';
import { POSTGRES_FOUND, POSTGRES_HINT, POSTGRES_TAG } from './postgres.js';

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    let skippedForFixtures = 0;
    let skippedForPostgres = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else {
          skipped++;
          if (t.tags.includes(FIXTURES_TAG)) skippedForFixtures++;
          if (t.tags.includes(POSTGRES_TAG)) skippedForPostgres++;
        }
      }
    }
    // Tagged tests are also skipped by a name filter; only blame the fixtures when they are absent.
    if (skippedForFixtures > 0 && !fixturesFound()) {
      process.stdout.write(`\n${skippedForFixtures} tests skipped: real-payload fixtures not found (${FIXTURES_HINT})`);
    }
    if (skippedForPostgres > 0 && !POSTGRES_FOUND) {
      process.stdout.write(`\n${skippedForPostgres} tests skipped: PostgreSQL not found (${POSTGRES_HINT})`);
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
