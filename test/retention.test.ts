import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normalize } from '../src/core/normalize.js';
import type { EventRecord } from '../src/core/types.js';
import { enforceRetention } from '../src/shell/retention.js';
import { simulate } from '../src/sim/simulate.js';
import { openMemoryStore } from '../src/store/memory.js';
import type { EventStore } from '../src/store/port.js';
import { openSqliteStore } from '../src/store/sqlite.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);

/** A long simulated history: sessions spread over `days`, through the real normalizer. */
function history(sessions: number, days: number): EventRecord[] {
  const corpus = simulate({ seed: 11, sessions, start_ms: START, days });
  return corpus.payloads.map((p, i) => {
    const r = normalize({ id: `e${String(i).padStart(8, '0')}`, ts_ms: p.ts_ms, source: 'hook', value: p.payload }, { projectOf: () => null, maxFieldChars: 4000 });
    if (!r.ok) throw new Error(r.reason);
    return r.record;
  });
}

function sqlite(): { store: EventStore; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-retention-'));
  dirs.push(dir);
  const file = path.join(dir, 'agentops.db');
  return { store: openSqliteStore({ file }), file };
}

describe.each([
  ['memory', () => ({ store: openMemoryStore(), file: null as string | null })],
  ['sqlite', sqlite],
])('retention (%s)', (_name, open) => {
  it('deletes whole sessions past the age limit and keeps the rest', () => {
    const { store } = open();
    const events = history(60, 60);
    store.insert(events, []);
    const now = START + 60 * DAY;
    const before = store.sessions();
    const r = enforceRetention(store, { max_age_days: 30, max_db_mb: 1024 }, now);
    const after = store.sessions();
    expect(r.sessions).toBe(before.filter((s) => s.last_ms < now - 30 * DAY).length);
    expect(r.sessions).toBeGreaterThan(0);
    expect(after.every((s) => s.last_ms >= now - 30 * DAY)).toBe(true);
    // whole sessions only: every remaining session still has all its events
    const counts = new Map(before.map((s) => [s.session_id, s.events]));
    for (const s of after) expect(s.events).toBe(counts.get(s.session_id));
  });
});

describe('storage bounds over a long history', () => {
  it('keeps the database file under the configured size, dropping the oldest sessions first', () => {
    const { store, file } = sqlite();
    const events = history(600, 365);
    // Insert in chronological chunks, enforcing the limit after each, as the nightly run would.
    const limitMb = 2;
    const chunk = Math.ceil(events.length / 6);
    let last: ReturnType<typeof enforceRetention> | null = null;
    for (let i = 0; i < events.length; i += chunk) {
      store.insert(events.slice(i, i + chunk), []);
      last = enforceRetention(store, { max_age_days: 3650, max_db_mb: limitMb }, START + 366 * DAY);
    }
    store.close();
    const size = fs.statSync(file!).size + (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);
    console.log(`retention: ${events.length} events offered, file ${(size / 1024 / 1024).toFixed(2)} MB (limit ${limitMb} MB), last round pruned ${last!.sessions} sessions`);
    expect(size).toBeLessThanOrEqual(limitMb * 1024 * 1024);
    const reopened = openSqliteStore({ file: file!, readonly: true });
    const sessions = reopened.sessions();
    reopened.close();
    expect(sessions.length).toBeGreaterThan(0);
    // What is left is the newest history.
    const newest = Math.max(...events.map((e) => e.ts_ms));
    expect(Math.max(...sessions.map((s) => s.last_ms))).toBe(newest);
  }, 120_000);
});
