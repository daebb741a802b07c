// A throwaway PostgreSQL server for the tests of the shared store (pg-server.mjs: initdb + pg_ctl on
// a temp folder and a free loopback port), stopped and removed when the test file ends (afterAll)
// and, should the test process die first, at its exit. Tests that need it are registered with describeWithPostgres
// and carry the POSTGRES_TAG tag: without the binaries they are skipped and the summary reporter
// prints one line for the whole run; under CI they fail instead (.ci/run installs PostgreSQL).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fixturesRequired } from './fixtures.js';
import { POSTGRES_HINT, postgresBin, startPostgres, type PgServer } from './pg-server.mjs';

export { POSTGRES_HINT, startPostgres, type PgServer };

/** Declared in vitest.config.ts; every test that needs a PostgreSQL server carries it. */
export const POSTGRES_TAG = 'postgres';

export const POSTGRES_FOUND = postgresBin() !== null;

function failMissing(): never {
  throw new Error(`PostgreSQL not found (${POSTGRES_HINT}); CI=${process.env.CI} requires it`);
}

/**
 * A describe block whose tests use one throwaway server for the whole block, passed through `server()`.
 * Nothing in `fn`'s body may use the server: only its tests and hooks.
 */
export function describeWithPostgres(name: string, fn: (server: () => PgServer) => void): void {
  const options = { tags: [POSTGRES_TAG] };
  if (!POSTGRES_FOUND) {
    if (fixturesRequired()) describe(name, options, () => it('has the PostgreSQL server it needs', failMissing));
    else describe.skip(name, options, () => fn(() => failMissing()));
    return;
  }
  describe(name, options, () => {
    let server: PgServer | null = null;
    beforeAll(async () => {
      server = await startPostgres();
    }, 120_000);
    afterAll(() => server?.stop());
    fn(() => server ?? failMissing());
  });
}
