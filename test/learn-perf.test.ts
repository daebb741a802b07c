// The miners' guards and the learner end to end on the design note's dense case (§6: long sessions
// over 40 activities, so almost every short pattern is frequent), at a size the test suite can
// afford. How long they take at 1M events is a benchmark: `npm run bench -- learn-miner` (and
// `npm run bench -- learn` for learning against a bare SQLite read); no time is asserted here.
import { describe, expect, it } from 'vitest';
import { mineDeepening } from '../src/learn/prefixspan.js';
import { mineNgrams } from '../src/learn/ngrams.js';
import { DEFAULT_LEARN_OPTIONS, learn } from '../src/learn/learn.js';
import type { SessionTrace, Step } from '../src/core/types.js';
import { simulateBoth } from '../src/sim/simulate.js';
import { denseLog, rng, testRun } from './learn-helpers.js';

const EVENTS = 50_000;

describe(`learner on ${EVENTS} dense synthetic events`, () => {
  const db = denseLog(EVENTS, 40, 7);
  const sessions = db.offsets.length - 1;
  const guard = {
    minSupport: DEFAULT_LEARN_OPTIONS.min_sessions,
    maxGap: DEFAULT_LEARN_OPTIONS.max_gap,
    maxLen: DEFAULT_LEARN_OPTIONS.max_len,
    maxPatterns: DEFAULT_LEARN_OPTIONS.max_patterns,
    maxWork: DEFAULT_LEARN_OPTIONS.max_work,
  };

  it('PrefixSpan with the default guard keeps the most frequent patterns and says so', () => {
    const run = mineDeepening(db, guard, (_items, proj) => proj.sids.length);
    // this input is dense: far more than max_patterns patterns are frequent at support 20
    expect(run.truncated).toBe(true);
    expect(run.minSupport).toBeGreaterThan(guard.minSupport);
    expect(run.patterns.length).toBeGreaterThanOrEqual(guard.maxPatterns);
    expect(run.work).toBeLessThan(guard.maxWork);
  });

  it('PrefixSpan out of work returns the last complete length and says so', () => {
    const maxWork = 2_000_000;
    const run = mineDeepening(db, { ...guard, maxWork }, (_items, proj) => proj.sids.length);
    expect(run.outOfWork).toBe(true);
    expect(run.truncated).toBe(true);
    expect(run.maxLen).toBeLessThan(guard.maxLen);
    expect(run.work).toBeLessThan(maxWork * 1.01 + EVENTS * 10);
  });

  it('contiguous n-grams 2..4', () => {
    const run = mineNgrams(db, { minN: 2, maxN: 4, minSupport: 20 }, (_items, proj) => proj.sids.length);
    expect(run.explored).toBeGreaterThan(0);
  });

  it('learn() end to end reads every event', () => {
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
    const result = learn(traces, { now: 1_700_000_000_000 + sessions * 10_000_000 });
    expect(result.stats.events).toBe(EVENTS);
  });
});

describe('learner on simulated sessions', () => {
  it('tells the planted Read → Edit → Bash:test as its recipe', () => {
    const { traces } = simulateBoth({ seed: 1, sessions: 600, start_ms: Date.UTC(2026, 9, 1), days: 30 });
    const result = learn(traces, { now: Date.UTC(2026, 10, 1) });
    // the test run is the outcome, not a step (recipe.ts)
    expect(result.sequential[0]?.steps).toEqual(['Read', 'Edit']);
  });
});
