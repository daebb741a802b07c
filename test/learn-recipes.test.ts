// Does the learner name the whole recipe that worked (src/learn/recipe.ts)? A small, deterministic
// version of the world sweep (bench/quality.mjs) plus the rules one at a time on hand-built sessions.
import { describe, expect, it } from 'vitest';
import { learn } from '../src/learn/learn.js';
import { clusteredDifferenceZ } from '../src/learn/recipe.js';
import { runSetting } from '../src/sim/world-sweep.js';
import { generateWorld } from '../src/sim/worlds.js';
import { trace } from './learn-helpers.js';

const NOW = Date.UTC(2026, 10, 1);
const key = (steps: readonly string[]): string => steps.join(' > ');
// seeds the benchmark does not use (it starts at 1000), so the test is not the set the rules were tuned on
const SEED_BASE = 7000;

describe('recipe worlds (random recipes over the whole vocabulary)', () => {
  it('at 400 sessions names the exact good recipe in the top 3 and flags the exact anti recipe', () => {
    const row = runSetting({ kind: 'default', sessions: 400, worlds: 10 }, () => 0, SEED_BASE);
    expect(row.good_top3).toBeGreaterThanOrEqual(0.9);
    expect(row.anti_flagged).toBeGreaterThanOrEqual(0.8);
  });

  it('reports nothing in null worlds (the same recipes, with no effect)', () => {
    const row = runSetting({ kind: 'null', sessions: 400, worlds: 10, world: { null_world: true } }, () => 0, SEED_BASE);
    expect(row.any_report).toBeLessThanOrEqual(0.1);
  });

  it('never tells a recipe by the test run that closed the previous episode, nor by the one that judges it', () => {
    for (let w = 0; w < 5; w++) {
      const world = generateWorld({ seed: SEED_BASE + 100 + w, sessions: 400 });
      const r = learn(world.traces, { now: NOW });
      expect(r.sequential.length + r.anti.length).toBeGreaterThan(0);
      for (const p of [...r.sequential, ...r.anti]) {
        expect(p.steps[0]).not.toBe('Bash:test');
        if (p.steps.length > 2) expect(p.steps[p.steps.length - 1]).not.toBe('Bash:test');
      }
    }
  });
});

describe('the rules, on hand-built sessions', () => {
  // the sessions are minutes apart just after time 0; learning "now" a little later keeps decay out
  const SOON = 20_000_000;
  /** n sessions of `steps` then a test run; the first `pass` pass. Filler steps keep sessions apart. */
  const group = (id: string, steps: string[], n: number, pass: number, offset: number) =>
    Array.from({ length: n }, (_, i) =>
      trace(`${id}${String(i).padStart(3, '0')}`, [['Grep', 'Glob', 'WebSearch'][i % 3]!, ...steps, i < pass ? 'pass' : 'fail'], 1_000_000 + (offset + i) * 60_000),
    );

  it('grows a fragment to the whole recipe when (nearly) every occurrence has the other steps', () => {
    const traces = [
      ...group('a', ['Agent:Explore', 'Bash:lint', 'mcp:github'], 40, 36, 0),
      ...group('b', ['Write', 'mcp:github'], 10, 5, 40), // mcp:github alone: a tenth of its occurrences
      ...group('c', ['Write', 'Edit'], 50, 20, 50),
    ];
    const r = learn(traces, { now: SOON, min_sessions: 10 });
    expect(r.sequential.map((p) => key(p.steps))[0]).toBe('Agent:Explore > Bash:lint > mcp:github');
  });

  it('adds a step that matters even when most occurrences lack it', () => {
    // Edit happens in most sessions; only Edit right after Bash:typecheck goes with green tests
    // (some sessions do not edit: a step in (nearly) every session would be padding, see rule 2)
    const traces = [
      ...group('a', ['Bash:typecheck', 'Edit'], 30, 27, 0),
      ...group('b', ['Write', 'Edit'], 60, 24, 30),
      ...group('c', ['Write', 'Bash:build'], 20, 8, 90),
    ];
    const r = learn(traces, { now: SOON, min_sessions: 10 });
    expect(r.sequential.map((p) => key(p.steps))).toEqual(['Bash:typecheck > Edit']);
  });

  it('keeps a test run as the first step when running the tests first matters (TDD)', () => {
    const traces = [
      ...Array.from({ length: 40 }, (_, i) => trace(`t${i}`, ['Read', 'fail', 'Edit', i < 36 ? 'pass' : 'fail'], 1_000_000 + i * 60_000)),
      ...Array.from({ length: 40 }, (_, i) => trace(`n${i}`, ['Read', 'Edit', i < 14 ? 'pass' : 'fail'], 4_000_000 + i * 60_000)),
    ];
    const r = learn(traces, { now: SOON, min_sessions: 10 });
    expect(r.sequential.map((p) => key(p.steps))).toEqual(['Bash:test > Edit']);
  });

  it('does not keep a test run that only closed the previous episode', () => {
    // every session: an episode, its test, then the recipe right after it. Bash:build is in every
    // session, so it is no part of what sets these sessions apart: the recipe is Skill:pdf, then the
    // tests (the old learner said "Bash:test → Skill:pdf")
    const traces = [
      ...Array.from({ length: 40 }, (_, i) => trace(`a${i}`, ['Grep', i % 2 ? 'pass' : 'fail', 'Skill:pdf', 'Bash:build', i < 36 ? 'pass' : 'fail'], 1_000_000 + i * 60_000)),
      ...Array.from({ length: 40 }, (_, i) => trace(`b${i}`, ['Grep', i % 2 ? 'pass' : 'fail', 'Write', 'Bash:build', i < 16 ? 'pass' : 'fail'], 4_000_000 + i * 60_000)),
    ];
    const r = learn(traces, { now: SOON, min_sessions: 10 });
    expect(r.sequential.map((p) => key(p.steps))).toEqual(['Skill:pdf > Bash:test']);
  });
});

describe('session-clustered comparison of occurrences', () => {
  it('counts two identical occurrences of one session as one session, not as two observations', () => {
    // A: 20 sessions, 15 pass; B: 20 sessions, 8 pass; one occurrence each
    const once = { nA: [] as number[], yA: [] as number[], nB: [] as number[], yB: [] as number[] };
    for (let k = 0; k < 20; k++) once.nA.push(1), once.yA.push(k < 15 ? 1 : 0), once.nB.push(0), once.yB.push(0);
    for (let k = 0; k < 20; k++) once.nA.push(0), once.yA.push(0), once.nB.push(1), once.yB.push(k < 8 ? 1 : 0);
    const twice = { nA: once.nA.map((x) => 2 * x), yA: once.yA.map((x) => 2 * x), nB: once.nB.map((x) => 2 * x), yB: once.yB.map((x) => 2 * x) };
    const z1 = clusteredDifferenceZ(once);
    const z2 = clusteredDifferenceZ(twice);
    // the unclustered z would grow by sqrt(2) (41%) with every occurrence doubled; the clustered one
    // moves only by the binomial floor's shrinkage
    expect(z1).toBeGreaterThan(2);
    expect(Math.abs(z2 - z1) / z1).toBeLessThan(0.1);
  });
});
