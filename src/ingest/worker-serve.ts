// The worker side of worker-pool.ts: answer each job with its result (or the error it threw), then
// bump the shared signal so the pool's thread, asleep in Atomics.wait, wakes up to read it. With an
// `urgency`, jobs waiting in the port are taken most urgent first (higher first; ties in arrival order).
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { WorkerReply } from './worker-pool.js';

export interface ServeOptions<J, R> {
  /** buffers of a result to move to the pool's thread instead of copying */
  transferOf?: (result: R) => ArrayBuffer[];
  urgency?: (job: J) => number;
}

export function serveJobs<J, R>(run: (job: J) => R, options: ServeOptions<J, R> = {}): void {
  const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
  const queue: { id: number; job: J }[] = [];
  const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []): void => {
    port.postMessage(message, transfer);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  const answer = ({ id, job }: { id: number; job: J }): void => {
    let result: R;
    try {
      result = run(job);
    } catch (e) {
      reply({ type: 'error', id, message: String((e as Error)?.message ?? e) });
      return;
    }
    reply({ type: 'result', id, result }, options.transferOf?.(result) ?? []);
  };
  port.on('message', (first: { id: number; job: J }) => {
    // Without an urgency, jobs stay serialised in the port until their turn: taking them all out
    // at once raised backfill's peak RSS by 15-30 MB.
    if (options.urgency === undefined) return answer(first);
    queue.push(first);
    for (;;) {
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) queue.push(m.message as { id: number; job: J });
      if (queue.length === 0) return;
      answer(queue.splice(mostUrgent(queue, options.urgency), 1)[0]!);
    }
  });
  reply({ type: 'ready' });
}

function mostUrgent<J>(queue: readonly { job: J }[], urgency: (job: J) => number): number {
  let best = 0;
  for (let i = 1; i < queue.length; i++) if (urgency(queue[i]!.job) > urgency(queue[best]!.job)) best = i;
  return best;
}
