// Shipping to the shared store: exactly once, resumable, bounded retries, private projects kept
// local, payloads through the redactor again. The rules on memory stores; then the command and the
// daemon against a real PostgreSQL server (test/helpers/postgres.ts). The fault test with killed
// shippers and a restarted server is test/ship-faults.test.ts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventRecord } from '../src/core/types.js';
import { remoteKey, SHIP_CURSOR_PREFIX, shipEvents } from '../src/org/ship.js';
import { asAsync } from '../src/store/async-port.js';
import { openMemoryStore } from '../src/store/memory.js';
import type { EventStore } from '../src/store/port.js';
import { openPostgresStore } from '../src/store/postgres.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { describeWithPostgres } from './helpers/postgres.js';
import { REPO_ROOT } from './helpers/paths.js';
import { CLI, cli, machineFolder, storedEvent } from './helpers/shipping.js';
import { tempDirs } from './helpers/temp-dirs.js';

const tmp = tempDirs('am-ship-');

function localWith(n: number, over: (i: number) => Partial<EventRecord> = () => ({})): EventStore {
  const store = openMemoryStore();
  store.insert(Array.from({ length: n }, (_, i) => storedEvent(i, over(i))), []);
  return store;
}

const noSleep = async () => undefined;

/** A remote whose first `failures` inserts fail with `message`, then store as `remote` does. */
function failingFirst(remote: ReturnType<typeof asAsync>, failures: number, message: string): ReturnType<typeof asAsync> {
  return { ...remote, insert: async (...args: Parameters<typeof remote.insert>) => (failures-- > 0 ? Promise.reject(new Error(message)) : remote.insert(...args)) };
}

