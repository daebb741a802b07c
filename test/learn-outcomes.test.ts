// What counts as success: test runs, the session outcome, occurrences after it, unknown sessions.
import { describe, expect, it } from 'vitest';
import { FAIL, PASS, sessionVerdict, stepVerdict, UNKNOWN, verdictAt } from '../src/learn/outcomes.js';
import { learn } from '../src/learn/learn.js';
import type { Step } from '../src/core/types.js';
import { GOOD, plantedCorpus, testRun, trace } from './learn-helpers.js';

const step = (activity: string, outcome: Step['outcome'], passed?: boolean): Step => ({
  activity,
  start_ms: 0,
  end_ms: 1,
  outcome,
  tool_use_id: null,
  agent: null,
  test: passed === undefined ? null : testRun(passed),
});

describe('stepVerdict', () => {
  it('reads the parsed test result, else the exit status of a Bash:test step', () => {
    expect(stepVerdict(step('Bash:test', 'ok', true))).toBe(PASS);
    expect(stepVerdict(step('Bash:test', 'error', false))).toBe(FAIL);
    expect(stepVerdict(step('Bash:test', 'ok'))).toBe(PASS); // output not parsed: exit 0
    expect(stepVerdict(step('Bash:test', 'error'))).toBe(FAIL); // non-zero exit
    expect(stepVerdict(step('Bash:build', 'error'))).toBe(UNKNOWN); // not a test run
    expect(stepVerdict(step('Read', 'ok'))).toBe(UNKNOWN);
  });

  it('a test step that did not run to completion is no test run', () => {
    expect(stepVerdict(step('Bash:test', 'interrupted', false))).toBe(UNKNOWN);
    expect(stepVerdict(step('Bash:test', 'blocked'))).toBe(UNKNOWN);
    expect(stepVerdict(step('Bash:test', 'denied'))).toBe(UNKNOWN);
  });
});

describe('verdictAt', () => {
  it('is the session outcome (its last test run) up to that run, unknown after it', () => {
    const t = trace('s', ['Read', 'fail', 'Edit', 'pass', 'Write', 'Edit']);
    // positions:        0       1       2       3       4        5
    expect(Array.from(verdictAt(t.steps))).toEqual([PASS, PASS, PASS, PASS, UNKNOWN, UNKNOWN]);
    expect(sessionVerdict(t.steps)).toBe(PASS);
    const late = trace('s', ['Read', 'pass', 'Edit', 'fail', 'Write']);
    expect(Array.from(verdictAt(late.steps))).toEqual([FAIL, FAIL, FAIL, FAIL, UNKNOWN]);
  });

  it('is unknown everywhere in a session without test runs', () => {
    const t = trace('s', ['Read', 'Edit', 'Write']);
    expect(Array.from(verdictAt(t.steps))).toEqual([UNKNOWN, UNKNOWN, UNKNOWN]);
    expect(sessionVerdict(t.steps)).toBe(UNKNOWN);
  });
});

describe('patterns are judged by the session outcome, before it', () => {
  // This replaced "judged by the next test run after the last occurrence": a red run right after an
  // edit is often the point of the edit (red–green), the advice is about ending a session green,
  // and the simulator's planted Read → Edit → Bash:test passed 0.64 by its next run against 0.75 by
  // the session outcome (N = 1000), which is what its sessions are planted with.
  it('a pattern followed by a failing then a passing run counts as passed', () => {
    const traces = Array.from({ length: 4 }, (_, i) => trace(`s${i}`, ['A', 'B', 'fail', 'Edit', 'pass']));
    const r = learn(traces, { now: 2_000_000, min_sessions: 1, min_known: 1, fdr: 1 });
    const ab = r.evidence.pairs['A']!['B']!.df_support!;
    expect([ab.sessions, ab.known, ab.passed, ab.passed_final]).toEqual([4, 4, 4, 4]);
  });

  it('occurrences after the last test run do not count: a commit after green tests is no way to pass', () => {
    // every passing session commits after its last run, no failing one does
    const traces = [
      ...Array.from({ length: 3 }, (_, i) => trace(`p${i}`, ['Read', 'pass', 'Bash:git'])),
      ...Array.from({ length: 3 }, (_, i) => trace(`f${i}`, ['Read', 'fail'])),
      trace('g', ['Bash:git', 'Read', 'fail', 'Bash:git']),
    ];
    const e = learn(traces, { now: 2_000_000, min_sessions: 1, min_known: 1, fdr: 1 }).evidence;
    // Bash:test > Bash:git occurs in the 3 passing sessions, only after their outcome: unknown there
    expect(e.pairs['Bash:test']!['Bash:git']!.df_support).toMatchObject({ sessions: 4, known: 0, passed: 0 });
    // an activity seen before the outcome as well is judged: in g its first occurrence is at 0
    expect(e.activities['Bash:git']!.support).toMatchObject({ sessions: 4, known: 1, passed: 0 });
  });
});

describe('sessions without a test run', () => {
  it('count as sessions but are excluded from known and from the pass rate', () => {
    const base = plantedCorpus(300, 3);
    const start = 1_700_000_000_000 + 400 * 3_600_000;
    // 40 more sessions that contain GOOD but never run tests
    const untested = Array.from({ length: 40 }, (_, i) => trace(`u${i}`, ['Read', ...GOOD, 'Edit'], start + i * 1000));
    const now = start + 10 * 3_600_000;
    const opts = { now, min_sessions: 15, half_life_days: 1e9 };
    const a = learn(base, opts);
    const b = learn([...base, ...untested], opts);
    const find = (r: typeof a) => r.sequential.find((p) => p.steps.join() === GOOD.join())!;
    expect(find(a)).toBeDefined();
    expect(find(b).sessions).toBe(find(a).sessions + 40);
    expect(find(b).known).toBe(find(a).known);
    expect(find(b).passed).toBe(find(a).passed);
    expect(find(b).pass_rate).toBeCloseTo(find(a).pass_rate!, 9);
    expect(find(b).baseline).toBeCloseTo(find(a).baseline!, 9);
    expect(b.stats.known_sessions).toBe(a.stats.known_sessions);
    expect(b.stats.baseline_pass_rate).toBe(a.stats.baseline_pass_rate);
  });
});
