// SQLite adapter of the store port (better-sqlite3): WAL, a busy timeout instead of "database is
// locked" failures, schema migrations by PRAGMA user_version, one transaction per batch.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EventRecord, QuarantineRecord } from '../core/types.js';
import { type EventQuery, type EventStore, type InsertResult, type PruneResult, type SequencedEvent, type SessionSummary, type StoreCounts, type TestRunRow } from './port.js';
import { MIGRATIONS } from './schema.js';
import { EVENT_COLUMNS, FULL_COLUMNS, LEAN_COLUMNS, oldestSessionsToDrop, recordToRow, rowFromValues, rowToRecord, rowValues, type EventRow } from './rows.js';

export interface SqliteStoreOptions {
  /** file path, or ":memory:" */
  file: string;
  readonly?: boolean;
}

export function openSqliteStore(options: SqliteStoreOptions): EventStore {
  if (options.file !== ':memory:' && !options.readonly) {
    fs.mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
  }
  const db = new Database(options.file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    // 16 KiB pages for a new database (SQLite ignores this for an existing one): payloads of a few
    // hundred bytes to a few KiB fit in a page instead of overflowing, which halves the bytes written
    // per event and the file size. Must precede the switch to WAL and the first table.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a killed process loses nothing committed; only power loss can drop the last commits.
    db.pragma('synchronous = NORMAL');
    // Deleted rows (retention, pruning) are overwritten, not left readable in free pages.
    db.pragma('secure_delete = ON');
    migrate(db);
    if (options.file !== ':memory:') fs.chmodSync(options.file, 0o600);
  }
  return new SqliteStore(db);
}

const PAGE_SIZE = 16384;

/** SQLite's own words for a file that is not a usable database. */
export function isCorruptionError(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'));
}

/**
 * Opens the store; a database file SQLite cannot read (corrupted, or not a database) is moved aside
 * as `<file>.corrupt-<time>` with its WAL, and a new one is created, so capture carries on. The spool
 * is untouched: nothing not yet ingested is lost. `doctor` reports the moved file.
 */
