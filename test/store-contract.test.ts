// One contract, every store adapter: what the rest of the program may rely on. The synchronous
// adapters (memory, SQLite) are held to it through asAsync, the PostgreSQL one directly, against a
// throwaway server (test/helpers/postgres.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asAsync, type AsyncEventStore } from '../src/store/async-port.js';
import type { EventRecord, QuarantineRecord } from '../src/core/types.js';
import { openMemoryStore } from '../src/store/memory.js';
import type { EventStore } from '../src/store/port.js';
import { openPostgresStore } from '../src/store/postgres.js';
import { PG_MIGRATIONS } from '../src/store/postgres-schema.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { describeWithPostgres } from './helpers/postgres.js';

function event(over: Partial<EventRecord> & { id: string }): EventRecord {
  return {
    session_id: 's1',
    event: 'PostToolUse',
    ts: new Date(over.ts_ms ?? 1000).toISOString(),
    ts_ms: 1000,
    tool_name: 'Read',
    tool_use_id: null,
    actor: { kind: 'tool', name: 'Read', plugin: null, server: null },
    outcome: 'ok',
    duration_ms: 12,
    agent_id: null,
    agent_type: null,
    prompt_id: null,
    cwd: '/p',
    project: '/p',
    bash_kind: null,
    test: null,
    source: 'hook',
    payload: '{}',
    ...over,
  };
}

const quarantined = (id: string): QuarantineRecord => ({ id, ts_ms: 5, event: null, reason: 'invalid JSON', size: 3, raw: '{{{' });

const tmpDirs: string[] = [];
const opened: AsyncEventStore[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close().catch(() => undefined);
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Every store a test opens is closed after it (a second close is harmless). */
const tracked = <T extends AsyncEventStore>(store: T): T => (opened.push(store), store);

function sqliteFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-store-'));
  tmpDirs.push(dir);
  return path.join(dir, 'db', 'agentops.db');
}

const syncAdapters: [string, () => EventStore][] = [
  ['memory', () => openMemoryStore()],
  ['sqlite', () => openSqliteStore({ file: sqliteFile() })],
];

