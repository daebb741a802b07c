// The job a normalize worker runs for backfill, and how to run it in any thread. A job carries
// everything it needs (payloads, limits) but the project resolver, which each thread keeps for one
// backfill run.
import { normalizeBackfillBatch, type NormalizedBackfill } from '../backfill/batch.js';
import type { BackfillPayload } from '../backfill/transcript.js';

export interface NormalizeJob {
  payloads: BackfillPayload[];
  maxFieldChars: number;
}

export function runNormalizeJob(job: NormalizeJob, projectOf: (cwd: string) => string | null): NormalizedBackfill {
  return normalizeBackfillBatch(job.payloads, { maxFieldChars: job.maxFieldChars, projectOf });
}
