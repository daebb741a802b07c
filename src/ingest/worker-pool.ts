// A small pool of worker threads behind a synchronous API, so ingest and backfill stay plain
// synchronous functions while part of their work runs on another core: backfill's normalization
// (normalize-worker.ts), ingest's reads and deletes of spool files (spool-worker.ts).
// Results come back with receiveMessageOnPort, and Atomics.wait sleeps until a worker signals:
// no event loop needed. Every job can also run in this thread: when all workers are busy (so this
// thread helps instead of idling), when a worker reports an error, and when a worker falls
// silent. Jobs are pure functions of their input, so running one twice is harmless; a late
// answer from a worker given up on is never read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { packageRoot } from '../shell/package-root.js';

export interface WorkerPoolOptions<J, R> {
  /** the worker module (see worker-serve.ts); when missing every job runs in this thread */
  workerFile: string | null;
  workers: number;
  /** the same work in this thread */
  runLocal: (job: J) => R;
  /** called in this thread, in completion order */
  onResult: (result: R) => void;
  /** jobs sent to one worker and not answered yet */
  perWorker?: number;
  /** a worker silent this long while it owes answers is given up, and its jobs run here */
  stallMs?: number;
  /**
   * When every worker has enough: true runs the job in this thread (it has nothing better to do),
   * false waits for room once a worker has started (this thread has its own work, such as parsing
   * what the spool worker read; before that it runs the job here rather than idle).
   */
  help?: boolean;
  /** jobs a worker is sent before it says it has started (default: a full queue); meanwhile the rest run here */
  queueBeforeReady?: number;
}

/** What a worker posts back: readiness, a result, or the error a job threw. */
export type WorkerReply = { type: 'ready' } | { type: 'result'; id: number; result: unknown } | { type: 'error'; id: number; message: string };

export interface PoolStats {
  workers: number;
  remote: number;
  local: number;
  failed_workers: number;
}

interface Slot<J> {
  worker: Worker;
  port: MessagePort;
  pending: Map<number, J>;
  lastHeard: number;
  dead: boolean;
  /** it has started: until then its queue is no reason for this thread to wait */
  ready: boolean;
}

const DEFAULT_PER_WORKER = 2;
const DEFAULT_STALL_MS = 20_000;
const WAIT_SLICE_MS = 100;

/** The worker modules build.mjs bundles next to the CLI. */
export type BundledWorker = 'normalize-worker' | 'spool-worker';