function contract(open: () => Promise<AsyncEventStore>): void {
  it('round-trips every field of an event', async () => {
    const store = await open();
    const e = event({
      id: 'a',
      tool_use_id: 'toolu_1',
      actor: { kind: 'mcp', name: 'create_issue', plugin: 'gh', server: 'github' },
      agent_id: 'ag1',
      agent_type: 'code-reviewer',
      prompt_id: 'p1',
      bash_kind: 'test',
      test: { runner: 'vitest', passed: false, counts: { passed: 3, failed: 1, skipped: null, total: 4 } },
      outcome: 'error',
      duration_ms: 1.5,
      payload: '{"x":1}',
    });
    await store.insert([e], []);
    expect(await store.events()).toEqual([e]);
    await store.close();
  });

  it('round-trips strings that need quoting, and the string "NULL"', async () => {
    const store = await open();
    const nasty = ['NULL', 'a "quoted" \\ back\\slash', '{braces},commas', "it's", 'ünï ☃ 𝄞', '', ' spaced '];
    const events = nasty.map((text, i) => event({ id: `n${i}`, ts_ms: i, tool_name: text, cwd: text, payload: JSON.stringify({ text }) }));
    await store.insert(events, []);
    expect(await store.events()).toEqual(events);
  });

  it('round-trips control characters and backslashes (the COPY text format escapes them), in batches of one and more', async () => {
    const store = await open();
    const texts = ['tab\tnew\nline\r\u0001', 'C:\\ud800\\x', '{"a":"\\udfff"}'];
    const events = texts.map((text, i) => event({ id: `c${i}`, ts_ms: i, tool_name: text, project: text, payload: JSON.stringify({ text }) }));
    await store.insert(events.slice(0, 1), []);
    await store.insert(events.slice(1), []);
    expect(await store.events()).toEqual(events);
  });

  it('is idempotent by id and counts duplicates', async () => {
    const store = await open();
    expect(await store.insert([event({ id: 'a' }), event({ id: 'b' })], [quarantined('q')])).toEqual({ inserted: 2, duplicates: 0, quarantined: 1 });
    expect(await store.insert([event({ id: 'a' }), event({ id: 'c' })], [quarantined('q')])).toEqual({ inserted: 1, duplicates: 2, quarantined: 0 });
    expect(await store.counts()).toEqual({ events: 3, sessions: 1, test_runs: 0, quarantined: 1 });
  });

  it('skips a backfilled call already captured by the hooks, but not a different event of it', async () => {
    const store = await open();
    await store.insert([event({ id: 'hook1', tool_use_id: 'toolu_9', event: 'PostToolUse' })], []);
    const r = await store.insert(
      [
        event({ id: 'bf1', tool_use_id: 'toolu_9', event: 'PostToolUse', source: 'backfill' }),
        event({ id: 'bf2', tool_use_id: 'toolu_9', event: 'PreToolUse', source: 'backfill' }),
      ],
      [],
    );
    expect(r).toEqual({ inserted: 1, duplicates: 1, quarantined: 0 });
    expect((await store.events()).map((e) => e.id)).toEqual(['bf2', 'hook1']);
  });

  it('orders events by time then id, filters by session, since and newest-N limit', async () => {
    const store = await open();
    await store.insert(
      [event({ id: 'c', ts_ms: 3 }), event({ id: 'a', ts_ms: 1 }), event({ id: 'b2', ts_ms: 2 }), event({ id: 'b1', ts_ms: 2 }), event({ id: 'x', ts_ms: 2, session_id: 's2' })],
      [],
    );
    expect((await store.events()).map((e) => e.id)).toEqual(['a', 'b1', 'b2', 'x', 'c']);
    expect((await store.events({ session_id: 's1' })).map((e) => e.id)).toEqual(['a', 'b1', 'b2', 'c']);
    expect((await store.events({ since_ms: 2, session_id: 's1' })).map((e) => e.id)).toEqual(['b1', 'b2', 'c']);
    expect((await store.events({ limit: 2 })).map((e) => e.id)).toEqual(['x', 'c']);
    const visited: string[] = [];
    await store.forEachEvent((e) => void visited.push(`${e.session_id}/${e.id}`));
    expect(visited).toEqual(['s1/a', 's1/b1', 's1/b2', 's1/c', 's2/x']);
  });

  it('summarises sessions and test runs', async () => {
    const store = await open();
    const pass = { runner: 'pytest', passed: true, counts: { passed: 2, failed: 0, skipped: 0, total: 2 } };
    const fail = { runner: 'pytest', passed: false, counts: { passed: 1, failed: 1, skipped: 0, total: 2 } };
    await store.insert(
      [
        event({ id: 'a', ts_ms: 10, session_id: 's1', test: fail, outcome: 'error', event: 'PostToolUseFailure' }),
        event({ id: 'b', ts_ms: 20, session_id: 's1', test: pass }),
        event({ id: 'c', ts_ms: 30, session_id: 's1', event: 'Stop', actor: null, outcome: null }),
        event({ id: 'd', ts_ms: 15, session_id: 's2', project: null }),
      ],
      [],
    );
    expect(await store.sessions()).toEqual([
      { session_id: 's1', project: '/p', first_ms: 10, last_ms: 30, events: 3, tool_calls: 2, errors: 1, test_runs: 2, tests_passed: 1, last_test_passed: true },
      { session_id: 's2', project: null, first_ms: 15, last_ms: 15, events: 1, tool_calls: 1, errors: 0, test_runs: 0, tests_passed: 0, last_test_passed: null },
    ]);
    expect(await store.testRuns({ session_id: 's1' })).toEqual([
      { ...fail, event_id: 'a', session_id: 's1', tool_use_id: null, ts_ms: 10 },
      { ...pass, event_id: 'b', session_id: 's1', tool_use_id: null, ts_ms: 20 },
    ]);
    expect(await store.testRuns({ session_id: 'nope' })).toEqual([]);
  });

  it('a lean read keeps payloads only where the learner reads them', async () => {
    const store = await open();
    await store.insert(
      [
        event({ id: 'a', event: 'UserPromptSubmit', tool_name: null, actor: null, payload: '{"prompt":"p"}' }),
        event({ id: 'b', event: 'PostToolUse', tool_use_id: 'toolu_1', payload: '{"big":1}' }),
        event({ id: 'c', event: 'PostToolUse', tool_use_id: null, payload: '{"tool_input":{}}' }),
        event({ id: 'd', event: 'AgentopsInjection', tool_name: null, actor: null, payload: '{"ids":[]}' }),
      ],
      [],
    );
    expect((await store.events({ lean: true })).map((e) => e.payload)).toEqual(['{"prompt":"p"}', '{}', '{"tool_input":{}}', '{"ids":[]}']);
    expect((await store.events()).map((e) => e.payload)[1]).toBe('{"big":1}');
  });

  it('keeps quarantined payloads and meta values', async () => {
    const store = await open();
    await store.insert([], [quarantined('q2'), { ...quarantined('q1'), ts_ms: 1 }]);
    expect((await store.quarantine()).map((q) => q.id)).toEqual(['q1', 'q2']);
    expect(await store.quarantine(1)).toHaveLength(1);
    expect(await store.getMeta('k')).toBeNull();
    await store.setMeta('k', 'v1');
    await store.setMeta('k', 'v2');
    expect(await store.getMeta('k')).toBe('v2');
  });

  it('returns copies: changing a returned event does not change the store', async () => {
    const store = await open();
    await store.insert([event({ id: 'a' })], []);
    const [first] = await store.events();
    first!.actor!.name = 'changed';
    expect((await store.events())[0]!.actor!.name).toBe('Read');
  });

  it('prunes whole sessions by age, and the oldest sessions down to a share', async () => {
    const store = await open();
    await store.insert(
      [event({ id: 'a1', ts_ms: 10, session_id: 'old' }), event({ id: 'a2', ts_ms: 50, session_id: 'old' }), event({ id: 'b1', ts_ms: 40, session_id: 'mid' }), event({ id: 'c1', ts_ms: 90, session_id: 'new' }), event({ id: 'c2', ts_ms: 95, session_id: 'new' })],
      [{ ...quarantined('q'), ts_ms: 5 }],
    );
    // 'old' ends at 50: not before 45, so only 'mid' goes
    expect(await store.pruneBefore(45)).toEqual({ sessions: 1, events: 1, quarantined: 1 });
    expect((await store.sessions()).map((s) => s.session_id)).toEqual(['old', 'new']);
    expect(await store.pruneOldest(0.5)).toEqual({ sessions: 1, events: 2, quarantined: 0 });
    expect((await store.events()).map((e) => e.id)).toEqual(['c1', 'c2']);
    expect(await store.sizeBytes()).toBeGreaterThan(0);
    await store.compact();
    expect((await store.counts()).events).toBe(2);
  });

  it('streams one project by folder or by its last segment, lean when asked', async () => {
    const store = await open();
    await store.insert(
      [
        event({ id: 'a', session_id: 's1', project: '/home/ann/code/shop', tool_use_id: 't1', payload: '{"big":1}' }),
        event({ id: 'b', session_id: 's1', project: null, event: 'UserPromptSubmit', tool_name: null, actor: null, payload: '{"prompt":"p"}' }),
        event({ id: 'c', session_id: 's2', project: '/Users/bob/shop' }),
        event({ id: 'd', session_id: 's3', project: '/home/ann/code/myshop' }),
      ],
      [],
    );
    const seen: string[] = [];
    await store.forEachEvent((e) => void seen.push(`${e.id}:${e.payload}`), { project: 'shop', lean: true });
    expect(seen).toEqual(['a:{}', 'b:{"prompt":"p"}', 'c:{}']);
    seen.length = 0;
    await store.forEachEvent(async (e) => void seen.push(e.id), { project: '/home/ann/code/myshop' });
    expect(seen).toEqual(['d']);
  });
}