/** A sleep that only notes how long it was asked to wait. */
function notedSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('shipping rules', () => {
  it('ships everything once, then nothing; new events later ship from where it stopped', async () => {
    const local = localWith(25);
    const remote = openMemoryStore();
    const openRemote = async () => asAsync(remote);
    expect(await shipEvents({ local, openRemote, remoteKey: 'k', batchSize: 10 })).toEqual({ shipped: 25, already: 0, failed: 0, excluded: 0, error: null });
    expect(await shipEvents({ local, openRemote, remoteKey: 'k', batchSize: 10 })).toMatchObject({ shipped: 0, already: 0 });
    local.insert([storedEvent(100), storedEvent(101)], []);
    expect(await shipEvents({ local, openRemote, remoteKey: 'k', batchSize: 10 })).toMatchObject({ shipped: 2, already: 0 });
    expect(remote.counts().events).toBe(27);
    // another shared store has its own cursor
    const other = openMemoryStore();
    expect(await shipEvents({ local, openRemote: async () => asAsync(other), remoteKey: 'k2' })).toMatchObject({ shipped: 27 });
  });

  it('a batch committed but not noted (a crash between the two) is sent again and counted as already there', async () => {
    const local = localWith(30);
    const remote = openMemoryStore();
    await shipEvents({ local, openRemote: async () => asAsync(remote), remoteKey: 'k', batchSize: 10 });
    local.setMeta(`${SHIP_CURSOR_PREFIX}k`, JSON.stringify({ seq: local.eventsAfter(0, 10)[9]!.seq, id: 'e0000009' }));
    expect(await shipEvents({ local, openRemote: async () => asAsync(remote), remoteKey: 'k', batchSize: 10 })).toMatchObject({ shipped: 0, already: 20, failed: 0 });
    expect(remote.counts().events).toBe(30);
  });

  it('retries a failing batch with growing waits, then stops without passing it; the next run ships it', async () => {
    const local = localWith(12);
    const remote = asAsync(openMemoryStore());
    const flaky = failingFirst(remote, 4, 'connection reset');
    const { waits, sleep } = notedSleep();
    const first = await shipEvents({ local, openRemote: async () => flaky, remoteKey: 'k', batchSize: 5, maxAttempts: 3, backoffMs: 100, sleep });
    expect(first).toEqual({ shipped: 0, already: 0, failed: 5, excluded: 0, error: 'connection reset' });
    expect(waits).toEqual([100, 200]);
    expect((await remote.counts()).events).toBe(0);
    const second = await shipEvents({ local, openRemote: async () => flaky, remoteKey: 'k', batchSize: 5, maxAttempts: 3, backoffMs: 100, sleep });
    expect(second).toEqual({ shipped: 12, already: 0, failed: 0, excluded: 0, error: null });
    expect(waits).toEqual([100, 200, 100]);
  });

  it('rides out failures for a bounded time with capped waits, then stops; the deadline cuts the last wait', async () => {
    const local = localWith(8);
    const remote = asAsync(openMemoryStore());
    const flaky = failingFirst(remote, 7, 'the database system is starting up');
    const { waits, sleep } = notedSleep();
    // Seven failures (a restart): the default budget rides them out in one run.
    expect(await shipEvents({ local, openRemote: async () => flaky, remoteKey: 'k', sleep })).toEqual({ shipped: 8, already: 0, failed: 0, excluded: 0, error: null });
    expect(waits).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000]);
    // A server that stays down: tries until the budget is spent, the last wait cut to what is left.
    waits.length = 0;
    local.insert([storedEvent(50)], []);
    const down = { ...remote, insert: () => Promise.reject(new Error('ECONNREFUSED')) };
    expect(await shipEvents({ local, openRemote: async () => down, remoteKey: 'k', sleep, retryForMs: 5000 })).toMatchObject({ shipped: 0, failed: 1, error: 'ECONNREFUSED' });
    expect(waits).toEqual([250, 500, 1000, 2000, 1250]);
    // A deadline (the daemon's) bounds it too, whatever the budget.
    waits.length = 0;
    let clock = 0;
    const tick = async (ms: number) => void (waits.push(ms), (clock += ms));
    expect(await shipEvents({ local, openRemote: async () => down, remoteKey: 'k', sleep: tick, now: () => clock, deadline: 3000 })).toMatchObject({ failed: 1 });
    expect(waits).toEqual([250, 500, 1000, 1250]);
  });

  it('a server that cannot be reached fails the run, and a deadline stops it between batches', async () => {
    const local = localWith(20);
    const down = await shipEvents({ local, openRemote: () => Promise.reject(new Error('ECONNREFUSED')), remoteKey: 'k', maxAttempts: 2, sleep: noSleep });
    expect(down).toMatchObject({ shipped: 0, failed: 20, error: 'ECONNREFUSED' });
    let clock = 0;
    const remote = openMemoryStore();
    const bounded = await shipEvents({
      local,
      openRemote: async () => ({ ...asAsync(remote), insert: async (e, q) => ((clock += 10), asAsync(remote).insert(e, q)) }),
      remoteKey: 'k',
      batchSize: 5,
      deadline: 25,
      now: () => clock,
    });
    expect(bounded).toMatchObject({ shipped: 15, failed: 0 });
  });

  it('keeps excluded projects local, and passes payloads through the redactor again', async () => {
    const secret = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const local = localWith(6, (i) => (i < 2 ? { project: '/Users/bob/private-notes', cwd: '/Users/bob/private-notes' } : i === 5 ? { payload: JSON.stringify({ tool_input: { command: `curl -H "Authorization: token ${secret}"` } }) } : {}));
    const remote = openMemoryStore();
    const r = await shipEvents({ local, openRemote: async () => asAsync(remote), remoteKey: 'k', excludeProjects: ['private-notes'] });
    expect(r).toMatchObject({ shipped: 4, excluded: 2 });
    const shipped = remote.events();
    expect(shipped.map((e) => e.project)).not.toContain('/Users/bob/private-notes');
    expect(JSON.stringify(shipped)).not.toContain(secret);
    expect(shipped.find((e) => e.id === 'e0000005')!.payload).toMatch(/REDACTED/i);
  });

  it('starts over when the newest shipped rows were deleted, so rows stored since are not skipped', async () => {
    const dir = tmp();
    const local = openSqliteStore({ file: path.join(dir, 'a.db') });
    local.insert([storedEvent(0), storedEvent(1, { session_id: 'late', ts_ms: 10 })], []);
    const remote = openMemoryStore();
    await shipEvents({ local, openRemote: async () => asAsync(remote), remoteKey: 'k' });
    local.pruneBefore(100); // removes session 'late', the newest row: its rowid is given again
    local.insert([storedEvent(2)], []);
    expect(local.eventsAfter(0, 10).map((s) => s.seq)).toEqual([1, 2]);
    expect(await shipEvents({ local, openRemote: async () => asAsync(remote), remoteKey: 'k' })).toMatchObject({ shipped: 1, already: 1 });
    expect(remote.events().map((e) => e.id).sort()).toEqual(['e0000000', 'e0000001', 'e0000002']);
    local.close();
  });

  it('names a remote without its credentials', () => {
    expect(remoteKey('postgres://ann:s3cret@db.example:5433/agentops')).toBe('postgres://db.example:5433/agentops');
  });
});

