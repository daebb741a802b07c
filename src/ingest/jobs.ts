// The jobs a normalize worker runs, and how to run one in any thread. A job carries everything it
// needs (spool bytes or backfill payloads, limits) but the project resolver, which each thread
// keeps for one ingest or backfill run. Jobs read no spool file and delete nothing.
import { normalizeBackfillBatch, type NormalizedBackfill } from '../backfill/batch.js';
import type { BackfillPayload } from '../backfill/transcript.js';
import { prepareSpoolBytes, type PreparedBatch, type SpoolBytes } from './spool-batch.js';

export type NormalizeJob =
  | { kind: 'spool'; read: SpoolBytes; maxFieldChars: number; maxRaw: number }
  | { kind: 'backfill'; payloads: BackfillPayload[]; maxFieldChars: number };

/** What moves to a worker without a copy. */
export function transferOf(job: NormalizeJob): ArrayBuffer[] {
  return job.kind === 'spool' ? [job.read.bytes.buffer as ArrayBuffer] : [];
}

export function runNormalizeJob(job: NormalizeJob, projectOf: (cwd: string) => string | null): PreparedBatch | NormalizedBackfill {
  if (job.kind === 'spool') return prepareSpoolBytes(job.read, { maxFieldChars: job.maxFieldChars, maxRaw: job.maxRaw, projectOf });
  return normalizeBackfillBatch(job.payloads, { maxFieldChars: job.maxFieldChars, projectOf });
}


