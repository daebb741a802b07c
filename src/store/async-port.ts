// The store port with promises: what a store behind a network (the shared PostgreSQL store) can
// offer. The contract is port.ts's, method for method; `asAsync` lifts a synchronous store into it,
// so one contract suite (test/store-contract.test.ts) holds memory, SQLite and PostgreSQL to the
// same answers. The hot paths (ingest, local learning) stay on the synchronous port: a promise per
// call would cost them for nothing.
import type { EventRecord, QuarantineRecord } from '../core/types.js';
import type { EventQuery, EventStore, InsertResult, PruneResult, SessionSummary, StoreCounts, TestRunRow } from './port.js';

export interface StreamOptions {
  /** payloads only where the learner reads them (EventQuery.lean) */
  lean?: boolean;
  /** only the sessions of this project: its folder, or the folder's last segment (machines keep a project in different folders) */
  project?: string;
}

export interface AsyncEventStore {
  insert(events: readonly EventRecord[], quarantine: readonly QuarantineRecord[]): Promise<InsertResult>;
  events(query?: EventQuery): Promise<EventRecord[]>;
  /**
   * Calls `visit` for every event ordered by session, then time, and awaits it before the next: a
   * store of any size is read a bounded batch at a time.
   */
  forEachEvent(visit: (event: EventRecord) => void | Promise<void>, options?: StreamOptions): Promise<void>;
  sessions(): Promise<SessionSummary[]>;
  testRuns(query?: { session_id?: string }): Promise<TestRunRow[]>;
  quarantine(limit?: number): Promise<QuarantineRecord[]>;
  counts(): Promise<StoreCounts>;
  pruneBefore(before_ms: number): Promise<PruneResult>;
  pruneOldest(keep_fraction: number): Promise<PruneResult>;
  sizeBytes(): Promise<number>;
  compact(): Promise<void>;
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

/** Does a session's project (SessionSummary.project) match a --project name? */
export function projectMatches(project: string | null, name: string): boolean {
  return project !== null && (project === name || project.endsWith(`/${name}`));
}

/** A synchronous store seen through the async port (each call settles with the synchronous answer). */
export function asAsync(store: EventStore): AsyncEventStore {
  const lift =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    async (...args: A): Promise<R> =>
      fn(...args);
  return {
    insert: lift((events: readonly EventRecord[], quarantine: readonly QuarantineRecord[]) => store.insert(events, quarantine)),
    events: lift((query?: EventQuery) => store.events(query)),
    async forEachEvent(visit, options = {}) {
      // One session at a time (the synchronous forEachEvent cannot wait for an async visitor), in
      // session order as forEachEvent has it: memory stays one session's worth here too.
      const ids = store
        .sessions()
        .filter((s) => options.project === undefined || projectMatches(s.project, options.project))
        .map((s) => s.session_id)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const session_id of ids) for (const e of store.events({ session_id, lean: options.lean })) await visit(e);
    },
    sessions: lift(() => store.sessions()),
    testRuns: lift((query?: { session_id?: string }) => store.testRuns(query)),
    quarantine: lift((limit?: number) => store.quarantine(limit)),
    counts: lift(() => store.counts()),
    pruneBefore: lift((before: number) => store.pruneBefore(before)),
    pruneOldest: lift((keep: number) => store.pruneOldest(keep)),
    sizeBytes: lift(() => store.sizeBytes()),
    compact: lift(() => store.compact()),
    getMeta: lift((key: string) => store.getMeta(key)),
    setMeta: lift((key: string, value: string) => store.setMeta(key, value)),
    close: lift(() => store.close()),
  };
}
