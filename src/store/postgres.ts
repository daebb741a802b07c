// PostgreSQL adapter of the async store port: the shared store a team's machines ship their
// redacted events to, and the org-wide learner reads. `pg` is loaded only when a store is opened,
// so the commands that never use one do not pay for it (and the hooks never load it).
// Batches are one transaction each; inserts are idempotent by id (ON CONFLICT DO NOTHING), so a
// batch sent twice after a crash or a lost reply is stored once. Reads that stream (forEachEvent)
// use a server-side cursor, a bounded batch at a time.
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import type { EventRecord, QuarantineRecord } from '../core/types.js';
import type { AsyncEventStore, StreamOptions } from './async-port.js';
import type { EventQuery, InsertResult, PruneResult, SessionSummary, StoreCounts, TestRunRow } from './port.js';
import { MIGRATION_LOCK, PG_MIGRATIONS } from './postgres-schema.js';
import { EVENT_COLUMNS, FULL_COLUMNS, LEAN_COLUMNS, oldestSessionsToDrop, recordToRow, rowToRecord, type EventRow } from './rows.js';

/** Where shipped rows came from; stored with each row this store inserts. */
export interface RowOrigin {
  machine_id: string | null;
  team: string | null;
}

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  origin?: RowOrigin;
  /** connections in the pool (a streaming read holds one) */
  maxConnections?: number;
  /** give up connecting after this long */
  connectTimeoutMs?: number;
  /** give up on one query after this long (client side), so a dead server cannot hang a caller */
  queryTimeoutMs?: number;
}

export interface PostgresEventStore extends AsyncEventStore {
  /** as AsyncEventStore's, and `team`: only rows shipped with that team label */
  forEachEvent(visit: (event: EventRecord) => void | Promise<void>, options?: StreamOptions & { team?: string }): Promise<void>;
}

/** Rows fetched per round trip of a streaming read. */
const FETCH_ROWS = 2000;
const INT8_OID = 20;

/** Opens the pool and brings the schema up to date (concurrent openers wait on an advisory lock). */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresEventStore> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    query_timeout: options.queryTimeoutMs,
    application_name: 'agentops-meta',
    // COUNT(*) and BIGINT columns arrive as strings by default; every one of ours fits a double.
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format as 'text'))) as never },
  });
  // An idle connection the server drops (a restart) emits 'error' on the pool; unhandled it would
  // end the process. The pool discards that connection and the next query opens a new one.
  pool.on('error', () => undefined);
  try {
    await migrate(pool);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  return new PostgresStore(pool, options.origin ?? { machine_id: null, team: null });
}

/**
 * A pooled connection for `fn`. A connection the server drops while it is checked out emits 'error'
 * (unhandled, that ends the process); here the query in flight fails instead, and the broken
 * connection is destroyed rather than returned to the pool.
 */
async function withClient<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  let broken: unknown = undefined;
  try {
    return await fn(client);
  } catch (e) {
    broken = e;
    throw e;
  } finally {
    client.off('error', ignore);
    client.release(broken instanceof Error ? broken : undefined);
  }
}

async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  });
}

async function migrate(pool: Pool): Promise<void> {
  await inTransaction(pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await db.query('CREATE TABLE IF NOT EXISTS agentops_schema (version INTEGER NOT NULL)');
    const found = (await db.query<{ version: number }>('SELECT version FROM agentops_schema')).rows[0];
    if (!found) await db.query('INSERT INTO agentops_schema (version) VALUES (0)');
    const current = found?.version ?? 0;
    if (current > PG_MIGRATIONS.length) {
      throw new Error(`shared store schema version ${current} is newer than this agentops-meta (${PG_MIGRATIONS.length}); upgrade agentops-meta`);
    }
    for (let v = current; v < PG_MIGRATIONS.length; v++) await db.query(PG_MIGRATIONS[v]!);
    await db.query('UPDATE agentops_schema SET version = $1', [PG_MIGRATIONS.length]);
  });
}

const INSERT_QUARANTINE = `INSERT INTO quarantine (id, ts_ms, event, reason, size, raw)
  SELECT * FROM unnest($1::text[], $2::float8[], $3::text[], $4::text[], $5::int8[], $6::text[])
  ON CONFLICT (id) DO NOTHING`;

/**
 * A value in COPY's text format: \N for NULL; backslash, newline, carriage return and tab escaped
 * (most values have none, and skip the replace).
 */
