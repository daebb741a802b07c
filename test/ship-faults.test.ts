// The fault test of shipping: several machines ship to one PostgreSQL server at once; some shippers
// are killed with SIGKILL mid-ship and the server is stopped the hard way and started again under
// them; then every machine ships again. Every event must be in the shared store exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, it } from 'vitest';
import { openPostgresStore } from '../src/store/postgres.js';
import { describeWithPostgres } from './helpers/postgres.js';
import { tempDirs } from './helpers/temp-dirs.js';
import { CLI, cli, machineFolder } from './helpers/shipping.js';

const tmp = tempDirs('am-ship-faults-');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Shipper {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>;
}

function startShipper(home: string, url: string): Shipper {
  const child = spawn(process.execPath, [CLI, 'ship', '--to', url, '--json'], { env: { ...process.env, AGENTOPS_META_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => process.stderr.write(d));
  return { child, done: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout }))) };
}

describeWithPostgres('shipping under faults', (server) => {
  it('killed shippers and a restarted server still leave every event in the shared store exactly once', async () => {
    const url = await server().freshDatabase();
    const root = tmp();
    const machines = 5;
    const perMachine = 20_000;
    const homes = Array.from({ length: machines }, (_, i) => machineFolder(root, `m${i}`, perMachine, { store: { team: i % 2 ? 'web' : 'data' } }));
    await (await openPostgresStore({ url })).close(); // the schema, so the progress queries below can run
    const first = homes.map((h) => startShipper(h, url));

    const { default: pg } = await import('pg');
    /** One query on a connection of its own (the server restarts in between). */
    const query = async <T>(sql: string, args: unknown[] = []): Promise<T> => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(sql, args)).rows[0] as T;
      } finally {
        await c.end();
      }
    };
    const count = () => query<{ n: number; ids: number }>('SELECT COUNT(*)::int AS n, COUNT(DISTINCT id)::int AS ids FROM events');
    const machineRows = async (i: number) => (await query<{ n: number }>('SELECT COUNT(*)::int AS n FROM events WHERE id LIKE $1', [`m${i}-%`])).n;
    // Mid-ship: the two to be killed have each committed some batches.
    for (let t = 0; t < 600 && ((await machineRows(0)) === 0 || (await machineRows(1)) === 0); t++) await sleep(50);
    for (const s of first.slice(0, 2)) s.child.kill('SIGKILL');
    server().restart(1000);
    const ended = await Promise.all(first.map((s) => s.done));
    // The two were killed while they ran (not after a clean exit), with part of their events shipped.
    expect(ended.slice(0, 2).map((e) => e.signal)).toEqual(['SIGKILL', 'SIGKILL']);
    for (const i of [0, 1]) {
      const n = await machineRows(i);
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(perMachine);
    }
    const before = await count();
    console.log(`shipping under faults: ${before.n} of ${machines * perMachine} events stored before the second runs; the first runs of the others ended ${JSON.stringify(ended.slice(2).map((e) => e.code === 0 ? JSON.parse(e.stdout) : { code: e.code, ...(e.stdout ? JSON.parse(e.stdout) : {}) }))}`);
    expect(before.n).toBe(before.ids);
    expect(before.n).toBeLessThan(machines * perMachine); // the faults did interrupt shipping

    const again = await Promise.all(homes.map((h) => startShipper(h, url).done));
    expect(again.map((r) => r.code)).toEqual(homes.map(() => 0));
    const reports = again.map((r) => JSON.parse(r.stdout) as { shipped: number; already: number; failed: number });
    expect(reports.every((r) => r.failed === 0)).toBe(true);
    // Exactly once: what was there, plus what the second runs added, is every event, each once.
    expect(before.n + reports.reduce((s, r) => s + r.shipped, 0)).toBe(machines * perMachine);
    expect(await count()).toEqual({ n: machines * perMachine, ids: machines * perMachine });
    expect(await query("SELECT COUNT(*) FILTER (WHERE team = 'data')::int AS data, COUNT(*) FILTER (WHERE team = 'web')::int AS web FROM events")).toEqual({ data: 3 * perMachine, web: 2 * perMachine });
    // A third run has nothing left to send.
    expect(JSON.parse(cli(homes[0]!, ['ship', '--to', url, '--json']).stdout)).toEqual({ shipped: 0, already: 0, failed: 0 });
  }, 240_000);

  it('a server down for seconds mid-ship is ridden out: one run ships everything, exactly once', async () => {
    const url = await server().freshDatabase();
    const total = 40_000;
    const home = machineFolder(tmp(), 'r0', total, { store: { team: 'web' } });
    await (await openPostgresStore({ url })).close();
    const { default: pg } = await import('pg');
    const count = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query('SELECT COUNT(*)::int AS n, COUNT(DISTINCT id)::int AS ids FROM events')).rows[0] as { n: number; ids: number };
      } finally {
        await c.end();
      }
    };
    const shipper = startShipper(home, url);
    let atStop = 0;
    for (let t = 0; t < 600 && atStop === 0; t++) {
      await sleep(50);
      atStop = (await count()).n;
    }
    server().restart(4000);
    const ended = await shipper.done;
    expect(atStop).toBeGreaterThan(0);
    expect(atStop).toBeLessThan(total); // it was mid-ship when the server went away
    expect(ended.code).toBe(0);
    expect(JSON.parse(ended.stdout)).toMatchObject({ failed: 0 });
    expect(await count()).toEqual({ n: total, ids: total });
  }, 120_000);
});
