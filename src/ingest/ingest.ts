// Moves spooled hook payloads into the store, exactly once. The order of steps is what makes it
// crash-safe: (1) read a batch of files, (2) normalize + redact, (3) store the batch in one
// transaction, idempotent by id, (4) only then delete the files. A kill -9 before (3) leaves the
// files for the next run; a kill between (3) and (4) re-reads files whose ids are already stored,
// which the store counts as duplicates and skips. Two ingesters at once are safe for the same reason.
// For a large spool the file-system steps (1) and (4) run in the spool worker (spool-jobs.ts), while
// this thread does (2) and (3): the kernel's time for opening and deleting thousands of small files
// then overlaps with the parsing, and the bytes read come back without a copy.
import fs from 'node:fs';
import path from 'node:path';
import { parseSpoolName } from '../core/spool-name.js';
import type { QuarantineRecord } from '../core/types.js';
import type { EventStore } from '../store/port.js';
import type { DataPaths } from '../shell/paths.js';
import { gitRootResolver } from './project-root.js';
import { prepareSpoolBytes, quarantineRecord, type PreparedBatch } from './spool-batch.js';
import { readOrNull, type SpoolBytes } from './spool-read.js';
import { removeQuietly, runSpoolJob, type SpoolJob, type SpoolJobResult } from './spool-jobs.js';
import { defaultWorkerCount, WorkerPool, workerFileFor } from './worker-pool.js';

export interface IngestOptions {
  paths: DataPaths;
  store: EventStore;
  batchSize?: number;
  maxFieldChars?: number;
  /** a file in spool/.tmp older than this was left by a hook that died mid-write */
  staleTmpMs?: number;
  /** most raw bytes kept for a payload that cannot be parsed */
  maxQuarantineBytes?: number;
  now?: number;
  onBatch?: (done: number, total: number) => void;
  /** 1: the spool worker reads and deletes the files; default: it does for a large spool on a machine with a spare core */
  workers?: number;
  /** the worker module; default the bundled dist/spool-worker.js (tests use stand-ins) */
  workerFile?: string | null;
}

export interface IngestReport {
  files: number;
  inserted: number;
  duplicates: number;
  quarantined: number;
  partial_writes: number;
  ms: number;
  /** spool workers that started (0: all in this thread) */
  workers: number;
}

export const DEFAULT_MAX_FIELD_CHARS = 4000;
const DEFAULT_BATCH = 2000;
const DEFAULT_STALE_TMP_MS = 10 * 60_000;
const DEFAULT_MAX_QUARANTINE_BYTES = 1 << 20;
/** Below this many files, starting a worker costs more than it saves. */
const PARALLEL_MIN_FILES = 2000;
/** Files per read job when the spool worker reads: small enough that this thread starts early. */
const WORKER_READ_FILES = 500;
/** Read jobs ahead of this thread, so it never waits for reads queued behind a batch's deletes. */
const WORKER_READS_AHEAD = 8;
/** Reads done and waiting for this thread from which the worker also makes the stored payloads. */
const WORKER_AHEAD_TO_STORE = 2;

