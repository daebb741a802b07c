import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backfill } from '../src/backfill/backfill.js';
import { ingestSpool } from '../src/ingest/ingest.js';
import { prepareSpoolBytes } from '../src/ingest/spool-batch.js';
import { runSpoolJob, type SpoolJob, type SpoolJobResult } from '../src/ingest/spool-jobs.js';
import { bundledWorkerFile, WorkerPool } from '../src/ingest/worker-pool.js';
import { simulate } from '../src/sim/simulate.js';
import { dataPaths } from '../src/shell/paths.js';
import { openMemoryStore } from '../src/store/memory.js';
import { describeWithFixtures, fixture } from './helpers/fixtures.js';
import { REPO_ROOT } from './helpers/paths.js';
import { tempDirs } from './helpers/temp-dirs.js';

const WORKERS = path.join(REPO_ROOT, 'test', 'fixtures', 'workers');
const tempHome = tempDirs('am-pool-');

interface Doubled {
  value: number;
  by: 'worker' | 'here';
}

function doublingPool(workerFile: string | null, options: { workers?: number; perWorker?: number; help?: boolean; stallMs?: number; queueBeforeReady?: number } = {}) {
  const results: Doubled[] = [];
  const pool = new WorkerPool<number, Doubled>({
    workerFile,
    workers: options.workers ?? 1,
    perWorker: options.perWorker,
    help: options.help,
    stallMs: options.stallMs,
    queueBeforeReady: options.queueBeforeReady,
    runLocal: (n) => ({ value: n * 2, by: 'here' }),
    onResult: (r) => results.push(r),
  });
  return { pool, results };
}

const values = (rs: Doubled[]) => rs.map((r) => r.value).sort((a, b) => a - b);
const expected = (n: number) => Array.from({ length: n }, (_, i) => i * 2);

describe('worker pool', () => {
  it('runs jobs in a worker and hands every result back in this thread', () => {
    const { pool, results } = doublingPool(path.join(WORKERS, 'double.mjs'), { help: false });
    for (let i = 0; i < 50; i++) pool.submit(i);
    pool.finish();
    expect(values(results)).toEqual(expected(50));
    // Until the worker has started, this thread does the jobs that do not fit in its queue.
    expect(results.filter((r) => r.by === 'worker')).toHaveLength(pool.stats.remote);
    expect(pool.stats.remote).toBeGreaterThanOrEqual(2);
    expect(pool.stats).toMatchObject({ workers: 1, local: 50 - pool.stats.remote, failed_workers: 0 });
  });

  it('once the worker has started, waits for room in its queue rather than doing jobs here (help: false)', () => {
    const { pool, results } = doublingPool(path.join(WORKERS, 'double.mjs'), { help: false, perWorker: 1 });
    let n = 0;
    pool.submit(n++);
    // Until the worker answers, jobs that do not fit run here; its first answer says it has started.
    while (!results.some((r) => r.by === 'worker')) pool.submit(n++);
    const localBefore = pool.stats.local;
    for (let i = 0; i < 40; i++) pool.submit(n++);
    pool.finish();
    expect(values(results)).toEqual(expected(n));
    expect(pool.stats.local).toBe(localBefore);
  });

  it('lets this thread help when every worker has enough to do', () => {
    const { pool, results } = doublingPool(path.join(WORKERS, 'double.mjs'), { perWorker: 1, help: true });
    for (let i = 0; i < 200; i++) pool.submit(i);
    pool.finish();
    expect(values(results)).toEqual(expected(200));
    expect(pool.stats.local).toBeGreaterThan(0);
    expect(pool.stats.local + pool.stats.remote).toBe(200);
  });

  it('runs everything here without a worker module', () => {
    const { pool, results } = doublingPool(path.join(WORKERS, 'no-such-worker.mjs'));
    for (let i = 0; i < 5; i++) pool.submit(i);
    pool.finish();
    expect(values(results)).toEqual(expected(5));
    expect(pool.stats).toMatchObject({ workers: 0, local: 5 });
  });

  it('gives up on a worker that falls silent and runs its jobs here', () => {
    const { pool, results } = doublingPool(path.join(WORKERS, 'silent.mjs'), { help: false, stallMs: 300, perWorker: 2 });
    for (let i = 0; i < 6; i++) pool.submit(i);
    // It never said it started, so this thread did what did not fit in its queue, without waiting.
    expect(pool.stats).toMatchObject({ remote: 2, local: 4, failed_workers: 0 });
    pool.finish();
    expect(values(results)).toEqual(expected(6));
    expect(results.every((r) => r.by === 'here')).toBe(true);
    expect(pool.stats.failed_workers).toBe(1);
  });

  it('sends a worker that has not started only queueBeforeReady jobs, and runs the rest here meanwhile', () => {
    const { pool, results } = doublingPool(path.join(WORKERS, 'silent.mjs'), { help: false, stallMs: 300, perWorker: 4, queueBeforeReady: 1 });
    for (let i = 0; i < 6; i++) pool.submit(i);
    expect(pool.stats).toMatchObject({ remote: 1, local: 5 });
    expect(values(results)).toEqual([2, 4, 6, 8, 10]);
    pool.finish();
    expect(values(results)).toEqual(expected(6));
  });

  it('wait() returns once an answer has arrived', () => {
    const { pool, results } = doublingPool(path.join(WORKERS, 'double.mjs'), { help: false });
    pool.submit(21);
    expect(pool.stats.remote).toBe(1);
    const started = performance.now();
    while (results.length === 0 && performance.now() - started < 10_000) pool.wait();
    expect(results).toEqual([{ value: 42, by: 'worker' }]);
    pool.finish();
  });

  it('runs a job here when the worker reports an error', () => {
    const { pool, results } = doublingPool(path.join(WORKERS, 'failing.mjs'), { help: false });
    for (let i = 0; i < 6; i++) pool.submit(i);
    pool.finish();
    expect(values(results)).toEqual(expected(6));
    expect(results.every((r) => r.by === 'here')).toBe(true);
    expect(pool.stats.remote).toBeGreaterThanOrEqual(2); // the first jobs always go to the worker
    expect(pool.stats.local).toBe(6);
  });
});

