// The shared store at scale: SHIP_MACHINES simulated machines (default 20), each with its own data
// folder and SQLite store, ship SHIP_EVENTS events in total (default 1M) to one local PostgreSQL
// server at once (`agentops-meta ship`, one process per machine; SHIP_RUNS times, default 3, the
// median counts); then the same again with a quarter of the shippers killed (SIGKILL) mid-ship and
// the server stopped hard and restarted, and every machine shipping again: the count and the
// distinct ids must both be the total. Then org learning of everything from PostgreSQL against a
// bare read of the same rows, with peak RSS.
// Targets: ship >= 20,000 events/s in total; learning <= 3x the bare read; peak RSS <= 500 MB.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG, learnFromSharedStore, normalize, openPostgresStore, openSqliteStore, simulate } from '../dist/lib.js';
import { postgresBin, POSTGRES_HINT, startPostgres } from '../test/helpers/pg-server.mjs';
import { fmt, report } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'bin', 'agentops-meta.js');
const TOTAL = Number(process.env.SHIP_EVENTS ?? 1_000_000);
const MACHINES = Number(process.env.SHIP_MACHINES ?? 20);
const RUNS = Math.max(1, Number(process.env.SHIP_RUNS ?? 3));

/** Child: simulated sessions, normalized, each session stored on one machine (round robin). */
function fill(dir, total, machines) {
  const { payloads } = simulate({ seed: 5, sessions: Math.ceil(total / 40), start_ms: Date.UTC(2026, 0, 1), days: 60 });
  const stores = Array.from({ length: machines }, (_, i) => {
    const home = path.join(dir, `m${i}`);
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ store: { team: `team${i % 4}` } }));
    return { store: openSqliteStore({ file: path.join(home, 'agentops.db') }), batch: [] };
  });
  const machineOf = new Map();
  const ctx = { projectOf: () => null, maxFieldChars: 4000 };
  let stored = 0;
  for (let i = 0; i < payloads.length && stored < total; i++) {
    const r = normalize({ id: `b${String(i).padStart(9, '0')}`, ts_ms: payloads[i].ts_ms, source: 'hook', value: payloads[i].payload }, ctx);
    if (!r.ok) continue;
    if (!machineOf.has(r.record.session_id)) machineOf.set(r.record.session_id, machineOf.size % machines);
    const m = stores[machineOf.get(r.record.session_id)];
    m.batch.push(r.record);
    stored++;
    if (m.batch.length === 5000) m.store.insert(m.batch.splice(0), []);
  }
  for (const m of stores) {
    m.store.insert(m.batch, []);
    m.store.close();
  }
  return { events: stored, sessions: machineOf.size };
}

function shipper(home, url) {
  const child = spawn(process.execPath, [CLI, 'ship', '--to', url, '--json'], { env: { ...process.env, AGENTOPS_META_HOME: home }, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const done = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, report: code === null || !out ? null : JSON.parse(out) })));
  return { child, done };
}

async function counts(url) {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query('SELECT COUNT(*)::int AS n, COUNT(DISTINCT id)::int AS ids FROM events')).rows[0];
  } finally {
    await c.end();
  }
}

/**
 * Child: the learning run first, in a fresh process (its peak RSS is the learner's, as a user's
 * `learn --store` has it: nothing read before it), then a bare read of the same rows, twice (the
 * faster counts: a server cache the learning warmed does not flatter the ratio).
 */
async function learnChild(url) {
  const store = await openPostgresStore({ url, maxConnections: 2 });
  const bare = async () => {
    const t = performance.now();
    let n = 0;
    await store.forEachEvent(() => void n++, { lean: true });
    return { ms: performance.now() - t, n };
  };
  const t = performance.now();
  const run = await learnFromSharedStore(store, DEFAULT_CONFIG, {}, Date.UTC(2026, 3, 1));
  const learnMs = performance.now() - t;
  // The kernel's high-water mark of this process so far: the true peak (a sampling timer would
  // see nothing while the learner runs, which is synchronous).
  const peakKb = process.resourceUsage().maxRSS;
  const first = await bare();
  const second = await bare();
  await store.close();
  const r = run.result;
  return { bareMs: Math.min(first.ms, second.ms), rows: first.n, learnMs, peakMb: peakKb / 1024, sessions: run.traces.length, patterns: `${r.sequential.length} seq / ${r.parallel.length} par / ${r.anti.length} anti` };
}