export function ingestSpool(options: IngestOptions): IngestReport {
  const started = performance.now();
  const { paths, store } = options;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  const maxFieldChars = options.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS;
  const maxRaw = options.maxQuarantineBytes ?? DEFAULT_MAX_QUARANTINE_BYTES;
  const projectOf = gitRootResolver();
  const report: IngestReport = { files: 0, inserted: 0, duplicates: 0, quarantined: 0, partial_writes: 0, ms: 0, workers: 0 };

  report.partial_writes = quarantineStaleTmp(options, maxRaw);
  const names = listSpool(paths.spool);
  const workers = Math.min(1, options.workers ?? (names.length >= PARALLEL_MIN_FILES ? defaultWorkerCount() : 0));
  const ctx = { maxFieldChars, maxRaw, projectOf };
  const reads: SpoolBytes[] = [];
  let readsOwed = 0;
  let deletesOwed = 0;
  let ready: PreparedBatch[] = [];
  let readyFiles = 0;
  let seen = 0;
  // One worker: reads and deletes in one folder serialise in the kernel, so a second would wait.
  const pool = new WorkerPool<SpoolJob, SpoolJobResult>({
    workerFile: workerFileFor(workers, options.workerFile, 'spool-worker'),
    workers,
    help: false,
    // While the worker starts (50-150 ms) it has one read to do, and this thread reads for itself.
    queueBeforeReady: 1,
    perWorker: WORKER_READS_AHEAD + 2,
    runLocal: (job) => runSpoolJob(job, false),
    onResult: (result) => {
      if (result.kind === 'deleted') {
        deletesOwed--;
        return;
      }
      readsOwed--;
      reads.push(result.read);
    },
  });
  report.workers = pool.stats.workers;
  const write = (): void => {
    if (ready.length === 0) return;
    const stored = store.insert(ready.flatMap((b) => b.events), ready.flatMap((b) => b.quarantine));
    report.inserted += stored.inserted;
    report.duplicates += stored.duplicates;
    report.quarantined += stored.quarantined;
    // Only now, with the batch committed (and redacted), may the raw copies go.
    deletesOwed++; // before submit, as for reads
    pool.submit({ kind: 'delete', files: ready.flatMap((b) => b.files) });
    report.files += readyFiles;
    seen += ready.reduce((n, b) => n + b.names, 0);
    ready = [];
    readyFiles = 0;
    options.onBatch?.(seen, names.length);
  };
  try {
    const jobSize = report.workers > 0 ? Math.min(batchSize, WORKER_READ_FILES) : batchSize;
    const ahead = report.workers > 0 ? WORKER_READS_AHEAD : 1;
    let next = 0;
    for (;;) {
      while (readsOwed + reads.length < ahead && next < names.length) {
        const had = reads.length;
        readsOwed++; // before submit: a read that runs here is answered inside it
        // Reads waiting here, and no deletes piling up, mean the worker is ahead: it can make the
        // stored payloads of this one too.
        const stored = reads.length >= WORKER_AHEAD_TO_STORE && deletesOwed <= 1;
        pool.submit({ kind: 'read', dir: paths.spool, names: names.slice(next, (next += jobSize)), stored, maxFieldChars });
        // Answered at once (run here, the worker still starting): work on it before reading more here.
        if (reads.length > had) break;
      }
      const read = reads.shift();
      if (read === undefined) {
        if (readsOwed === 0) break;
        pool.wait();
        continue;
      }
      const batch = prepareSpoolBytes(read, ctx);
      ready.push(batch);
      readyFiles += batch.files.length;
      if (readyFiles >= batchSize) write();
    }
    write();
    pool.finish(); // the last deletes
  } finally {
    pool.close();
  }
  report.ms = performance.now() - started;
  if (report.files > 0 || report.partial_writes > 0) store.setMeta('last_ingest', new Date(options.now ?? Date.now()).toISOString());
  return report;
}

function listSpool(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
}

function quarantineStaleTmp(options: IngestOptions, maxRaw: number): number {
  const now = options.now ?? Date.now();
  const staleMs = options.staleTmpMs ?? DEFAULT_STALE_TMP_MS;
  let names: string[];
  try {
    names = fs.readdirSync(options.paths.spoolTmp);
  } catch {
    return 0;
  }
  const records: QuarantineRecord[] = [];
  const files: string[] = [];
  for (const name of names) {
    const file = path.join(options.paths.spoolTmp, name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      continue;
    }
    if (now - stat.mtimeMs < staleMs) continue; // a hook may still be writing it
    const bytes = readOrNull(file);
    if (bytes === null) continue;
    const meta = parseSpoolName(`${name}.json`);
    records.push(quarantineRecord(meta?.id ?? `tmp-${name}`, meta?.ts_ms ?? stat.mtimeMs, meta?.event ?? null, 'partial write: the hook was stopped while writing', bytes, maxRaw));
    files.push(file);
  }
  if (records.length === 0) return 0;
  const stored = options.store.insert([], records);
  for (const file of files) removeQuietly(file);
  return stored.quarantined;
}
