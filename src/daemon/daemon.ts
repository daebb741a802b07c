// The background daemon: watches the spool (chokidar), ingests in debounced batches, re-learns
// and regenerates the planner context, and runs the nightly learn-and-commit. One per data folder
// (pid-file lock); SIGTERM/SIGINT finish the current step and exit; a kill -9 loses nothing because
// ingest is crash-safe on its own and the spool keeps what was not stored. It follows its data: when
// its data folder is removed (or another daemon took its pid file), or its hooks are uninstalled, it
// exits by itself at the next check, instead of serving nobody until the machine restarts.
import fs from 'node:fs';
import path from 'node:path';
import { watch } from 'chokidar';
import type { DataPaths } from '../shell/paths.js';
import { nightlyDue } from './schedule.js';

export interface DaemonDeps {
  paths: DataPaths;
  debounceMs: number;
  /** least time between two learning runs */
  learnIntervalMs: number;
  nightlyTime: string;
  ingest: () => { inserted: number };
  learn: () => void;
  /**
   * ships what ingest stored to the shared store (config store.remote) and sends quiet sessions to an
   * OTLP collector (config export.otlp_endpoint); never throws, time-bounded.
   * It runs beside the step chain, not on it: a slow or absent server never delays ingest or learning.
   */
  ship?: () => Promise<void>;
  /** nightly learn and commit for a date; returns a line for the log */
  nightly: (date: string) => Promise<string>;
  getMeta: (key: string) => string | null;
  setMeta: (key: string, value: string) => void;
  log: (line: string) => void;
  /** how often the daemon checks that its data folder and hooks are still there */
  checkMs: number;
  /** why the daemon is no longer wanted besides its data folder (its hooks are gone), or null */
  hooksGone?: () => string | null;
  now?: () => Date;
  /** resolves when the daemon should stop (tests); signals also stop it */
  stop?: Promise<void>;
}

export class DaemonRunningError extends Error {
  constructor(readonly pid: number) {
    super(`the daemon is already running (pid ${pid})`);
  }
}

export function pidFile(paths: DataPaths): string {
  return path.join(paths.home, 'daemon.pid');
}

/** The pid of a live daemon for this data folder, or null. */
export function runningPid(paths: DataPaths): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile(paths), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  // Process ids are reused: a stale pid file may name an unrelated live process, which must never be
  // taken for the daemon (nor be sent its SIGTERM). Where /proc tells, the command line decides.
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('agentops-meta') || pid === process.pid ? pid : null;
  } catch {
    return fs.existsSync('/proc/self') ? null : pid;
  }
}

/** Why a daemon holding the lock for `paths` should exit (its data folder or its pid file is gone), or null. */
export function orphaned(paths: DataPaths, pid = process.pid): string | null {
  if (!fs.existsSync(paths.home)) return `its data folder ${paths.home} was removed`;
  try {
    if (fs.readFileSync(pidFile(paths), 'utf8').trim() === String(pid)) return null;
  } catch {
    // gone: the folder was emptied, or someone deleted the lock
  }
  return `its pid file ${pidFile(paths)} no longer names it`;
}

/** Takes the lock: creates the pid file exclusively, replacing it only when its process is gone. */
export function acquireLock(paths: DataPaths): () => void {
  fs.mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  const file = pidFile(paths);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = runningPid(paths);
      if (pid !== null && pid !== process.pid) throw new DaemonRunningError(pid);
      // Stale: move it aside under a unique name, so two starters cannot both delete a fresh one.
      try {
        fs.renameSync(file, `${file}.stale-${process.pid}`);
        fs.rmSync(`${file}.stale-${process.pid}`, { force: true });
      } catch {
        // another starter moved it first
      }
    }
  }
  throw new Error(`cannot take the daemon lock at ${file}`);
}

