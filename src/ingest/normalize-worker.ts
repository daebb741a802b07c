// The normalize worker (bundled as dist/normalize-worker.js): answers jobs from worker-pool.ts.
// A job is the same pure-ish work the ingesting thread would do itself; see jobs.ts.
import { workerData, type MessagePort } from 'node:worker_threads';
import { runNormalizeJob, type NormalizeJob } from './jobs.js';
import { gitRootResolver } from './project-root.js';
import type { WorkerReply } from './worker-pool.js';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
// A worker lives for one ingest or backfill run: its memo of git roots is as fresh as the caller's.
const projectOf = gitRootResolver();

function reply(message: WorkerReply): void {
  port.postMessage(message);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

port.on('message', ({ id, job }: { id: number; job: NormalizeJob }) => {
  try {
    reply({ type: 'result', id, result: runNormalizeJob(job, projectOf) });
  } catch (e) {
    reply({ type: 'error', id, message: String((e as Error)?.message ?? e) });
  }
});
reply({ type: 'ready' });
