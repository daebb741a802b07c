// A throwaway PostgreSQL server for the tests of the shared store: initdb + pg_ctl on a temp folder
// and a free loopback port, stopped and removed when the test file ends (afterAll) and, should the
// test process die first, at its exit. Tests that need it are registered with describeWithPostgres
// and carry the POSTGRES_TAG tag: without the binaries they are skipped and the summary reporter
// prints one line for the whole run; under CI they fail instead (.ci/run installs PostgreSQL).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fixturesRequired } from './fixtures.js';

/** Declared in vitest.config.ts; every test that needs a PostgreSQL server carries it. */
export const POSTGRES_TAG = 'postgres';
export const POSTGRES_HINT = 'install the postgresql package (initdb, pg_ctl under /usr/lib/postgresql/<version>/bin)';

/** The newest installed PostgreSQL's bin folder, or null. */
export function postgresBin(root = '/usr/lib/postgresql'): string | null {
  let versions: string[];
  try {
    versions = fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  } catch {
    return null;
  }
  for (const v of versions) if (fs.existsSync(path.join(root, v, 'bin', 'initdb'))) return path.join(root, v, 'bin');
  return null;
}

export const POSTGRES_FOUND = postgresBin() !== null;

export interface PgServer {
  port: number;
  /** a connection URL for `database` (default: postgres) */
  url(database?: string): string;
  /** creates an empty database with a fresh name and returns its URL */
  freshDatabase(): Promise<string>;
  /** stops the server the hard way (as a crash would) and starts it again after `downMs` */
  restart(downMs?: number): void;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root: run the server's tools as the postgres user then. */
function asServerUser(cmd: string, args: string[]): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', cmd, ...args] : [cmd, ...args];
}

function run(argv: string[], what: string): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr || r.stdout}`);
}

export async function startPostgres(): Promise<PgServer> {
  const bin = postgresBin();
  if (!bin) throw new Error(`PostgreSQL not found (${POSTGRES_HINT})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (ids.status !== 0) throw new Error('running as root, but there is no postgres user to run the server as');
    fs.chownSync(dir, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
  }
  const port = await freePort();
  const pgCtl = path.join(bin, 'pg_ctl');
  let running = false;
  const start = () => {
    // fsync off: a throwaway server; the fault test kills the server, not the machine.
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    run(asServerUser(pgCtl, ['-D', data, '-o', opts, '-l', path.join(dir, 'server.log'), '-w', 'start']), 'pg_ctl start');
    running = true;
  };
  const stopHard = () => {
    if (!running) return;
    running = false;
    const argv = asServerUser(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
    spawnSync(argv[0]!, argv.slice(1), { timeout: 30_000 });
  };
  let removed = false;
  const cleanup = () => {
    if (removed) return;
    removed = true;
    stopHard();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A test process that crashes still stops its server and removes the folder.
  process.once('exit', cleanup);
  run(asServerUser(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']), 'initdb');
  start();
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let made = 0;
  return {
    port,
    url,
    async freshDatabase() {
      const name = `t${process.pid}_${++made}`;
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    restart(downMs = 500) {
      stopHard();
      spawnSync('sleep', [String(downMs / 1000)]);
      start();
    },
    stop: cleanup,
  };
}

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
