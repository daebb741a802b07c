// The store port: what the rest of the program may ask of storage. Two adapters implement it
// synchronously (SQLite for real use, memory for tests and dry runs); async-port.ts is the same
// contract with promises, which the shared PostgreSQL store implements and the synchronous ones are
// lifted into. test/store-contract.test.ts runs one contract suite against all three.
import type { EventRecord, QuarantineRecord, TestRun } from '../core/types.js';

export interface InsertResult {
  inserted: number;
  /** already stored (same id, or a backfilled call whose tool_use_id the hooks already captured) */
  duplicates: number;
  quarantined: number;
}

export interface EventQuery {
  session_id?: string;
  since_ms?: number;
  /** newest N when set (still returned oldest first) */
  limit?: number;
  /**
   * Payloads only where the learner reads them (prompts, slash commands, injection records, and
   * calls without a tool_use_id, which pairing matches by tool_input); "{}" elsewhere. Learning
   * over a long history then reads a fraction of the bytes.
   */
  lean?: boolean;
}

/** Does the learner read this event's payload? (See EventQuery.lean.) */
export function learnerNeedsPayload(event: string, toolUseId: string | null): boolean {
  return LEAN_KEEP.has(event) || (toolUseId === null && LEAN_CALLS.has(event));
}

export const LEAN_KEEP: ReadonlySet<string> = new Set(['UserPromptSubmit', 'UserPromptExpansion', 'AgentopsInjection']);
export const LEAN_CALLS: ReadonlySet<string> = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PermissionDenied']);

export interface SessionSummary {
  session_id: string;
  project: string | null;
  first_ms: number;
  last_ms: number;
  events: number;
  tool_calls: number;
  errors: number;
  test_runs: number;
  tests_passed: number;
  /** did the last test run of the session pass? null when it ran none */
  last_test_passed: boolean | null;
}

export interface TestRunRow extends TestRun {
  event_id: string;
  session_id: string;
  tool_use_id: string | null;
  ts_ms: number;
}

export interface StoreCounts {
  events: number;
  sessions: number;
  test_runs: number;
  quarantined: number;
}

export interface PruneResult {
  sessions: number;
  events: number;
  quarantined: number;
}

/** An event with its place in the order events were stored (see EventStore.eventsAfter). */
export interface SequencedEvent {
  seq: number;
  event: EventRecord;
}

export interface EventStore {
  /** Stores a batch atomically: either all of it is stored or none of it. Idempotent by id. */
  insert(events: readonly EventRecord[], quarantine: readonly QuarantineRecord[]): InsertResult;
  /** Events ordered by time (ts_ms, then id). */
  events(query?: EventQuery): EventRecord[];
  /** Calls `visit` for every event ordered by session, then time; for learning at scale. */
  forEachEvent(visit: (event: EventRecord) => void, options?: { lean?: boolean }): void;
  sessions(): SessionSummary[];
  testRuns(query?: { session_id?: string }): TestRunRow[];
  quarantine(limit?: number): QuarantineRecord[];
  counts(): StoreCounts;
  /** Deletes whole sessions whose last event is older than `before_ms`, and older quarantine rows. */
  pruneBefore(before_ms: number): PruneResult;
  /** Deletes the oldest sessions until at most `keep_fraction` of the events remain. */
  pruneOldest(keep_fraction: number): PruneResult;
  /** Bytes the stored data takes (pages in use for SQLite). */
  sizeBytes(): number;
  /** Gives freed space back to the file system. */
  compact(): void;
  /**
   * Up to `limit` events stored after sequence number `seq`, in the order they were stored (full
   * payloads): what a shipper that remembers the last `seq` it sent has not sent yet. Sequence numbers
   * grow; one may be reused only after the newest stored rows were deleted (idAtSeq tells).
   */
  eventsAfter(seq: number, limit: number): SequencedEvent[];
  /** The id of the event stored at sequence number `seq`, or null when none is (any more). */
  idAtSeq(seq: number): string | null;
  getMeta(key: string): string | null;
  setMeta(key: string, value: string): void;
  close(): void;
}