export async function benchShip() {
  if (!postgresBin()) {
    report('shipping to the shared store (PostgreSQL)', [['NOT RUN', `PostgreSQL not found (${POSTGRES_HINT})`]]);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-bench-ship-'));
  // fsync on (the helper turns it off for tests): commits cost what they cost on a real server.
  const server = await startPostgres(['fsync=on']);
  try {
    const filled = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'fill', dir, String(TOTAL), String(MACHINES)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (filled.status !== 0) throw new Error(`fill failed: ${filled.stderr}`);
    const { events, sessions } = JSON.parse(filled.stdout);
    const homes = Array.from({ length: MACHINES }, (_, i) => path.join(dir, `m${i}`));
    const rows = [['machines, events, sessions', `${MACHINES}, ${events}, ${sessions}`]];

    // 1. Clean: every machine ships at once, into a fresh database (so from a fresh cursor) each
    // run; the median of SHIP_RUNS runs counts (a single run here varies by a quarter either way).
    let clean = '';
    const runs = [];
    for (let k = 0; k < RUNS; k++) {
      clean = await server.freshDatabase();
      await (await openPostgresStore({ url: clean })).close(); // the schema, before 20 shippers race for it
      const t = performance.now();
      const results = await Promise.all(homes.map((h) => shipper(h, clean).done));
      const shipS = (performance.now() - t) / 1000;
      const shipped = results.reduce((s, r) => s + (r.report?.shipped ?? 0), 0);
      const c = await counts(clean);
      runs.push({ rate: shipped / shipS, shipS, c, failed: results.reduce((s, r) => s + (r.report?.failed ?? 0), 0) });
    }
    const median = [...runs].sort((a, b) => a.rate - b.rate)[Math.floor(RUNS / 2)];
    rows.push([
      `ship, all machines at once (wall, incl. node start; median of ${RUNS})`,
      `${fmt(median.rate, 0)} events/s total (target >= 20,000); runs ${runs.map((r) => `${fmt(r.rate, 0)} (${fmt(r.shipS, 1)} s)`).join(', ')}; each stored ${runs.map((r) => r.c.n).join('/')}, distinct ${runs.map((r) => r.c.ids).join('/')}, failed ${runs.map((r) => r.failed).join('/')}`,
    ]);

    // 2. Faults: a quarter killed mid-ship, the server restarted, then every machine again.
    const faulty = await server.freshDatabase();
    await (await openPostgresStore({ url: faulty })).close();
    const first = homes.map((h) => shipper(h, faulty));
    while ((await counts(faulty)).n < events * 0.3) await new Promise((r) => setTimeout(r, 100));
    const killed = first.filter((_, i) => i % 4 === 0);
    for (const s of killed) s.child.kill('SIGKILL');
    const atKill = (await counts(faulty)).n;
    server.restart(1000);
    await Promise.all(first.map((s) => s.done));
    const beforeRerun = await counts(faulty);
    const t = performance.now();
    const again = await Promise.all(homes.map((h) => shipper(h, faulty).done));
    const rerunS = (performance.now() - t) / 1000;
    const c2 = await counts(faulty);
    const exact = c2.n === events && c2.ids === events && again.every((r) => r.code === 0);
    rows.push([
      `faults: ${killed.length} shippers killed, server restarted`,
      `${atKill} stored at the kill, ${beforeRerun.n} before the rerun (${fmt(rerunS, 1)} s); after it ${c2.n} rows, ${c2.ids} distinct of ${events}: ${exact ? 'every event exactly once' : 'NOT EXACTLY ONCE'}`,
    ]);

    // 3. Org learning from PostgreSQL, in a process of its own (its RSS is the learner's).
    const learned = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'learn', clean], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (learned.status !== 0) throw new Error(`learn failed: ${learned.stderr}`);
    const l = JSON.parse(learned.stdout);
    rows.push([
      `org learning of ${l.rows} rows (${l.sessions} sessions) from PostgreSQL`,
      `bare read ${fmt(l.bareMs, 0)} ms; learn ${fmt(l.learnMs, 0)} ms = ${fmt(l.learnMs / l.bareMs, 2)}x (target <= 3x); peak RSS ${fmt(l.peakMb, 0)} MB (target <= 500); ${l.patterns}`,
    ]);
    report(`shipping to one PostgreSQL ${path.basename(path.dirname(postgresBin()))} server, and org learning from it (SHIP_EVENTS=${TOTAL}, SHIP_MACHINES=${MACHINES})`, rows);
    if (!exact) process.exitCode = 1;
  } finally {
    server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'fill') process.stdout.write(JSON.stringify(fill(process.argv[3], Number(process.argv[4]), Number(process.argv[5]))));
if (process.argv[2] === 'learn') process.stdout.write(JSON.stringify(await learnChild(process.argv[3])));