/** Where a bundled worker lives, or null when it was not built. */
export function bundledWorkerFile(name: BundledWorker): string | null {
  try {
    const file = path.join(packageRoot(), 'dist', `${name}.js`);
    return fs.existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/** The module to start workers from: none when no worker is wanted, else the override or the bundled one. */
export function workerFileFor(workers: number, override: string | null | undefined, bundled: BundledWorker): string | null {
  if (workers <= 0) return null;
  return override === undefined ? bundledWorkerFile(bundled) : override;
}

/** Workers that fit beside the calling thread: one per spare core, at most three. */
export function defaultWorkerCount(): number {
  return Math.max(0, Math.min(3, os.availableParallelism() - 1));
}

export class WorkerPool<J, R> {
  private readonly slots: Slot<J>[] = [];
  /** bumped by a worker after every post, so this thread can sleep until there is something to read */
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 0;
  private readonly perWorker: number;
  private readonly stallMs: number;
  private readonly helps: boolean;
  readonly stats: PoolStats = { workers: 0, remote: 0, local: 0, failed_workers: 0 };

  constructor(private readonly options: WorkerPoolOptions<J, R>) {
    this.perWorker = options.perWorker ?? DEFAULT_PER_WORKER;
    this.helps = options.help ?? true;
    this.stallMs = options.stallMs ?? DEFAULT_STALL_MS;
    if (options.workerFile === null || !fs.existsSync(options.workerFile)) return;
    for (let i = 0; i < options.workers; i++) {
      const slot = this.start(options.workerFile);
      if (slot === null) break;
      this.slots.push(slot);
    }
    this.stats.workers = this.slots.length;
  }

  /** Sends the job to the least busy worker, or runs it here when every worker has enough. */
  submit(job: J): void {
    this.collect();
    let best = this.leastBusy();
    // While the workers start (100-250 ms), this thread works instead of waiting for them.
    if (best === null && !this.helps && this.slots.some((s) => !s.dead && s.ready)) best = this.waitForRoom();
    if (best === null) return this.runHere(job);
    const id = this.nextId++;
    if (best.pending.size === 0) best.lastHeard = performance.now(); // silence is measured from when it owes something
    best.pending.set(id, job);
    best.port.postMessage({ id, job });
    this.stats.remote++;
  }

  /** Collects the answers that have arrived; with none, sleeps until one does (or a silent worker is given up). */
  wait(): void {
    if (!this.collect()) this.sleep();
  }

  /** Waits for every answer, then stops the workers. */
  finish(): void {
    try {
      while (this.slots.some((s) => !s.dead && s.pending.size > 0)) if (!this.collect()) this.sleep();
    } finally {
      this.close();
    }
  }

  /** Stops the workers without waiting (after an error); unanswered jobs are dropped. */
  close(): void {
    for (const s of this.slots) if (!s.dead) this.stop(s);
  }

  private leastBusy(): Slot<J> | null {
    let best: Slot<J> | null = null;
    for (const s of this.slots) if (!s.dead && s.pending.size < this.room(s) && (best === null || s.pending.size < best.pending.size)) best = s;
    return best;
  }

  private room(s: Slot<J>): number {
    return s.ready ? this.perWorker : Math.min(this.perWorker, this.options.queueBeforeReady ?? this.perWorker);
  }

  /** Collects answers until a worker has room; null when none is left alive. */
  private waitForRoom(): Slot<J> | null {
    for (;;) {
      const room = this.leastBusy();
      if (room !== null || this.slots.every((s) => s.dead)) return room;
      if (!this.collect()) this.sleep();
    }
  }

  private start(file: string): Slot<J> | null {
    try {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(file, { workerData: { port: port2, signal: this.signal }, transferList: [port2] });
      const slot: Slot<J> = { worker, port: port1, pending: new Map(), lastHeard: performance.now(), dead: false, ready: false };
      // Errors arrive on the event loop, after this synchronous run; silence handles them here.
      worker.on('error', () => (slot.dead = true));
      worker.unref();
      port1.unref();
      return slot;
    } catch {
      return null;
    }
  }

  private collect(): boolean {
    let got = false;
    for (const s of this.slots) {
      if (s.dead) continue;
      for (let m = receiveMessageOnPort(s.port); m !== undefined; m = s.dead ? undefined : receiveMessageOnPort(s.port)) {
        got = true;
        this.handle(s, m.message as WorkerReply);
      }
    }
    return got;
  }

  private handle(s: Slot<J>, reply: WorkerReply): void {
    s.lastHeard = performance.now();
    if (reply.type === 'ready') {
      s.ready = true;
      return;
    }
    const job = s.pending.get(reply.id);
    if (job === undefined) return;
    s.pending.delete(reply.id);
    if (reply.type === 'result') this.options.onResult(reply.result as R);
    else this.runHere(job); // the same code here throws the same error where the caller can see it
  }

  private sleep(): void {
    const seen = Atomics.load(this.signal, 0);
    if (this.collect()) return;
    Atomics.wait(this.signal, 0, seen, WAIT_SLICE_MS);
    const now = performance.now();
    for (const s of this.slots) if (!s.dead && s.pending.size > 0 && now - s.lastHeard > this.stallMs) this.giveUp(s);
  }

  private giveUp(s: Slot<J>): void {
    this.stats.failed_workers++;
    this.stop(s);
    const jobs = [...s.pending.values()];
    s.pending.clear();
    for (const job of jobs) this.runHere(job);
  }

  private stop(s: Slot<J>): void {
    s.dead = true;
    s.port.close();
    void s.worker.terminate().catch(() => undefined);
  }

  private runHere(job: J): void {
    this.stats.local++;
    this.options.onResult(this.options.runLocal(job));
  }
}
