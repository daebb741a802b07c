// Shipping: copies the local store's events, already redacted at ingest, to the shared store.
// Exactly once: the shared store ignores an id it has (ON CONFLICT DO NOTHING), and the local store
// remembers, in its meta table, the stored-order position (EventStore.eventsAfter) of the last batch
// the shared store committed. A crash or a lost reply between the remote commit and that note only
// sends the batch again, which the remote counts as `already`. Failures are retried with capped
// exponential backoff for a bounded time (long enough for a server restart), then left for the next
// run: the cursor never passes a batch that was not committed.
import { redactDeep } from '../core/redact.js';
import type { EventRecord } from '../core/types.js';
import { projectMatches } from '../store/async-port.js';
import type { AsyncEventStore } from '../store/async-port.js';
import type { EventStore } from '../store/port.js';

export interface ShipReport {
  /** newly stored in the shared store */
  shipped: number;
  /** the shared store had them already (a batch sent again after a crash, or another copy of it) */
  already: number;
  /** could not be stored in this run (after the retries); they stay for the next one */
  failed: number;
  /** kept local by store.exclude_projects */
  excluded: number;
  /** why the run stopped early, when it did */
  error: string | null;
}

export interface ShipOptions {
  local: EventStore;
  /** opens the shared store (called again after a failure to open it) */
  openRemote: () => Promise<Pick<AsyncEventStore, 'insert' | 'close'>>;
  /** names the remote in the local meta, so each shared store has its own cursor (no credentials in it) */
  remoteKey: string;
  excludeProjects?: readonly string[];
  /** longest string kept when payloads pass the redactor again (privacy.max_field_chars) */
  maxFieldChars?: number;
  batchSize?: number;
  /** tries per batch, the first included (default: as many as retryForMs allows) */
  maxAttempts?: number;
  /**
   * how long a failing batch is retried, from its first failure (ms, default 60 s): long enough to
   * ride out a server restart; then the run stops and the next one resumes. The time counted is the
   * larger of `now`'s clock and the backoff slept, so a fake clock or sleep still ends it.
   */
  retryForMs?: number;
  /** the first retry waits this long; each next one twice as long, up to maxBackoffMs */
  backoffMs?: number;
  /** the longest wait between two tries (default 2 s: a server back up is found soon) */
  maxBackoffMs?: number;
  /** stop starting new batches after this time (ms, on `now`'s clock); null = until done */
  deadline?: number | null;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Cursor {
  seq: number;
  /** the id stored at `seq` when it was shipped: if it is gone, the newest rows were deleted (see `start`) */
  id: string | null;
}

export const SHIP_CURSOR_PREFIX = 'ship_cursor:';

/** A remote's name for the cursor key and for logs: scheme, host, port and database; never the user or password. */
export function remoteKey(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'postgres://(unparsable url)';
  }
}

function readCursor(local: EventStore, key: string): Cursor {
  try {
    const c = JSON.parse(local.getMeta(SHIP_CURSOR_PREFIX + key) ?? 'null') as Partial<Cursor> | null;
    if (c && typeof c.seq === 'number' && c.seq >= 0) return { seq: c.seq, id: typeof c.id === 'string' ? c.id : null };
  } catch {
    // unreadable: start over, which only costs duplicates the remote ignores
  }
  return { seq: 0, id: null };
}

/**
 * Where to resume. A stored-order number is reused only after the newest rows were deleted (SQLite
 * gives a new row the largest rowid plus one): then rows stored since may sit below the cursor, so
 * the run starts over from the beginning, which is safe because the remote ignores what it has.
 */
function start(local: EventStore, key: string): Cursor {
  const c = readCursor(local, key);
  if (c.seq > 0 && c.id !== null && local.idAtSeq(c.seq) !== c.id) return { seq: 0, id: null };
  return c;
}

/** The payload through the current redactor again: a store written by an older version gets today's rules before it leaves. */
function redactAgain(e: EventRecord, maxFieldChars: number | undefined): EventRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(e.payload);
  } catch {
    return { ...e, payload: '{}' };
  }
  const again = redactDeep(parsed, { maxFieldChars });
  return again === parsed ? e : { ...e, payload: JSON.stringify(again) };
}

/** What one batch sends, read and prepared from the local store (before its insert is awaited). */
interface Prepared {
  send: EventRecord[];
  excluded: number;
  /** the cursor once this batch is committed */
  next: Cursor;
}

/** Yields to the event loop: a query just issued is written to the socket before synchronous work starts. */
const yieldToIo = () => new Promise<void>((r) => setImmediate(r));

export async function shipEvents(options: ShipOptions): Promise<ShipReport> {
  const { local, remoteKey: key } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const batchSize = options.batchSize ?? 5000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? Infinity);
  const retryForMs = options.retryForMs ?? 60_000;
  const maxBackoffMs = options.maxBackoffMs ?? 2_000;
  const exclude = options.excludeProjects ?? [];
  const report: ShipReport = { shipped: 0, already: 0, failed: 0, excluded: 0, error: null };
  const prepare = (after: Cursor): Prepared | null => {
    const batch = local.eventsAfter(after.seq, batchSize);
    if (!batch.length) return null;
    const send: EventRecord[] = [];
    for (const { event } of batch) if (!exclude.some((p) => projectMatches(event.project, p))) send.push(redactAgain(event, options.maxFieldChars));
    const last = batch[batch.length - 1]!;
    return { send, excluded: batch.length - send.length, next: { seq: last.seq, id: last.event.id } };
  };
  let remote: Pick<AsyncEventStore, 'insert' | 'close'> | null = null;
  let cursor = start(local, key);
  let current = prepare(cursor);
  try {
    while (current !== null && (options.deadline == null || now() < options.deadline)) {
      const { send } = current;
      let stored: { inserted: number; duplicates: number } | null = null;
      // The batch after this one, read and redacted while the server stores this one (only read:
      // nothing about it is noted until its own insert commits).
      let following: Prepared | null | undefined;
      let firstFailure: number | null = null;
      let slept = 0;
      for (let attempt = 1; attempt <= maxAttempts && stored === null; attempt++) {
        try {
          remote ??= await options.openRemote();
          const inserting = send.length ? remote.insert(send, []) : Promise.resolve({ inserted: 0, duplicates: 0 });
          if (following === undefined) {
            inserting.catch(() => undefined); // awaited below; not unhandled while the next batch is prepared
            await yieldToIo();
            following = prepare(current.next);
          }
          stored = await inserting;
        } catch (e) {
          report.error = (e as Error).message;
          const t = now();
          firstFailure ??= t;
          // What the budget and the deadline leave: the last wait is cut to it, never past it.
          const left = Math.min(retryForMs - Math.max(t - firstFailure, slept), options.deadline == null ? Infinity : options.deadline - t);
          if (attempt === maxAttempts || left <= 0) break;
          const wait = Math.min(maxBackoffMs, left, (options.backoffMs ?? 250) * 2 ** (attempt - 1));
          slept += wait;
          await sleep(wait);
        }
      }
      if (stored === null) {
        report.failed += send.length;
        break;
      }
      report.error = null;
      report.shipped += stored.inserted;
      report.already += stored.duplicates;
      report.excluded += current.excluded;
      // Only after the remote committed: a crash before this line sends the batch again, never skips it.
      cursor = current.next;
      local.setMeta(SHIP_CURSOR_PREFIX + key, JSON.stringify(cursor));
      current = following === undefined ? prepare(cursor) : following;
    }
  } finally {
    await remote?.close().catch(() => undefined);
  }
  return report;
}