export function openSqliteStoreRecovering(file: string, now = Date.now()): { store: EventStore; movedAside: string | null } {
  try {
    return { store: openSqliteStore({ file }), movedAside: null };
  } catch (e) {
    if (!isCorruptionError(e)) throw e;
    const aside = `${file}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(file, aside);
    for (const ext of ['-wal', '-shm']) if (fs.existsSync(file + ext)) fs.renameSync(file + ext, aside + ext);
    const store = openSqliteStore({ file });
    store.setMeta('moved_aside', aside);
    return { store, movedAside: aside };
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this agentops-meta (${MIGRATIONS.length}); upgrade agentops-meta`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

class SqliteStore implements EventStore {
  private readonly insertEvent: Database.Statement;
  private readonly insertQuarantine: Database.Statement;
  private readonly seenCall: Database.Statement;
  private readonly insertBatch: (events: readonly EventRecord[], quarantine: readonly QuarantineRecord[]) => InsertResult;

  constructor(private readonly db: Database.Database) {
    // Positional parameters: a third faster than named ones on the ingest hot path.
    this.insertEvent = db.prepare(`INSERT OR IGNORE INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`);
    this.insertQuarantine = db.prepare(
      'INSERT OR IGNORE INTO quarantine (id, ts_ms, event, reason, size, raw) VALUES (@id, @ts_ms, @event, @reason, @size, @raw)',
    );
    this.seenCall = db.prepare('SELECT 1 FROM events WHERE tool_use_id = ? AND event = ? LIMIT 1');
    this.insertBatch = db.transaction((events: readonly EventRecord[], quarantine: readonly QuarantineRecord[]) => {
      const result: InsertResult = { inserted: 0, duplicates: 0, quarantined: 0 };
      for (const e of events) {
        // A backfilled call that the hooks already captured live is the same call: keep the live one.
        if (e.source === 'backfill' && e.tool_use_id && this.seenCall.get(e.tool_use_id, e.event)) {
          result.duplicates++;
          continue;
        }
        if (this.insertEvent.run(...rowValues(recordToRow(e))).changes > 0) result.inserted++;
        else result.duplicates++;
      }
      for (const q of quarantine) {
        if (this.insertQuarantine.run(q).changes > 0) result.quarantined++;
        else result.duplicates++;
      }
      return result;
    });
  }

  insert(events: readonly EventRecord[], quarantine: readonly QuarantineRecord[]): InsertResult {
    return this.insertBatch(events, quarantine);
  }

  events(query: EventQuery = {}): EventRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.session_id !== undefined) {
      where.push('session_id = ?');
      args.push(query.session_id);
    }
    if (query.since_ms !== undefined) {
      where.push('ts_ms >= ?');
      args.push(query.since_ms);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const columns = query.lean ? LEAN_COLUMNS : '*';
    const rows =
      query.limit !== undefined
        ? (this.db
            .prepare(`SELECT * FROM (SELECT ${columns} FROM events ${clause} ORDER BY ts_ms DESC, id DESC LIMIT ?) ORDER BY ts_ms, id`)
            .all(...args, query.limit) as EventRow[])
        : (this.db.prepare(`SELECT ${columns} FROM events ${clause} ORDER BY ts_ms, id`).all(...args) as EventRow[]);
    return rows.map(rowToRecord);
  }

  forEachEvent(visit: (event: EventRecord) => void, options: { lean?: boolean } = {}): void {
    for (const row of this.db.prepare(`SELECT ${options.lean ? LEAN_COLUMNS : '*'} FROM events ORDER BY session_id, ts_ms, id`).iterate()) {
      visit(rowToRecord(row as EventRow));
    }
  }

  sessions(): SessionSummary[] {
    const rows = this.db
      .prepare(
        `SELECT session_id, MAX(project) AS project, MIN(ts_ms) AS first_ms, MAX(ts_ms) AS last_ms, COUNT(*) AS events,
           TOTAL(event IN ('PostToolUse', 'PostToolUseFailure')) AS tool_calls,
           TOTAL(outcome = 'error') AS errors,
           TOTAL(test IS NOT NULL) AS test_runs,
           TOTAL(json_extract(test, '$.passed') = 1) AS tests_passed,
           (SELECT json_extract(t.test, '$.passed') FROM events t WHERE t.session_id = e.session_id AND t.test IS NOT NULL
              ORDER BY t.ts_ms DESC, t.id DESC LIMIT 1) AS last_test
         FROM events e GROUP BY session_id ORDER BY first_ms, session_id`,
      )
      .all() as (Omit<SessionSummary, 'last_test_passed'> & { last_test: number | null })[];
    return rows.map(({ last_test, ...r }) => ({ ...r, last_test_passed: last_test === null ? null : last_test === 1 }));
  }

  testRuns(query: { session_id?: string } = {}): TestRunRow[] {
    const rows = (
      query.session_id === undefined
        ? this.db.prepare('SELECT id, session_id, tool_use_id, ts_ms, test FROM events WHERE test IS NOT NULL ORDER BY ts_ms, id').all()
        : this.db
            .prepare('SELECT id, session_id, tool_use_id, ts_ms, test FROM events WHERE test IS NOT NULL AND session_id = ? ORDER BY ts_ms, id')
            .all(query.session_id)
    ) as { id: string; session_id: string; tool_use_id: string | null; ts_ms: number; test: string }[];
    return rows.map((r) => ({ ...JSON.parse(r.test), event_id: r.id, session_id: r.session_id, tool_use_id: r.tool_use_id, ts_ms: r.ts_ms }));
  }

  quarantine(limit = 100): QuarantineRecord[] {
    return this.db.prepare('SELECT id, ts_ms, event, reason, size, raw FROM quarantine ORDER BY ts_ms, id LIMIT ?').all(limit) as QuarantineRecord[];
  }

  counts(): StoreCounts {
    return this.db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM events) AS events, (SELECT COUNT(DISTINCT session_id) FROM events) AS sessions,
           (SELECT COUNT(*) FROM events WHERE test IS NOT NULL) AS test_runs, (SELECT COUNT(*) FROM quarantine) AS quarantined`,
      )
      .get() as StoreCounts;
  }

  pruneBefore(before_ms: number): PruneResult {
    return this.db.transaction(() => {
      const sessions = this.db
        .prepare('SELECT session_id FROM events GROUP BY session_id HAVING MAX(ts_ms) < ?')
        .pluck()
        .all(before_ms) as string[];
      return { sessions: sessions.length, events: this.deleteSessions(sessions), quarantined: this.db.prepare('DELETE FROM quarantine WHERE ts_ms < ?').run(before_ms).changes };
    })();
  }

  pruneOldest(keep_fraction: number): PruneResult {
    return this.db.transaction(() => {
      const order = this.db.prepare('SELECT session_id, COUNT(*) AS n FROM events GROUP BY session_id ORDER BY MAX(ts_ms), session_id').all() as { session_id: string; n: number }[];
      const drop = oldestSessionsToDrop(order, keep_fraction);
      return { sessions: drop.length, events: this.deleteSessions(drop), quarantined: 0 };
    })();
  }

  private deleteSessions(ids: readonly string[]): number {
    const del = this.db.prepare('DELETE FROM events WHERE session_id = ?');
    let n = 0;
    for (const id of ids) n += del.run(id).changes;
    return n;
  }

  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * (this.db.pragma('page_size', { simple: true }) as number);
  }

  compact(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.exec('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  eventsAfter(seq: number, limit: number): SequencedEvent[] {
    // rowid is the stored order: SQLite gives a new row the largest rowid so far plus one.
    // Read as arrays (a shipper reads the whole store this way: objects of 22 columns cost twice as much).
    const rows = this.db.prepare(`SELECT rowid, ${FULL_COLUMNS} FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?`).raw().all(seq, limit) as unknown[][];
    return rows.map((v) => ({ seq: v[0] as number, event: rowToRecord(rowFromValues(v, 1)) }));
  }

  idAtSeq(seq: number): string | null {
    return (this.db.prepare('SELECT id FROM events WHERE rowid = ?').pluck().get(seq) as string | undefined) ?? null;
  }

  getMeta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  close(): void {
    this.db.close();
  }
}
