// Moves spooled hook payloads into the store, exactly once. The order of steps is what makes it
// crash-safe: (1) read a batch of files, (2) normalize + redact, (3) store the batch in one
// transaction, idempotent by id, (4) only then delete the files. A kill -9 before (3) leaves the
// files for the next run; a kill between (3) and (4) re-reads files whose ids are already stored,
// which the store counts as duplicates and skips. Two ingesters at once are safe for the same reason.
// Steps (1)-(2) run in normalize workers for a large spool (worker-pool.ts); (3)-(4) stay here.
import fs from 'node:fs';
import path from 'node:path';
import { parseSpoolName } from '../core/spool-name.js';
import type { QuarantineRecord } from '../core/types.js';
import type { EventStore } from '../store/port.js';
import type { DataPaths } from '../shell/paths.js';
import { runNormalizeJob, transferOf, type NormalizeJob } from './jobs.js';
import { gitRootResolver } from './project-root.js';
import { bytesGone, quarantineRecord, readOrNull, readSpoolFiles, type PreparedBatch } from './spool-batch.js';
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
  /** normalize workers; default: none for a small spool, else one per spare core (at most 3) */
  workers?: number;
  /** the worker module; default the bundled dist/normalize-worker.js (tests use stand-ins) */
  workerFile?: string | null;
}

export interface IngestReport {
  files: number;
  inserted: number;
  duplicates: number;
  quarantined: number;
  partial_writes: number;
  ms: number;
  /** normalize workers that started (0: all in this thread) */
  workers: number;
}

export const DEFAULT_MAX_FIELD_CHARS = 4000;
const DEFAULT_BATCH = 2000;
const DEFAULT_STALE_TMP_MS = 10 * 60_000;
const DEFAULT_MAX_QUARANTINE_BYTES = 1 << 20;
/** Below this many files, starting a worker costs more than it saves. */
const PARALLEL_MIN_FILES = 2000;
const WORKER_JOB_FILES = 500;

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
  const workers = options.workers ?? (names.length >= PARALLEL_MIN_FILES ? defaultWorkerCount() : 0);
  let ready: PreparedBatch[] = [];
  let readyFiles = 0;
  let seen = 0;
  const write = (): void => {
    if (ready.length === 0) return;
    const stored = store.insert(ready.flatMap((b) => b.events), ready.flatMap((b) => b.quarantine));
    report.inserted += stored.inserted;
    report.duplicates += stored.duplicates;
    report.quarantined += stored.quarantined;
    // Only now, with the batch committed (and redacted), may the raw copies go.
    for (const b of ready) for (const file of b.files) removeQuietly(file);
    report.files += readyFiles;
    seen += ready.reduce((n, b) => n + b.names, 0);
    ready = [];
    readyFiles = 0;
    options.onBatch?.(seen, names.length);
  };
  // Every file-system call stays in this thread: reads and deletes in one spool folder do not run
  // in parallel anyway (the kernel serialises them on the folder), and this thread has them to do
  // while the workers parse and normalize.
  const pool = new WorkerPool<NormalizeJob, PreparedBatch>({
    workerFile: workerFileFor(workers, options.workerFile),
    workers,
    help: false,
    // Deep enough that a worker still has work while this thread commits and deletes a batch.
    perWorker: 8,
    transfer: transferOf,
    runLocal: (job) => {
      // A job given back by a failed worker lost its bytes to the transfer: read the files again.
      if (job.kind === 'spool' && bytesGone(job.read)) job = { ...job, read: { ...readSpoolFiles(job.read.dir, job.read.names), asked: job.read.asked } };
      return runNormalizeJob(job, projectOf) as PreparedBatch;
    },
    onResult: (batch) => {
      ready.push(batch);
      readyFiles += batch.files.length;
      if (readyFiles >= batchSize) write();
    },
  });
  report.workers = pool.stats.workers;
  try {
    // Smaller jobs when workers share the work, so no thread waits long for the last one.
    const jobSize = pool.stats.workers > 0 ? Math.min(batchSize, WORKER_JOB_FILES) : batchSize;
    for (let i = 0; i < names.length; i += jobSize) {
      pool.submit({ kind: 'spool', read: readSpoolFiles(paths.spool, names.slice(i, i + jobSize)), maxFieldChars, maxRaw });
    }
    pool.finish();
    write();
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

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone: another ingester finished it
  }
}
