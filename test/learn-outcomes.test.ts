// What counts as success: test runs, the verdict after an occurrence, unknown sessions.
import { describe, expect, it } from 'vitest';
import { FAIL, outcomeFrom, PASS, sessionVerdict, stepVerdict, UNKNOWN } from '../src/learn/outcomes.js';
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

describe('outcomeFrom', () => {
  it('is the next test run at or after each position, else the last test run', () => {
    const t = trace('s', ['Read', 'fail', 'Edit', 'pass', 'Write', 'Edit']);
    // positions:        0       1       2       3       4        5
    expect(Array.from(outcomeFrom(t.steps))).toEqual([FAIL, FAIL, PASS, PASS, PASS, PASS]);
    expect(sessionVerdict(t.steps)).toBe(PASS);
    const late = trace('s', ['Read', 'pass', 'Edit', 'fail', 'Write']);
    expect(Array.from(outcomeFrom(late.steps))).toEqual([PASS, PASS, FAIL, FAIL, FAIL]);
  });

  it('is unknown everywhere in a session without test runs', () => {
    const t = trace('s', ['Read', 'Edit', 'Write']);
    expect(Array.from(outcomeFrom(t.steps))).toEqual([UNKNOWN, UNKNOWN, UNKNOWN]);
    expect(sessionVerdict(t.steps)).toBe(UNKNOWN);
  });
});

describe('patterns are judged after their last occurrence', () => {
  it('a pattern followed by a failing then a passing run counts as failed', () => {
    // A B then fail, later pass: the run right after the pattern decides (fail), not the session's end
    const traces = Array.from({ length: 4 }, (_, i) => trace(`s${i}`, ['A', 'B', 'fail', 'Edit', 'pass']));
    const r = learn(traces, { now: 2_000_000, min_sessions: 1, min_known: 1, fdr: 1 });
    const ab = r.evidence.pairs['A']!['B']!.df_support!;
    expect([ab.sessions, ab.known, ab.passed, ab.passed_final]).toEqual([4, 4, 0, 4]);
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