export async function runDaemon(deps: DaemonDeps): Promise<void> {
  const now = deps.now ?? (() => new Date());
  const release = acquireLock(deps.paths);
  fs.mkdirSync(deps.paths.spool, { recursive: true, mode: 0o700 });
  let timer: NodeJS.Timeout | null = null;
  let busy: Promise<void> = Promise.resolve();
  let lastLearn = 0;
  let learnPending = false;
  let stopping = false;
  let exitReason: string | null = null;
  let shipping: Promise<void> | null = null;
  const shipSoon = () => {
    if (!deps.ship || shipping || stopping) return;
    shipping = deps.ship().finally(() => (shipping = null));
  };
  let leave: () => void = () => undefined;
  const unwanted = new Promise<void>((resolve) => (leave = resolve));

  // Every step runs on one chain: ingest, learn and nightly never overlap. A step never runs for a
  // data folder that is gone: it would create the folder again, for nobody.
  const enqueue = (step: () => void | Promise<void>) => {
    busy = busy
      .then(() => ((exitReason ?? orphaned(deps.paths)) ? undefined : step()))
      .catch((e: unknown) => deps.log(`error: ${(e as Error).message}`));
    return busy;
  };

  const ingestStep = () => {
    const r = deps.ingest();
    if (r.inserted > 0) {
      deps.log(`ingested ${r.inserted} events`);
      learnPending = true;
    }
    // Every step, not only after new events: a run that failed (server down) is retried by the next sweep.
    shipSoon();
    if (learnPending && now().getTime() - lastLearn >= deps.learnIntervalMs) {
      deps.learn();
      lastLearn = now().getTime();
      learnPending = false;
      deps.log('learned and refreshed the planner context');
    }
  };

  const nightlyStep = async () => {
    const decision = nightlyDue(now(), deps.nightlyTime, deps.getMeta('last_nightly') ?? deps.getMeta('nightly_from'));
    if (decision.first) {
      // The slot that passed before this data folder's first daemon is not caught up: it is where
      // the schedule starts (a new install must not commit the minute it starts).
      deps.setMeta('nightly_from', decision.date);
      deps.log(`nightly: skipped at the first start on ${deps.paths.home}; the first nightly learn-and-commit runs at the next ${deps.nightlyTime}`);
      return;
    }
    if (!decision.due) return;
    deps.log(await deps.nightly(decision.date));
    deps.setMeta('last_nightly', decision.date);
    lastLearn = now().getTime();
  };

  const schedule = () => {
    if (stopping) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void enqueue(ingestStep), deps.debounceMs);
  };

  const checkWanted = () => {
    exitReason ??= orphaned(deps.paths) ?? deps.hooksGone?.() ?? null;
    if (exitReason) leave();
  };

  const watcher = watch(deps.paths.spool, { depth: 0, ignoreInitial: false, ignored: (p) => p.includes(`${path.sep}.tmp`) });
  watcher.on('add', schedule);
  // An EventEmitter 'error' with no listener throws: a spool folder removed under the watcher must
  // end in the checks above, not in a crash.
  watcher.on('error', (e: unknown) => deps.log(`watcher: ${(e as Error).message}`));
  // A sweep each minute: catches anything a watcher missed, a pending learn, and the nightly slot.
  const sweep = setInterval(() => {
    void enqueue(ingestStep);
    void enqueue(nightlyStep);
  }, 60_000);
  const watchdog = setInterval(checkWanted, deps.checkMs);
  checkWanted(); // the hooks watch learns now that hooks were installed, so an uninstall soon after counts
  void enqueue(ingestStep);
  void enqueue(nightlyStep);

  const signalled = new Promise<void>((resolve) => {
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(sig, () => resolve());
  });
  deps.log(`daemon started (pid ${process.pid}) for the data folder ${deps.paths.home}`);
  await Promise.race([signalled, unwanted, deps.stop ?? new Promise<void>(() => undefined)]);
  stopping = true;
  if (timer) clearTimeout(timer);
  clearInterval(sweep);
  clearInterval(watchdog);
  await watcher.close();
  await busy;
  // A shipping run is let finish for a few seconds, not waited for: what it had not committed is
  // sent again by the next daemon (the shared store ignores what it has), so nothing is lost.
  if (shipping) await Promise.race([shipping, new Promise((r) => setTimeout(r, 5000).unref())]);
  release();
  deps.log(exitReason ? `daemon stopped: ${exitReason}` : 'daemon stopped');
}