describe.each(syncAdapters)('store contract: %s', (_name, openSync) => contract(async () => tracked(asAsync(openSync()))));

describeWithPostgres('store contract: postgres', (server) => contract(async () => tracked(await openPostgresStore({ url: await server().freshDatabase() }))));

describe.each(syncAdapters)('stored order (shipping): %s', (_name, openSync) => {
  it('lists events after a sequence number in the order they were stored, and tells which id a number holds', () => {
    const store = openSync();
    store.insert([event({ id: 'z', ts_ms: 5 }), event({ id: 'a', ts_ms: 9 })], []);
    store.insert([event({ id: 'm', ts_ms: 1 }), event({ id: 'z' })], []);
    const all = store.eventsAfter(0, 10);
    expect(all.map((s) => s.event.id)).toEqual(['z', 'a', 'm']);
    expect(all[0]!.event).toEqual(event({ id: 'z', ts_ms: 5 }));
    expect(store.eventsAfter(all[0]!.seq, 1).map((s) => s.event.id)).toEqual(['a']);
    expect(store.eventsAfter(all[2]!.seq, 10)).toEqual([]);
    expect(store.idAtSeq(all[1]!.seq)).toBe('a');
    store.pruneBefore(100);
    expect(store.idAtSeq(all[1]!.seq)).toBeNull();
    store.close();
  });
});