function copyValue(v: string | number | null): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  return COPY_SPECIAL.test(v) ? v.replace(COPY_SPECIALS, (c) => COPY_ESCAPE[c]!) : v;
}
const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIALS = /[\\\n\r\t]/g;
const COPY_ESCAPE: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Rows as COPY text: a line per row, columns in EVENT_COLUMNS order then machine_id and team. */
export function copyText(rows: readonly EventRow[], origin: RowOrigin): string {
  const tail = `\t${copyValue(origin.machine_id)}\t${copyValue(origin.team)}\n`;
  const lines = rows.map((r) => EVENT_COLUMNS.map((c) => copyValue(r[c])).join('\t') + tail);
  return lines.join('');
}

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * COPY … FROM STDIN with pg alone (no pg-copy-streams): a query object pg runs as it runs its own
 * (its "submittable" interface): sends the statement, answers the server's CopyInResponse with the
 * data, and settles at the next ReadyForQuery, or at the first error (a server error, or the
 * connection lost, which pg reports to the active query).
 */
class CopyIn {
  private settled = false;
  constructor(
    private readonly text: string,
    private readonly data: Buffer,
    /** called once, when it is done; pg wraps it (its query_timeout timer is cleared by the wrapper) */
    public callback: (e: Error | null) => void,
  ) {}
  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: CopyConnection): void {
    // in pieces: one protocol message per 1 MB rather than one for the whole batch
    for (let i = 0; i < this.data.length; i += 1 << 20) connection.sendCopyFromChunk(this.data.subarray(i, i + (1 << 20)));
    connection.endCopyFrom();
  }
  handleError(e: Error): void {
    this.finish(e);
  }
  handleReadyForQuery(): void {
    this.finish(null);
  }
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
  private finish(e: Error | null): void {
    if (this.settled) return;
    this.settled = true;
    this.callback(e);
  }
}

function copyIn(client: PoolClient, sql: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => void client.query(new CopyIn(sql, data, (e) => (e ? reject(e) : resolve())) as never));
}

/**
 * A shipper's batch: COPY into a temporary table of the connection, then one INSERT … SELECT from
 * it, all in one transaction. A backfilled call whose tool_use_id the hooks already captured is the
 * same call (port.ts): it is skipped, as the other adapters do. COPY costs the server about a third
 * less than rows parsed from JSON or from array literals (unnest), and the server is a shipper's
 * larger cost; its text format is also cheap to build (most values need no escaping).
 */
const INBOX = 'agentops_inbox';
const OPEN_INBOX = `BEGIN; CREATE TEMP TABLE IF NOT EXISTS ${INBOX} (LIKE events) ON COMMIT DELETE ROWS`;
const COPY_INBOX = `COPY ${INBOX} (${FULL_COLUMNS}, machine_id, team) FROM STDIN`;
const DRAIN_NEW = `INSERT INTO events (${FULL_COLUMNS}, machine_id, team)
  SELECT ${FULL_COLUMNS}, machine_id, team FROM ${INBOX} u
  WHERE NOT (u.source = 'backfill' AND u.tool_use_id IS NOT NULL
             AND EXISTS (SELECT 1 FROM events s WHERE s.tool_use_id = u.tool_use_id AND s.event = u.event))`;
/**
 * A batch is nearly always new: it is first moved without ON CONFLICT, whose speculative insertion
 * costs the server about a quarter of a row's price. Only when an id is there already (a batch sent
 * again after a crash, or by a second shipper) does that fail (unique_violation); then the whole
 * transaction is rolled back and done again with it.
 */
const DRAIN_INBOX = `${DRAIN_NEW} ON CONFLICT (id) DO NOTHING`;
const UNIQUE_VIOLATION = '23505';

/** The sessions whose project matches a --project name, as a SQL condition on session_id ($n is the name). */
const projectClause = (n: number) =>
  `session_id IN (SELECT session_id FROM events GROUP BY session_id
     HAVING MAX(project) = $${n} OR right(MAX(project), length($${n}) + 1) = '/' || $${n})`;

class PostgresStore implements PostgresEventStore {
  constructor(
    private readonly pool: Pool,
    private readonly origin: RowOrigin,
  ) {}

