// The normalize worker (bundled as dist/normalize-worker.js): normalizes backfill payloads for
// worker-pool.ts. A job is the same pure work the backfilling thread would do itself; see normalize-job.ts.
import { runNormalizeJob, type NormalizeJob } from './normalize-job.js';
import { gitRootResolver } from './project-root.js';
import { serveJobs } from './worker-serve.js';

// A worker lives for one backfill run: its memo of git roots is as fresh as the caller's.
const projectOf = gitRootResolver();
serveJobs((job: NormalizeJob) => runNormalizeJob(job, projectOf));