describeWithPostgres('ship to PostgreSQL', (server) => {
  it('`ship --to URL --json` prints {shipped, already, failed}; rows carry the machine id and the team', async () => {
    const url = await server().freshDatabase();
    const home = machineFolder(tmp(), 'ann', 300, { store: { team: 'web', exclude_projects: [] } });
    const first = cli(home, ['ship', '--to', url, '--json']);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toEqual({ shipped: 300, already: 0, failed: 0 });
    expect(JSON.parse(cli(home, ['ship', '--to', url, '--json']).stdout)).toEqual({ shipped: 0, already: 0, failed: 0 });
    const machine = fs.readFileSync(path.join(home, 'machine-id'), 'utf8').trim();
    const { default: pg } = await import('pg');
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    const rows = (await raw.query('SELECT machine_id, team, COUNT(*)::int AS n, COUNT(DISTINCT id)::int AS ids FROM events GROUP BY 1, 2')).rows;
    await raw.end();
    expect(rows).toEqual([{ machine_id: machine, team: 'web', n: 300, ids: 300 }]);
  });

  it('fails with exit 1 and counts what failed when the server is unreachable; bad URLs are usage errors', () => {
    const home = machineFolder(tmp(), 'bob', 10);
    const down = cli(home, ['ship', '--to', `postgres://postgres@127.0.0.1:${server().port + 1}/nope`, '--json', '--retry-for', '1']);
    expect(down.status).toBe(1);
    expect(JSON.parse(down.stdout)).toEqual({ shipped: 0, already: 0, failed: 10 });
    const bad = cli(home, ['ship', '--to', 'mysql://x/y']);
    expect(bad.status).toBe(2);
    expect(cli(home, ['ship', '--to', 'postgres://x/y', '--retry-for', 'soon']).status).toBe(2);
    const none = cli(home, ['ship']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/store\.remote/);
  }, 120_000);

  it('the store opened by a shipper is the shared store learning reads', async () => {
    const url = await server().freshDatabase();
    const home = machineFolder(tmp(), 'cy', 80, { store: { team: 'data' } });
    expect(cli(home, ['ship', '--to', url]).status).toBe(0);
    const shared = await openPostgresStore({ url });
    const sessions: string[] = [];
    await shared.forEachEvent((e) => void (sessions.at(-1) !== e.session_id && sessions.push(e.session_id)), { team: 'data' });
    await shared.close();
    expect(sessions).toEqual(['cy-s0', 'cy-s1']);
  });
});

describeWithPostgres('the daemon ships after ingest', (server) => {
  const CAPTURE = path.join(REPO_ROOT, 'hooks', 'agentops-capture.sh');
  const daemons: ChildProcess[] = [];
  afterEach(() => {
    for (const d of daemons.splice(0)) if (d.exitCode === null) d.kill('SIGKILL');
  });

  function daemonFor(remote: string): { home: string; capture: (n: number, from: number) => void; stored: () => number; log: () => string } {
    const home = tmp();
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ daemon: { debounce_ms: 100 }, nightly: { commit: false }, store: { remote, team: 'web' } }));
    const env = { ...process.env, AGENTOPS_META_HOME: home };
    daemons.push(spawn(process.execPath, [CLI, 'daemon', 'run', '--data-folder', home], { env, stdio: 'ignore' }));
    return {
      home,
      capture: (n, from) => {
        for (let i = from; i < from + n; i++) {
          const payload = JSON.stringify({ session_id: 'd1', hook_event_name: 'PostToolUse', cwd: '/tmp', tool_name: 'Read', tool_use_id: `t${i}`, tool_input: {}, tool_response: {} });
          expect(spawnSync(CAPTURE, ['PostToolUse'], { input: payload, env }).status).toBe(0);
        }
      },
      stored: () => {
        const file = path.join(home, 'agentops.db');
        if (!fs.existsSync(file)) return 0;
        // The daemon may be creating the database right now: a file without its tables yet is "nothing stored yet".
        let store: ReturnType<typeof openSqliteStore>;
        try {
          store = openSqliteStore({ file, readonly: true });
        } catch {
          return 0;
        }
        try {
          return store.counts().events;
        } finally {
          store.close();
        }
      },
      log: () => (fs.existsSync(path.join(home, 'logs', 'daemon.log')) ? fs.readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8') : ''),
    };
  }

  it('new events reach the shared store with the machine id and team; a second batch follows', async () => {
    const url = await server().freshDatabase();
    const shared = await openPostgresStore({ url });
    const d = daemonFor(url);
    d.capture(5, 0);
    await waitFor(async () => (await shared.counts()).events === 5, 30_000, 'the first 5 events in the shared store');
    d.capture(3, 5);
    await waitFor(async () => (await shared.counts()).events === 8, 30_000, 'all 8 events in the shared store');
    expect(d.log()).toMatch(/shipped \d+ events to postgres:\/\/127\.0\.0\.1:\d+\/t\d+_\d+/);
    await shared.close();
  }, 90_000);

  it('with the shared store unreachable, ingest and learning go on and the failure is logged', async () => {
    const d = daemonFor(`postgres://postgres@127.0.0.1:${server().port + 1}/nope`);
    d.capture(4, 0);
    await waitFor(async () => d.stored() === 4, 30_000, 'the events in the local store');
    await waitFor(async () => /learned and refreshed/.test(d.log()), 30_000, 'a local learning run');
    await waitFor(async () => /4 failed/.test(d.log()), 30_000, 'the shipping failure in the log');
  }, 90_000);
});
