// In-memory adapter of the store port: tests, dry runs and the demo's learning of simulated data.
// Pure (no I/O), and held to the same contract as the SQLite adapter.
import type { EventRecord, QuarantineRecord } from '../core/types.js';
import { oldestSessionsToDrop } from './rows.js';
import { learnerNeedsPayload, type EventQuery, type EventStore, type InsertResult, type SequencedEvent, type SessionSummary, type StoreCounts, type TestRunRow } from './port.js';

const byTime = (a: EventRecord, b: EventRecord): number => a.ts_ms - b.ts_ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function openMemoryStore(): EventStore {
  const events = new Map<string, EventRecord>();
  const calls = new Set<string>();
  const quarantined = new Map<string, QuarantineRecord>();
  const meta = new Map<string, string>();
  // The stored order: a counter that only grows, so a sequence number is never reused.
  const seqOf = new Map<string, number>();
  let lastSeq = 0;
  const sorted = (): EventRecord[] => [...events.values()].sort(byTime);

  return {
    insert(batch: readonly EventRecord[], quarantine: readonly QuarantineRecord[]): InsertResult {
      const result: InsertResult = { inserted: 0, duplicates: 0, quarantined: 0 };
      for (const e of batch) {
        const callKey = e.tool_use_id ? `${e.tool_use_id}\u0000${e.event}` : null;
        if (events.has(e.id) || (e.source === 'backfill' && callKey !== null && calls.has(callKey))) {
          result.duplicates++;
          continue;
        }
        events.set(e.id, structuredClone(e));
        seqOf.set(e.id, ++lastSeq);
        if (callKey !== null) calls.add(callKey);
        result.inserted++;
      }
      for (const q of quarantine) {
        if (quarantined.has(q.id)) result.duplicates++;
        else {
          quarantined.set(q.id, { ...q });
          result.quarantined++;
        }
      }
      return result;
    },

    events(query: EventQuery = {}): EventRecord[] {
      let list = sorted().filter(
        (e) =>
          (query.session_id === undefined || e.session_id === query.session_id) &&
          (query.since_ms === undefined || e.ts_ms >= query.since_ms),
      );
      if (query.limit !== undefined) list = list.slice(Math.max(0, list.length - query.limit));
      return list.map((e) => (query.lean && !learnerNeedsPayload(e.event, e.tool_use_id) ? { ...structuredClone(e), payload: '{}' } : structuredClone(e)));
    },

    forEachEvent(visit: (event: EventRecord) => void, options: { lean?: boolean } = {}): void {
      const list = [...events.values()].sort((a, b) => (a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : byTime(a, b)));
      for (const e of list) visit(options.lean && !learnerNeedsPayload(e.event, e.tool_use_id) ? { ...structuredClone(e), payload: '{}' } : structuredClone(e));
    },

    sessions(): SessionSummary[] {
      const bySession = new Map<string, SessionSummary>();
      for (const e of sorted()) {
        let s = bySession.get(e.session_id);
        if (!s) {
          s = { session_id: e.session_id, project: null, first_ms: e.ts_ms, last_ms: e.ts_ms, events: 0, tool_calls: 0, errors: 0, test_runs: 0, tests_passed: 0, last_test_passed: null };
          bySession.set(e.session_id, s);
        }
        if (e.project !== null && (s.project === null || e.project > s.project)) s.project = e.project;
        s.last_ms = e.ts_ms;
        s.events++;
        if (e.event === 'PostToolUse' || e.event === 'PostToolUseFailure') s.tool_calls++;
        if (e.outcome === 'error') s.errors++;
        if (e.test) {
          s.test_runs++;
          if (e.test.passed) s.tests_passed++;
          s.last_test_passed = e.test.passed;
        }
      }
      return [...bySession.values()].sort((a, b) => a.first_ms - b.first_ms || (a.session_id < b.session_id ? -1 : 1));
    },

    testRuns(query: { session_id?: string } = {}): TestRunRow[] {
      return sorted()
        .filter((e) => e.test !== null && (query.session_id === undefined || e.session_id === query.session_id))
        .map((e) => ({ ...structuredClone(e.test!), event_id: e.id, session_id: e.session_id, tool_use_id: e.tool_use_id, ts_ms: e.ts_ms }));
    },

    quarantine(limit = 100): QuarantineRecord[] {
      return [...quarantined.values()]
        .sort((a, b) => a.ts_ms - b.ts_ms || (a.id < b.id ? -1 : 1))
        .slice(0, limit)
        .map((q) => ({ ...q }));
    },

    counts(): StoreCounts {
      const list = [...events.values()];
      return {
        events: list.length,
        sessions: new Set(list.map((e) => e.session_id)).size,
        test_runs: list.filter((e) => e.test !== null).length,
        quarantined: quarantined.size,
      };
    },

    pruneBefore(before_ms: number) {
      const last = new Map<string, number>();
      for (const e of events.values()) last.set(e.session_id, Math.max(last.get(e.session_id) ?? -Infinity, e.ts_ms));
      const drop = new Set([...last].filter(([, t]) => t < before_ms).map(([s]) => s));
      let n = 0;
      for (const [id, e] of events) if (drop.has(e.session_id) && events.delete(id)) n++;
      let q = 0;
      for (const [id, r] of quarantined) if (r.ts_ms < before_ms && quarantined.delete(id)) q++;
      return { sessions: drop.size, events: n, quarantined: q };
    },

    pruneOldest(keep_fraction: number) {
      const bySession = new Map<string, { last: number; n: number }>();
      for (const e of events.values()) {
        const s = bySession.get(e.session_id) ?? { last: -Infinity, n: 0 };
        bySession.set(e.session_id, { last: Math.max(s.last, e.ts_ms), n: s.n + 1 });
      }
      const order = [...bySession].sort((a, b) => a[1].last - b[1].last || (a[0] < b[0] ? -1 : 1));
      const drop = new Set(oldestSessionsToDrop(order.map(([session_id, s]) => ({ session_id, n: s.n })), keep_fraction));
      let n = 0;
      for (const [id, e] of events) if (drop.has(e.session_id) && events.delete(id)) n++;
      return { sessions: drop.size, events: n, quarantined: 0 };
    },

    sizeBytes: () => [...events.values()].reduce((s, e) => s + e.payload.length + 200, 0),
    compact: () => undefined,
    eventsAfter(seq: number, limit: number): SequencedEvent[] {
      return [...seqOf]
        .filter(([id, s]) => s > seq && events.has(id))
        .sort((a, b) => a[1] - b[1])
        .slice(0, limit)
        .map(([id, s]) => ({ seq: s, event: structuredClone(events.get(id)!) }));
    },
    idAtSeq: (seq) => [...seqOf].find(([id, s]) => s === seq && events.has(id))?.[0] ?? null,
    getMeta: (key) => meta.get(key) ?? null,
    setMeta: (key, value) => void meta.set(key, value),
    close: () => undefined,
  };
}
