// The worker side of worker-pool.ts: answer each job with its result (or the error it threw), then
// bump the shared signal so the pool's thread, asleep in Atomics.wait, wakes up to read it.
import { workerData, type MessagePort } from 'node:worker_threads';
import type { WorkerReply } from './worker-pool.js';

export function serveJobs<J, R>(run: (job: J) => R, transferOf: (result: R) => ArrayBuffer[] = () => []): void {
  const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
  const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []): void => {
    port.postMessage(message, transfer);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  port.on('message', ({ id, job }: { id: number; job: J }) => {
    let result: R;
    try {
      result = run(job);
    } catch (e) {
      reply({ type: 'error', id, message: String((e as Error)?.message ?? e) });
      return;
    }
    reply({ type: 'result', id, result }, transferOf(result));
  });
  reply({ type: 'ready' });
}
