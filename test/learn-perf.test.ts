// Prints how long the learner takes on benchmark-sized input (the design note's dense case:
// ~7.5k sessions, 1M events, 40 activities), and on simulated sessions next to a bare SQLite read of
// the same hook events (the target: learning within 5x that read). No time assertions: the machine
// is shared and noisy.
import { describe, expect, it } from 'vitest';
import { mineDeepening } from '../src/learn/prefixspan.js';
import { mineNgrams } from '../src/learn/ngrams.js';
import { DEFAULT_LEARN_OPTIONS, learn } from '../src/learn/learn.js';
import type { SessionTrace, Step } from '../src/core/types.js';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../src/store/schema.js';
import { simulateBoth } from '../src/sim/simulate.js';
import { denseLog, rng, testRun } from './learn-helpers.js';

const EVENTS = 1_000_000;

describe('learner on 1M synthetic events', () => {
  const db = denseLog(EVENTS, 40, 7);
  const sessions = db.offsets.length - 1;

  it('PrefixSpan with the default guard stops and says so', () => {
    const t0 = performance.now();
    const run = mineDeepening(
      db,
      {
        minSupport: DEFAULT_LEARN_OPTIONS.min_sessions,
        maxGap: DEFAULT_LEARN_OPTIONS.max_gap,
        maxLen: DEFAULT_LEARN_OPTIONS.max_len,
        maxPatterns: DEFAULT_LEARN_OPTIONS.max_patterns,
        maxWork: DEFAULT_LEARN_OPTIONS.max_work,
      },
      (_items, proj) => proj.sids.length,
    );
    console.log(
      `prefixspan: ${sessions} sessions, ${EVENTS} events: ${(performance.now() - t0).toFixed(0)} ms, ` +
        `${run.patterns.length} patterns (${run.explored} visited), complete up to length ${run.maxLen} ` +
        `at support >= ${run.minSupport}, truncated ${run.truncated}`,
    );
    // this input is dense: far more than max_patterns patterns are frequent at support 20
    expect(run.truncated).toBe(true);
    expect(run.work).toBeLessThan(DEFAULT_LEARN_OPTIONS.max_work * 1.01 + EVENTS * 10);
  });

  it('contiguous n-grams 2..4', () => {
    const t0 = performance.now();
    const run = mineNgrams(db, { minN: 2, maxN: 4, minSupport: 20 }, (_items, proj) => proj.sids.length);
    console.log(`ngrams: ${(performance.now() - t0).toFixed(0)} ms, ${run.explored} frequent grams`);
    expect(run.explored).toBeGreaterThan(0);
  });

  it('learn() end to end', () => {
    const names = Array.from({ length: 40 }, (_, i) => (i === 0 ? 'Bash:test' : `Tool${i}`));
    const r = rng(11);
    const traces: SessionTrace[] = [];
    for (let s = 0; s < sessions; s++) {
      const steps: Step[] = [];
      for (let j = db.offsets[s]!; j < db.offsets[s + 1]!; j++) {
        const activity = names[db.items[j]!]!;
        const t = 1_700_000_000_000 + s * 10_000_000 + (j - db.offsets[s]!) * 1000;
        const isTest = activity === 'Bash:test';
        steps.push({ activity, start_ms: t, end_ms: t + 500, outcome: 'ok', tool_use_id: null, agent: null, test: isTest ? testRun(r() < 0.6) : null });
      }
      traces.push({ session_id: `s${s}`, project: null, start_ms: steps[0]!.start_ms, end_ms: steps.at(-1)!.end_ms, steps, stop_failures: 0, interrupts: 0, prompts: [] });
    }
    const t0 = performance.now();
    const result = learn(traces, { now: 1_700_000_000_000 + sessions * 10_000_000 });
    console.log(
      `learn(): ${(performance.now() - t0).toFixed(0)} ms for ${result.stats.events} events; ` +
        `${result.sequential.length} good, ${result.anti.length} anti, truncated ${result.stats.truncated}, ` +
        `support >= ${result.stats.min_support_used}, length <= ${result.stats.max_len_used}`,
    );
    expect(result.stats.events).toBe(EVENTS);
  });

  it('learn() on simulated sessions against a bare SQLite read of their hook events', () => {
    // 3000 sessions ≈ 300k hook events (10k sessions ≈ 1M); kept smaller so the test stays light
    const sessions = 3000;
    const { payloads, traces } = simulateBoth({ seed: 1, sessions, start_ms: Date.UTC(2026, 9, 1), days: 30 });
    const db = new Database(':memory:');
    db.exec(MIGRATIONS[0]!);
    const insert = db.prepare('INSERT INTO events (id, session_id, event, ts_ms, tool_name, tool_use_id, source, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      payloads.forEach((p, i) => {
        const body = p.payload as { session_id: string; tool_name?: string; tool_use_id?: string };
        insert.run(String(i).padStart(8, '0'), body.session_id, p.event, p.ts_ms, body.tool_name ?? null, body.tool_use_id ?? null, 'hook', JSON.stringify(body));
      });
    })();
    // what the store's events() does: every column of every row, in time order
    const t0 = performance.now();
    let rows = 0;
    for (const row of db.prepare('SELECT * FROM events ORDER BY ts_ms, id').iterate()) if (row) rows++;
    const readMs = performance.now() - t0;
    db.close();
    const t1 = performance.now();
    const result = learn(traces, { now: Date.UTC(2026, 10, 1) });
    const learnMs = performance.now() - t1;
    console.log(
      `simulated: ${sessions} sessions, ${rows} hook events, ${result.stats.events} steps: SQLite read ${readMs.toFixed(0)} ms, ` +
        `learn() ${learnMs.toFixed(0)} ms (${(learnMs / readMs).toFixed(1)}x); ${result.sequential.length} good, ${result.anti.length} anti, ` +
        `support >= ${result.stats.min_support_used}, length <= ${result.stats.max_len_used}`,
    );
    expect(rows).toBe(payloads.length);
    // the planted Read → Edit → Bash:test, told as its recipe: the test run is the outcome (recipe.ts)
    expect(result.sequential[0]?.steps).toEqual(['Read', 'Edit']);
  });
});
