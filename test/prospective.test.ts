// Prospective validation (src/learn/prospective.ts): a pattern is judged on the sessions that started
// after it was first reported, and the learning run keeps that first report across runs.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config/schema.js';
import type { SessionTrace } from '../src/core/types.js';
import { normalize } from '../src/core/normalize.js';
import { newcombeInterval } from '../src/learn/rank.js';
import { laterEvidence, laterStates, prospectiveKey, recordFirstReports, type LaterEvidence } from '../src/learn/prospective.js';
import { FIRST_REPORTED_META, runLearning } from '../src/shell/learn-run.js';
import { simulateBoth } from '../src/sim/simulate.js';
import { openMemoryStore } from '../src/store/memory.js';
import { trace } from './learn-helpers.js';

const D = 10_000_000;
const HOUR = 3_600_000;
const READ_EDIT = { steps: ['Read', 'Edit'], max_gap: 1 };

/** `n` sessions after D (or at `start`), each with or without Read → Edit before its one test run. */
function sessions(prefix: string, n: number, withPattern: boolean, passed: number, start = D + HOUR): SessionTrace[] {
  return Array.from({ length: n }, (_, i) =>
    trace(`${prefix}${i}`, [...(withPattern ? ['Read', 'Edit'] : ['Grep', 'Write']), i < passed ? 'pass' : 'fail'], start + i * HOUR));
}

/** Later sessions: `w` with the pattern (`pw` passed) and `wo` without it (`pwo` passed). */
function later(w: number, pw: number, wo: number, pwo: number, start = D + HOUR): SessionTrace[] {
  return [...sessions('w', w, true, pw, start), ...sessions('o', wo, false, pwo, start)];
}