/** Spool files named as the hook names them: simulated sessions plus payloads that must be quarantined. */
function writeSpool(home: string, n: number): void {
  const spool = path.join(home, 'spool');
  fs.mkdirSync(spool, { recursive: true });
  const { payloads } = simulate({ seed: 7, sessions: Math.ceil(n / 40), start_ms: Date.UTC(2026, 0, 1), days: 10 });
  for (let i = 0; i < n; i++) {
    const p = payloads[i % payloads.length]!;
    const ns = BigInt(p.ts_ms) * 1_000_000n + BigInt(i);
    const body = i % 97 === 5 ? '{"session_id": "half' : i % 101 === 7 ? JSON.stringify({ ...p.payload, hook_event_name: 42 }) : JSON.stringify(p.payload);
    fs.writeFileSync(path.join(spool, `${ns}-${1000 + (i % 13)}-${p.event}.json`), body);
  }
}

function ingestWith(n: number, options: { workers: number; workerFile?: string | null }) {
  const home = tempHome();
  writeSpool(home, n);
  const paths = dataPaths({ AGENTOPS_META_HOME: home });
  const store = openMemoryStore();
  const report = ingestSpool({ paths, store, ...options });
  return { report, store, left: fs.readdirSync(paths.spool).filter((f) => f.endsWith('.json')) };
}