  private async rows<T extends QueryResultRow>(sql: string, args: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(sql, args)).rows;
  }

  async insert(events: readonly EventRecord[], quarantine: readonly QuarantineRecord[]): Promise<InsertResult> {
    // Within one statement DRAIN_INBOX's EXISTS does not see the batch's own rows: a backfilled call
    // after the same call earlier in the batch is dropped here instead, as a sequential insert would.
    const seen = new Set<string>();
    const keep: EventRecord[] = [];
    for (const e of events) {
      const key = e.tool_use_id ? `${e.tool_use_id}\u0000${e.event}` : null;
      if (key !== null && e.source === 'backfill' && seen.has(key)) continue;
      if (key !== null) seen.add(key);
      keep.push(e);
    }
    const q = quarantine;
    const data = keep.length ? Buffer.from(copyText(keep.map(recordToRow), this.origin)) : null;
    try {
      return await this.insertCopied(data, events.length, q, DRAIN_NEW);
    } catch (e) {
      if ((e as { code?: unknown }).code !== UNIQUE_VIOLATION) throw e;
      return this.insertCopied(data, events.length, q, DRAIN_INBOX);
    }
  }

  /**
   * One transaction: the events COPYed into the connection's temporary table and moved from there
   * with `drain`, then the quarantine rows. Events alone (a shipper's batch) take three round trips.
   */
  private insertCopied(data: Buffer | null, sent: number, q: readonly QuarantineRecord[], drain: string): Promise<InsertResult> {
    return withClient(this.pool, async (db) => {
      try {
        await db.query(OPEN_INBOX);
        let inserted = 0;
        if (data) {
          await copyIn(db, COPY_INBOX, data);
          if (!q.length) {
            const [drained] = (await db.query(`${drain}; COMMIT`)) as unknown as QueryResult[];
            inserted = drained!.rowCount ?? 0;
            return { inserted, duplicates: sent - inserted, quarantined: 0 };
          }
          inserted = (await db.query(drain)).rowCount ?? 0;
        }
        const quarantined = q.length
          ? ((await db.query(INSERT_QUARANTINE, [q.map((r) => r.id), q.map((r) => r.ts_ms), q.map((r) => r.event), q.map((r) => r.reason), q.map((r) => r.size), q.map((r) => r.raw)])).rowCount ?? 0)
          : 0;
        await db.query('COMMIT');
        return { inserted, duplicates: sent - inserted + (q.length - quarantined), quarantined };
      } catch (e) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  async events(query: EventQuery = {}): Promise<EventRecord[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.session_id !== undefined) where.push(`session_id = $${args.push(query.session_id)}`);
    if (query.since_ms !== undefined) where.push(`ts_ms >= $${args.push(query.since_ms)}`);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const columns = query.lean ? LEAN_COLUMNS : FULL_COLUMNS;
    const sql =
      query.limit !== undefined
        ? `SELECT * FROM (SELECT ${columns} FROM events ${clause} ORDER BY ts_ms DESC, id DESC LIMIT $${args.push(query.limit)}) newest ORDER BY ts_ms, id`
        : `SELECT ${columns} FROM events ${clause} ORDER BY ts_ms, id`;
    return (await this.rows<EventRow>(sql, args)).map(rowToRecord);
  }

  async forEachEvent(visit: (event: EventRecord) => void | Promise<void>, options: StreamOptions & { team?: string } = {}): Promise<void> {
    const where: string[] = [];
    const args: string[] = [];
    if (options.project !== undefined) where.push(projectClause(args.push(options.project)));
    if (options.team !== undefined) where.push(`team = $${args.push(options.team)}`);
    const sql = `SELECT ${options.lean ? LEAN_COLUMNS : FULL_COLUMNS} FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY session_id, ts_ms, id`;
    // A cursor lives in a transaction; REPEATABLE READ gives the whole read one snapshot.
    await withClient(this.pool, async (client) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        await client.query(`DECLARE agentops_stream NO SCROLL CURSOR FOR ${sql}`, args);
        const fetch = (): Promise<QueryResult<EventRow>> => {
          const p = client.query<EventRow>(`FETCH FORWARD ${FETCH_ROWS} FROM agentops_stream`);
          p.catch(() => undefined); // awaited in turn; not unhandled while the rows before it are visited
          return p;
        };
        // One fetch ahead: the server reads and sends the next rows while the visitor works on these.
        let next: Promise<QueryResult<EventRow>> | null = fetch();
        while (next !== null) {
          const { rows }: QueryResult<EventRow> = await next;
          next = rows.length < FETCH_ROWS ? null : fetch();
          for (const row of rows) await visit(rowToRecord(row));
        }
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  async sessions(): Promise<SessionSummary[]> {
    const rows = await this.rows<Omit<SessionSummary, 'last_test_passed'> & { last_test: boolean | null }>(
      `SELECT session_id, MAX(project) AS project, MIN(ts_ms) AS first_ms, MAX(ts_ms) AS last_ms, COUNT(*) AS events,
         COUNT(*) FILTER (WHERE event IN ('PostToolUse', 'PostToolUseFailure')) AS tool_calls,
         COUNT(*) FILTER (WHERE outcome = 'error') AS errors,
         COUNT(*) FILTER (WHERE test IS NOT NULL) AS test_runs,
         COUNT(*) FILTER (WHERE (test::json ->> 'passed')::boolean) AS tests_passed,
         (SELECT (t.test::json ->> 'passed')::boolean FROM events t WHERE t.session_id = e.session_id AND t.test IS NOT NULL
            ORDER BY t.ts_ms DESC, t.id DESC LIMIT 1) AS last_test
       FROM events e GROUP BY session_id ORDER BY first_ms, session_id`,
    );
    return rows.map(({ last_test, ...r }) => ({ ...r, last_test_passed: last_test }));
  }

  async testRuns(query: { session_id?: string } = {}): Promise<TestRunRow[]> {
    const bySession = query.session_id !== undefined;
    const rows = await this.rows<{ id: string; session_id: string; tool_use_id: string | null; ts_ms: number; test: string }>(
      `SELECT id, session_id, tool_use_id, ts_ms, test FROM events WHERE test IS NOT NULL ${bySession ? 'AND session_id = $1' : ''} ORDER BY ts_ms, id`,
      bySession ? [query.session_id] : [],
    );
    return rows.map((r) => ({ ...JSON.parse(r.test), event_id: r.id, session_id: r.session_id, tool_use_id: r.tool_use_id, ts_ms: r.ts_ms }));
  }

  async quarantine(limit = 100): Promise<QuarantineRecord[]> {
    return this.rows<QuarantineRecord>('SELECT id, ts_ms, event, reason, size, raw FROM quarantine ORDER BY ts_ms, id LIMIT $1', [limit]);
  }

  async counts(): Promise<StoreCounts> {
    const [row] = await this.rows<StoreCounts>(
      `SELECT (SELECT COUNT(*) FROM events) AS events, (SELECT COUNT(DISTINCT session_id) FROM events) AS sessions,
         (SELECT COUNT(*) FROM events WHERE test IS NOT NULL) AS test_runs, (SELECT COUNT(*) FROM quarantine) AS quarantined`,
    );
    return row!;
  }

  async pruneBefore(before_ms: number): Promise<PruneResult> {
    return inTransaction(this.pool, async (db) => {
      const sessions = (await db.query<{ session_id: string }>('SELECT session_id FROM events GROUP BY session_id HAVING MAX(ts_ms) < $1', [before_ms])).rows.map((r) => r.session_id);
      const events = (await db.query('DELETE FROM events WHERE session_id = ANY($1::text[])', [sessions])).rowCount ?? 0;
      const quarantined = (await db.query('DELETE FROM quarantine WHERE ts_ms < $1', [before_ms])).rowCount ?? 0;
      return { sessions: sessions.length, events, quarantined };
    });
  }

  async pruneOldest(keep_fraction: number): Promise<PruneResult> {
    return inTransaction(this.pool, async (db) => {
      const order = (await db.query<{ session_id: string; n: number }>('SELECT session_id, COUNT(*) AS n FROM events GROUP BY session_id ORDER BY MAX(ts_ms), session_id')).rows;
      const drop = oldestSessionsToDrop(order, keep_fraction);
      const events = (await db.query('DELETE FROM events WHERE session_id = ANY($1::text[])', [drop])).rowCount ?? 0;
      return { sessions: drop.length, events, quarantined: 0 };
    });
  }

  async sizeBytes(): Promise<number> {
    const [row] = await this.rows<{ n: number }>(
      `SELECT (pg_total_relation_size('events') + pg_total_relation_size('quarantine') + pg_total_relation_size('meta'))::int8 AS n`,
    );
    return row!.n;
  }

  async compact(): Promise<void> {
    await this.pool.query('VACUUM events, quarantine, meta');
  }

  async getMeta(key: string): Promise<string | null> {
    return (await this.rows<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]))[0]?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
