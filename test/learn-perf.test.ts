// Prints how long the learner takes on benchmark-sized input (the design note's dense case:
// ~7.5k sessions, 1M events, 40 activities). No time assertions: the machine is shared and noisy.
import { describe, expect, it } from 'vitest';
import { mineDeepening } from '../src/learn/prefixspan.js';
import { mineNgrams } from '../src/learn/ngrams.js';
import { DEFAULT_LEARN_OPTIONS, learn } from '../src/learn/learn.js';
import type { SessionTrace, Step } from '../src/core/types.js';
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
});