describe('laterEvidence: the state of a pattern on the sessions after D', () => {
  it('validated: later sessions with the pattern pass more, and the whole 95% interval is above 0', () => {
    const e = laterEvidence(later(20, 18, 20, 8), READ_EDIT, 'good', D);
    expect(e).toMatchObject({ state: 'validated', since_ms: D, with: 20, without: 20, passed_with: 18, passed_without: 8, pass_with: 0.9, pass_without: 0.4 });
    expect(e.uplift).toBeCloseTo(0.5, 12);
    const ci = newcombeInterval(18, 20, 8, 20);
    expect([e.lower, e.upper]).toEqual([ci.lower, ci.upper]);
    expect(e.lower!).toBeGreaterThan(0);
    // an anti-pattern claims the other side: the same sessions retire it
    expect(laterEvidence(later(20, 18, 20, 8), READ_EDIT, 'anti', D).state).toBe('retired');
  });

  it('retired: the whole interval is on the other side of 0 (later sessions contradict it)', () => {
    const e = laterEvidence(later(15, 2, 15, 13), READ_EDIT, 'good', D);
    expect(e.state).toBe('retired');
    expect(e.upper!).toBeLessThan(0);
    // and an anti-pattern with these sessions is validated
    expect(laterEvidence(later(15, 2, 15, 13), READ_EDIT, 'anti', D).state).toBe('validated');
  });

  it('weakened: 10+ later sessions in each group, the estimate on the wrong side, the interval still covering 0', () => {
    const e = laterEvidence(later(12, 6, 12, 7), READ_EDIT, 'good', D);
    expect(e.state).toBe('weakened');
    expect(e.uplift!).toBeLessThan(0);
    expect(e.lower!).toBeLessThan(0);
    expect(e.upper!).toBeGreaterThan(0);
    // a zero estimate is not on the claimed side either
    expect(laterEvidence(later(10, 5, 10, 5), READ_EDIT, 'good', D).state).toBe('weakened');
    // one group below 10: the same rates say nothing yet
    expect(laterEvidence(later(9, 4, 12, 7), READ_EDIT, 'good', D).state).toBe('pending');
  });

  it('pending: no later session, one group empty, or a right-side estimate whose interval covers 0', () => {
    expect(laterEvidence([], READ_EDIT, 'good', D)).toEqual({
      state: 'pending', since_ms: D, with: 0, without: 0, passed_with: 0, passed_without: 0,
      pass_with: null, pass_without: null, uplift: null, lower: null, upper: null,
    });
    expect(laterEvidence(later(20, 20, 0, 0), READ_EDIT, 'good', D)).toMatchObject({ state: 'pending', with: 20, uplift: null, lower: null });
    const e = laterEvidence(later(12, 8, 12, 6), READ_EDIT, 'good', D);
    expect(e.state).toBe('pending');
    expect(e.uplift!).toBeGreaterThan(0);
    expect(e.lower!).toBeLessThan(0);
  });

  it('ignores the sessions that started at or before D, however many there are', () => {
    const before = later(30, 0, 30, 30, D - 100 * HOUR); // would retire it
    const atD = [trace('d', ['Read', 'Edit', 'fail'], D)]; // started at D: the first report may have seen it
    const after = later(20, 18, 20, 8);
    expect(laterEvidence([...before, ...atD, ...after], READ_EDIT, 'good', D)).toEqual(laterEvidence(after, READ_EDIT, 'good', D));
    expect(laterEvidence([...before, ...atD], READ_EDIT, 'good', D)).toMatchObject({ state: 'pending', with: 0, without: 0 });
    // the same sessions judged from an earlier D retire it
    expect(laterEvidence(before, READ_EDIT, 'good', D - 200 * HOUR).state).toBe('retired');
  });

  it('matches the pattern the way its evidence was counted: contiguous for max_gap 1, gapped otherwise', () => {
    const gapped = Array.from({ length: 3 }, (_, i) => trace(`g${i}`, ['Read', 'Grep', 'Edit', 'pass'], D + (i + 1) * HOUR));
    expect(laterEvidence(gapped, READ_EDIT, 'good', D)).toMatchObject({ with: 0, without: 3 });
    expect(laterEvidence(gapped, { steps: READ_EDIT.steps, max_gap: 2 }, 'good', D)).toMatchObject({ with: 3, without: 0 });
  });

  it('counts a session with the pattern only when it occurs before the last test run; sessions without a test run are left out', () => {
    const after = trace('a', ['Grep', 'pass', 'Read', 'Edit'], D + HOUR); // Read → Edit after the outcome: it cannot have caused it
    const before = trace('b', ['Read', 'Edit', 'fail'], D + 2 * HOUR);
    const untested = trace('u', ['Read', 'Edit', 'Write'], D + 3 * HOUR);
    expect(laterEvidence([after, before, untested], READ_EDIT, 'good', D)).toMatchObject({ with: 1, passed_with: 0, without: 1, passed_without: 1 });
  });

  it('reads the main thread only: a subagent doing the steps is not the session doing them', () => {
    const t = trace('s', ['Read', 'Edit', 'pass'], D + HOUR);
    const sub = { ...t, steps: t.steps.map((s, i) => (i < 2 ? { ...s, agent: 'Explore' } : s)) };
    expect(laterEvidence([sub], READ_EDIT, 'good', D)).toMatchObject({ with: 0, without: 1 });
  });
});

describe('first reports and the states of a learning result', () => {
  const pattern = (steps: string[]) => ({ ...READ_EDIT, steps } as never);

  it('a new pattern is first reported at as_of; a known one keeps its D, also after it was not reported for a while', () => {
    const run1 = recordFirstReports({}, { sequential: [pattern(['Read', 'Edit'])], anti: [pattern(['Edit', 'Edit'])] }, 100);
    expect(run1).toEqual({ 'good:Read > Edit': 100, 'anti:Edit > Edit': 100 });
    const run2 = recordFirstReports(run1, { sequential: [], anti: [pattern(['Grep', 'Grep'])] }, 200); // Read → Edit not reported
    const run3 = recordFirstReports(run2, { sequential: [pattern(['Read', 'Edit'])], anti: [] }, 300); // back again
    expect(run3).toEqual({ 'good:Read > Edit': 100, 'anti:Edit > Edit': 100, 'anti:Grep > Grep': 200 });
    // the same steps as a good pattern and as an anti-pattern are two identities
    expect(recordFirstReports(run1, { sequential: [], anti: [pattern(['Read', 'Edit'])] }, 400)['anti:Read > Edit']).toBe(400);
    expect(prospectiveKey('good', ['Read', 'Edit'])).toBe('good:Read > Edit');
  });

  it('laterStates judges each reported pattern from its own D, in its own direction', () => {
    const traces = [...later(20, 18, 20, 8), ...later(20, 0, 20, 20, D - 100 * HOUR)];
    const result = { sequential: [pattern(['Read', 'Edit'])], anti: [pattern(['Grep', 'Write'])] };
    const first = { 'good:Read > Edit': D, 'anti:Grep > Write': D - 200 * HOUR };
    const states = laterStates(traces, result, first);
    expect([...states.keys()]).toEqual(['good:Read > Edit', 'anti:Grep > Write']);
    expect(states.get('good:Read > Edit')).toEqual(laterEvidence(traces, READ_EDIT, 'good', D));
    expect(states.get('anti:Grep > Write')).toEqual(laterEvidence(traces, { steps: ['Grep', 'Write'], max_gap: 1 }, 'anti', D - 200 * HOUR));
    // a pattern without a first report gets no state
    expect(laterStates(traces, result, { 'good:Read > Edit': D }).has('anti:Grep > Write')).toBe(false);
  });
});