describeWithPostgres('postgres store specifics', (server) => {
  it('migrates once under concurrent openers, records the version, and refuses a newer schema', async () => {
    const url = await server().freshDatabase();
    const stores = await Promise.all(Array.from({ length: 6 }, () => openPostgresStore({ url })));
    await stores[0]!.insert([event({ id: 'a' })], []);
    for (const s of stores) expect((await s.counts()).events).toBe(1);
    await Promise.all(stores.map((s) => s.close()));
    const { default: pg } = await import('pg');
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    expect((await raw.query('SELECT version FROM agentops_schema')).rows).toEqual([{ version: PG_MIGRATIONS.length }]);
    await raw.query('UPDATE agentops_schema SET version = 999');
    await raw.end();
    await expect(openPostgresStore({ url })).rejects.toThrow(/newer than this agentops-meta/);
  });

  it('stores a batch sent by two shippers at the same time once: the second finds the ids taken and moves it again, idempotently', async () => {
    const url = await server().freshDatabase();
    const ann = tracked(await openPostgresStore({ url }));
    const bob = tracked(await openPostgresStore({ url }));
    const batch = Array.from({ length: 3000 }, (_, i) => event({ id: `t${String(i).padStart(5, '0')}`, session_id: `s${i % 5}`, ts_ms: i }));
    await ann.insert([batch[1500]!], []); // one id of the batch is there already, as after a crash
    const results = await Promise.all([ann.insert(batch, []), bob.insert(batch, [])]);
    expect(results.map((r) => r.inserted).sort((a, b) => a - b)).toEqual([0, 2999]);
    expect(results.map((r) => r.duplicates).sort((a, b) => a - b)).toEqual([1, 3000]);
    expect(await ann.counts()).toMatchObject({ events: 3000, sessions: 5 });
  });

  it('stores where each row came from, streams one team, and streams past several fetches (2000 rows each, one ahead), ending on a full one', async () => {
    const url = await server().freshDatabase();
    const ann = tracked(await openPostgresStore({ url, origin: { machine_id: 'm-ann', team: 'web' } }));
    const bob = tracked(await openPostgresStore({ url, origin: { machine_id: 'm-bob', team: 'data' } }));
    const many = Array.from({ length: 10_000 }, (_, i) => event({ id: `w${String(i).padStart(5, '0')}`, session_id: `s${i % 7}`, ts_ms: i }));
    expect((await ann.insert(many, [])).inserted).toBe(10_000);
    await bob.insert([event({ id: 'd1', session_id: 'sd' })], []);
    // a second machine shipping the same rows stores nothing twice and keeps the first origin
    expect(await bob.insert(many.slice(0, 10), [])).toEqual({ inserted: 0, duplicates: 10, quarantined: 0 });
    const seen: string[] = [];
    await ann.forEachEvent((e) => void seen.push(`${e.session_id}/${e.ts_ms}`), { team: 'web' });
    const expected = many.map((e) => ({ s: e.session_id, t: e.ts_ms })).sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : a.t - b.t));
    expect(seen).toEqual(expected.map((e) => `${e.s}/${e.t}`));
    const dataOnly: string[] = [];
    await ann.forEachEvent((e) => void dataOnly.push(e.id), { team: 'data' });
    expect(dataOnly).toEqual(['d1']);
    const { default: pg } = await import('pg');
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    const origins = (await raw.query('SELECT machine_id, team, COUNT(*)::int AS n FROM events GROUP BY 1, 2 ORDER BY 1')).rows;
    await raw.end();
    expect(origins).toEqual([{ machine_id: 'm-ann', team: 'web', n: 10_000 }, { machine_id: 'm-bob', team: 'data', n: 1 }]);
  });
});

describe('sqlite store specifics', () => {
  it('persists across reopen, uses WAL and a private file, and migrates by user_version', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-store-'));
    tmpDirs.push(dir);
    const file = path.join(dir, 'agentops.db');
    const a = openSqliteStore({ file });
    a.insert([event({ id: 'a' })], []);
    a.close();
    const b = openSqliteStore({ file });
    expect(b.counts().events).toBe(1);
    b.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file).subarray(18, 20)).toEqual(Buffer.from([2, 2])); // WAL read/write versions
  });

  it('refuses a database from a newer schema instead of corrupting it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-store-'));
    tmpDirs.push(dir);
    const file = path.join(dir, 'agentops.db');
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openSqliteStore({ file })).toThrow(/newer than this agentops-meta/);
  });
});
