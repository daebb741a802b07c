// The spool worker (bundled as dist/spool-worker.js): reads and deletes spool files for ingest
// (spool-jobs.ts), and makes the redacted payloads, so the ingesting thread only parses, validates,
// normalizes and stores. Read bytes move back to that thread without a copy.
import { runSpoolJob, spoolResultTransfer, type SpoolJob } from './spool-jobs.js';
import { serveJobs } from './worker-serve.js';

// Reads first: the ingesting thread waits for them; deletes can wait for a gap.
serveJobs((job: SpoolJob) => runSpoolJob(job, true), { transferOf: spoolResultTransfer, urgency: (job) => (job.kind === 'read' ? 1 : 0) });
