// One contract, every store adapter: what the rest of the program may rely on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventRecord, QuarantineRecord } from '../src/core/types.js';
import { openMemoryStore } from '../src/store/memory.js';
import type { EventStore } from '../src/store/port.js';
import { openSqliteStore } from '../src/store/sqlite.js';

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
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const adapters: [string, () => EventStore][] = [
  ['memory', () => openMemoryStore()],
  [
    'sqlite',
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-store-'));
      tmpDirs.push(dir);
      return openSqliteStore({ file: path.join(dir, 'db', 'agentops.db') });
    },
  ],
];

describe.each(adapters)('store contract: %s', (_name, open) => {
  it('round-trips every field of an event', () => {
    const store = open();
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
    store.insert([e], []);
    expect(store.events()).toEqual([e]);
    store.close();
  });

  it('is idempotent by id and counts duplicates', () => {
    const store = open();
    expect(store.insert([event({ id: 'a' }), event({ id: 'b' })], [quarantined('q')])).toEqual({ inserted: 2, duplicates: 0, quarantined: 1 });
    expect(store.insert([event({ id: 'a' }), event({ id: 'c' })], [quarantined('q')])).toEqual({ inserted: 1, duplicates: 2, quarantined: 0 });
    expect(store.counts()).toEqual({ events: 3, sessions: 1, test_runs: 0, quarantined: 1 });
  });

  it('skips a backfilled call already captured by the hooks, but not a different event of it', () => {
    const store = open();
    store.insert([event({ id: 'hook1', tool_use_id: 'toolu_9', event: 'PostToolUse' })], []);
    const r = store.insert(
      [
        event({ id: 'bf1', tool_use_id: 'toolu_9', event: 'PostToolUse', source: 'backfill' }),
        event({ id: 'bf2', tool_use_id: 'toolu_9', event: 'PreToolUse', source: 'backfill' }),
      ],
      [],
    );
    expect(r).toEqual({ inserted: 1, duplicates: 1, quarantined: 0 });
    expect(store.events().map((e) => e.id)).toEqual(['bf2', 'hook1']);
  });

  it('orders events by time then id, filters by session, since and newest-N limit', () => {
    const store = open();
    store.insert(
      [event({ id: 'c', ts_ms: 3 }), event({ id: 'a', ts_ms: 1 }), event({ id: 'b2', ts_ms: 2 }), event({ id: 'b1', ts_ms: 2 }), event({ id: 'x', ts_ms: 2, session_id: 's2' })],
      [],
    );
    expect(store.events().map((e) => e.id)).toEqual(['a', 'b1', 'b2', 'x', 'c']);
    expect(store.events({ session_id: 's1' }).map((e) => e.id)).toEqual(['a', 'b1', 'b2', 'c']);
    expect(store.events({ since_ms: 2, session_id: 's1' }).map((e) => e.id)).toEqual(['b1', 'b2', 'c']);
    expect(store.events({ limit: 2 }).map((e) => e.id)).toEqual(['x', 'c']);
    const visited: string[] = [];
    store.forEachEvent((e) => visited.push(`${e.session_id}/${e.id}`));
    expect(visited).toEqual(['s1/a', 's1/b1', 's1/b2', 's1/c', 's2/x']);
  });

  it('summarises sessions and test runs', () => {
    const store = open();
    const pass = { runner: 'pytest', passed: true, counts: { passed: 2, failed: 0, skipped: 0, total: 2 } };
    const fail = { runner: 'pytest', passed: false, counts: { passed: 1, failed: 1, skipped: 0, total: 2 } };
    store.insert(
      [
        event({ id: 'a', ts_ms: 10, session_id: 's1', test: fail, outcome: 'error', event: 'PostToolUseFailure' }),
        event({ id: 'b', ts_ms: 20, session_id: 's1', test: pass }),
        event({ id: 'c', ts_ms: 30, session_id: 's1', event: 'Stop', actor: null, outcome: null }),
        event({ id: 'd', ts_ms: 15, session_id: 's2', project: null }),
      ],
      [],
    );
    expect(store.sessions()).toEqual([
      { session_id: 's1', project: '/p', first_ms: 10, last_ms: 30, events: 3, tool_calls: 2, errors: 1, test_runs: 2, tests_passed: 1, last_test_passed: true },
      { session_id: 's2', project: null, first_ms: 15, last_ms: 15, events: 1, tool_calls: 1, errors: 0, test_runs: 0, tests_passed: 0, last_test_passed: null },
    ]);
    expect(store.testRuns({ session_id: 's1' })).toEqual([
      { ...fail, event_id: 'a', session_id: 's1', tool_use_id: null, ts_ms: 10 },
      { ...pass, event_id: 'b', session_id: 's1', tool_use_id: null, ts_ms: 20 },
    ]);
    expect(store.testRuns({ session_id: 'nope' })).toEqual([]);
  });

  it('a lean read keeps payloads only where the learner reads them', () => {
    const store = open();
    store.insert(
      [
        event({ id: 'a', event: 'UserPromptSubmit', tool_name: null, actor: null, payload: '{"prompt":"p"}' }),
        event({ id: 'b', event: 'PostToolUse', tool_use_id: 'toolu_1', payload: '{"big":1}' }),
        event({ id: 'c', event: 'PostToolUse', tool_use_id: null, payload: '{"tool_input":{}}' }),
        event({ id: 'd', event: 'AgentopsInjection', tool_name: null, actor: null, payload: '{"ids":[]}' }),
      ],
      [],
    );
    expect(store.events({ lean: true }).map((e) => e.payload)).toEqual(['{"prompt":"p"}', '{}', '{"tool_input":{}}', '{"ids":[]}']);
    expect(store.events().map((e) => e.payload)[1]).toBe('{"big":1}');
  });

  it('keeps quarantined payloads and meta values', () => {
    const store = open();
    store.insert([], [quarantined('q2'), { ...quarantined('q1'), ts_ms: 1 }]);
    expect(store.quarantine().map((q) => q.id)).toEqual(['q1', 'q2']);
    expect(store.quarantine(1)).toHaveLength(1);
    expect(store.getMeta('k')).toBeNull();
    store.setMeta('k', 'v1');
    store.setMeta('k', 'v2');
    expect(store.getMeta('k')).toBe('v2');
  });

  it('returns copies: changing a returned event does not change the store', () => {
    const store = open();
    store.insert([event({ id: 'a' })], []);
    const [first] = store.events();
    first!.actor!.name = 'changed';
    expect(store.events()[0]!.actor!.name).toBe('Read');
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
