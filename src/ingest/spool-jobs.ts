// The file-system side of ingest as jobs, run by the spool worker or by the ingesting thread
// itself: read spool files into one buffer, and delete files whose records are committed. A job
// may run twice (a worker given up on, then this thread): reading again is harmless, and a file
// already deleted is skipped.
import fs from 'node:fs';
import { readSpoolFiles, storedPayloads, type SpoolBytes } from './spool-read.js';

/** A read with `stored` also makes each payload's stored form, in the worker (runSpoolJob). */
export type SpoolJob = { kind: 'read'; dir: string; names: string[]; stored: boolean; maxFieldChars: number } | { kind: 'delete'; files: string[] };

export type SpoolJobResult = { kind: 'read'; read: SpoolBytes } | { kind: 'deleted'; files: number };

/**
 * Runs a job. In the spool worker, a read asked for `stored` also makes each payload's stored form
 * (redacted JSON): the half of normalizing that needs only the bytes, given to the worker when it
 * has time to spare. In the ingesting thread that would only be done twice.
 */
export function runSpoolJob(job: SpoolJob, inWorker: boolean): SpoolJobResult {
  if (job.kind === 'read') {
    const read = readSpoolFiles(job.dir, job.names);
    if (inWorker && job.stored) read.stored = storedPayloads(read, job.maxFieldChars);
    return { kind: 'read', read };
  }
  let files = 0;
  for (const file of job.files) if (removeQuietly(file)) files++;
  return { kind: 'deleted', files };
}

/** The read bytes go back to the ingesting thread without a copy. */
export function spoolResultTransfer(result: SpoolJobResult): ArrayBuffer[] {
  return result.kind === 'read' ? [result.read.bytes.buffer as ArrayBuffer] : [];
}

/** Deletes a file; false when it was already gone (another ingester finished it). */
export function removeQuietly(file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}