describe('runLearning keeps the first report in the store', () => {
  // 160 simulated sessions through the real normalizer: the first 110 are learned, then all of them.
  // Strong planted effects and the demo's min_sessions, so the learner reports patterns to follow.
  const planted = { good_pass_rate: 0.95, anti_pass_rate: 0.1, neutral_pass_rate: 0.5, noise_mean: 6 };
  const { payloads, traces } = simulateBoth({ seed: 5, sessions: 160, start_ms: Date.UTC(2026, 2, 1), days: 40, planted });
  const config = { ...DEFAULT_CONFIG, learn: { ...DEFAULT_CONFIG.learn, min_sessions: 10 } };
  const cut = [...traces].sort((a, b) => a.start_ms - b.start_ms)[110]!.start_ms;
  const records = payloads.map((p, i) => {
    const r = normalize({ id: `e${String(i).padStart(8, '0')}`, ts_ms: p.ts_ms, source: 'hook', value: p.payload }, { projectOf: (cwd) => cwd, maxFieldChars: 4000 });
    if (!r.ok) throw new Error(r.reason);
    return r.record;
  });
  const firstSessions = new Set(traces.filter((t) => t.start_ms < cut).map((t) => t.session_id));
  const firstReports = (store: ReturnType<typeof openMemoryStore>) => JSON.parse(store.getMeta(FIRST_REPORTED_META)!) as Record<string, Record<string, number>>;

  it('D is the first run\'s as_of (never the clock), kept by later runs, and the later sessions are counted from it', () => {
    const store = openMemoryStore();
    store.insert(records.filter((r) => firstSessions.has(r.session_id)), []);
    const run1 = runLearning(store, config, 1);
    expect(run1.result.sequential.length + run1.result.anti.length).toBeGreaterThan(0);
    const first1 = firstReports(store).global!;
    expect(Object.keys(first1).sort()).toEqual([...run1.later.keys()].sort());
    expect(new Set(Object.values(first1))).toEqual(new Set([run1.as_of]));
    for (const e of run1.later.values()) expect(e).toMatchObject({ state: 'pending', with: 0, without: 0 }); // nothing after D yet
    // the same data learned at another wall-clock time records the same D
    const other = openMemoryStore();
    other.insert(records.filter((r) => firstSessions.has(r.session_id)), []);
    runLearning(other, config, 9e15);
    expect(firstReports(other)).toEqual(firstReports(store));

    store.insert(records.filter((r) => !firstSessions.has(r.session_id)), []);
    const run2 = runLearning(store, config, 2);
    expect(run2.as_of).toBeGreaterThan(run1.as_of);
    const first2 = firstReports(store).global!;
    for (const [key, d] of Object.entries(first1)) expect(first2[key]).toBe(d); // kept, reported now or not
    const kept = [...run2.later].filter(([key]) => first1[key] !== undefined);
    expect(kept.length).toBeGreaterThan(0);
    for (const [key, e] of kept) {
      const [direction, steps] = key.startsWith('good:') ? (['good', key.slice(5)] as const) : (['anti', key.slice(5)] as const);
      const p = [...run2.result.sequential, ...run2.result.anti].find((x) => x.steps.join(' > ') === steps)!;
      expect(e).toEqual(laterEvidence(run2.traces, p, direction, run1.as_of) satisfies LaterEvidence);
      expect(e.with + e.without).toBeGreaterThan(0);
    }
  });
});