describe('ingest with the spool worker', () => {
  it('stores exactly what ingest in one thread stores, and empties the spool', () => {
    expect(bundledWorkerFile('spool-worker'), 'npm run build makes dist/spool-worker.js').not.toBeNull();
    const alone = ingestWith(1500, { workers: 0 });
    const shared = ingestWith(1500, { workers: 1 });
    expect(shared.report.workers).toBe(1);
    expect(alone.report.quarantined).toBeGreaterThan(20);
    expect(shared.report).toMatchObject({ files: 1500, inserted: alone.report.inserted, quarantined: alone.report.quarantined, duplicates: 0 });
    expect(shared.store.events()).toEqual(alone.store.events());
    expect(shared.store.quarantine().map((q) => q.id)).toEqual(alone.store.quarantine().map((q) => q.id));
    expect(shared.left).toEqual([]);
  });

  it('reads and deletes in this thread what a failing worker was given', () => {
    const alone = ingestWith(600, { workers: 0 });
    const failed = ingestWith(600, { workers: 1, workerFile: path.join(WORKERS, 'failing.mjs') });
    expect(failed.report).toMatchObject({ files: 600, inserted: alone.report.inserted, quarantined: alone.report.quarantined });
    expect(failed.store.events()).toEqual(alone.store.events());
    expect(failed.left).toEqual([]);
  });

  it('the payloads the worker stores are the ones normalizing here would store', () => {
    const home = tempHome();
    writeSpool(home, 400);
    const dir = path.join(home, 'spool');
    const names = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    const ctx = { maxFieldChars: 300, maxRaw: 1 << 20, projectOf: () => null };
    const job = { kind: 'read' as const, dir, names, stored: true, maxFieldChars: 300 };
    const inWorker = runSpoolJob(job, true);
    const here = runSpoolJob(job, false);
    if (inWorker.kind !== 'read' || here.kind !== 'read') throw new Error('read jobs answer with reads');
    expect(inWorker.read.stored).toHaveLength(400);
    expect(inWorker.read.stored!.filter((p: string | null) => p === null).length).toBeGreaterThan(0); // the unparseable ones
    expect(here.read.stored).toBeUndefined();
    const a = prepareSpoolBytes(inWorker.read, ctx);
    const b = prepareSpoolBytes(here.read, ctx);
    expect(a.events.length).toBeGreaterThan(300);
    expect(a).toEqual(b);
  });

  it('the worker takes reads before deletes that arrived first (the ingesting thread waits for reads)', () => {
    const home = tempHome();
    for (const n of ['a', 'b']) fs.writeFileSync(path.join(home, `${n}.json`), '{}');
    const order: string[] = [];
    const pool = new WorkerPool<SpoolJob, SpoolJobResult>({
      workerFile: bundledWorkerFile('spool-worker'),
      workers: 1,
      help: false,
      runLocal: () => {
        throw new Error('every job goes to the worker here');
      },
      onResult: (r) => order.push(r.kind),
    });
    // Both wait in its port before the worker has even started, so it sees both at once.
    pool.submit({ kind: 'delete', files: [path.join(home, 'a.json')] });
    pool.submit({ kind: 'read', dir: home, names: ['b.json'], stored: false, maxFieldChars: 100 });
    pool.finish();
    expect(order).toEqual(['read', 'deleted']);
    expect(fs.readdirSync(home)).toEqual(['b.json']);
  });

  it('a delete job removes the files it names and skips the ones already gone', () => {
    const home = tempHome();
    const files = ['a', 'b', 'c'].map((n) => path.join(home, `${n}.json`));
    for (const f of files.slice(0, 2)) fs.writeFileSync(f, '{}');
    expect(runSpoolJob({ kind: 'delete', files }, true)).toEqual({ kind: 'deleted', files: 2 });
    expect(fs.readdirSync(home)).toEqual([]);
  });
});

describeWithFixtures('backfill with normalize workers', () => {
  it('stores exactly what backfill in one thread stores', () => {
    const transcripts = fixture('transcripts');
    const alone = openMemoryStore();
    const shared = openMemoryStore();
    const a = backfill({ paths: [transcripts], store: alone, workers: 0, batchSize: 100 });
    const b = backfill({ paths: [transcripts], store: shared, workers: 1, batchSize: 100 });
    expect(a.inserted).toBeGreaterThan(300);
    expect({ ...b, ms: 0 }).toEqual({ ...a, ms: 0 });
    expect(shared.events()).toEqual(alone.events());
  });
});
