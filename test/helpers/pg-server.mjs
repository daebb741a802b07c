// A throwaway PostgreSQL server on a temp folder and a free loopback port: initdb + pg_ctl, as the
// postgres user when run as root (initdb refuses root). The tests (test/helpers/postgres.ts) and the
// shipping benchmark (bench/ship.mjs) both start theirs here. Stopped and removed by stop(), and at
// the exit of the process that started it, should it end first.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const POSTGRES_HINT = 'install the postgresql package (initdb, pg_ctl under /usr/lib/postgresql/<version>/bin)';

/** The newest installed PostgreSQL's bin folder, or null. */
export function postgresBin(root = '/usr/lib/postgresql') {
  let versions;
  try {
    versions = fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  } catch {
    return null;
  }
  for (const v of versions) if (fs.existsSync(path.join(root, v, 'bin', 'initdb'))) return path.join(root, v, 'bin');
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = () => process.getuid?.() === 0;

/** initdb refuses to run as root: run the server's tools as the postgres user then. */
function asServerUser(cmd, args) {
  return isRoot() ? ['runuser', '-u', 'postgres', '--', cmd, ...args] : [cmd, ...args];
}

function run(argv, what, check = true) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 60_000 });
  if (check && r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr || r.stdout}`);
}

/** Starts a server; `settings` are extra `-c name=value` server settings. */
export async function startPostgres(settings = []) {
  const bin = postgresBin();
  if (!bin) throw new Error(`PostgreSQL not found (${POSTGRES_HINT})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-pg-'));
  const data = path.join(dir, 'data');
  if (isRoot()) {
    const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    const [uid, gid] = [id('-u'), id('-g')];
    if (uid.status !== 0) throw new Error('running as root, but there is no postgres user to run the server as');
    fs.chownSync(dir, Number(uid.stdout.trim()), Number(gid.stdout.trim()));
  }
  const port = await freePort();
  const pgCtl = path.join(bin, 'pg_ctl');
  let running = false;
  const start = () => {
    // fsync off: a throwaway server; the faults tested kill the server, not the machine.
    const opts = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c max_connections=200', ...settings.map((s) => `-c ${s}`)].join(' ');
    run(asServerUser(pgCtl, ['-D', data, '-o', opts, '-l', path.join(dir, 'server.log'), '-w', 'start']), 'pg_ctl start');
    running = true;
  };
  const stopHard = () => {
    if (!running) return;
    running = false;
    run(asServerUser(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']), 'pg_ctl stop', false);
  };
  let removed = false;
  const stop = () => {
    if (removed) return;
    removed = true;
    stopHard();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
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
    stop,
  };
}
