// Does the learner find what the simulator plants, at realistic corpus sizes, without reporting what
// is not there? Targets over several seeds (the simulator's truth says which sessions are which):
// 1. N = 1000, default options: the planted good sequence is sequential[0]; the planted anti-pattern
//    is in the anti top 3; (almost) no pattern made only of noise activities.
// 2. N = 120, min_sessions 10: good found in >= 4 of 5 seeds, anti in >= 3 of 5.
// 3. The demo corpus: at 40 sessions the evidence is not there (checked with the numbers); at 120 it is.
// 4. Null corpora (every style passes at 0.6): (almost) nothing reported.
// 5. Advice is not padded: no reported pattern inside another with the same sessions, no ubiquitous
//    steps that carry nothing (the real-CLI shape that used to give padded near-copies).
//
// "Found" for a reported pattern P: P contains the planted steps, or is a part of them of >= 2 steps
// (the same evidence can be told as Edit → Edit or Edit → Edit → Edit → Bash:test when every anti
// block runs three edits and then a test), and at least 75% of the known-outcome sessions that
// contain P, as the pattern's own max_gap matches it on the main thread, are sessions of the planted
// style. A pattern that merely shares steps with the planted one (Edit → Bash:test occurs in every
// style) is not "found".
import { describe, expect, it } from 'vitest';
import { learn, type LearnInput } from '../src/learn/learn.js';
import { containsGapped } from '../src/learn/evaluate.js';
import { twoProportionP } from '../src/learn/rank.js';
import { simulateBoth, type PlantedOptions, type SimTruth } from '../src/sim/simulate.js';
import type { SessionTrace } from '../src/core/types.js';
import type { LearnResult, SequentialPattern } from '../src/learn/types.js';
import { trace } from './learn-helpers.js';

const START = Date.UTC(2026, 9, 1);
const NOW = Date.UTC(2026, 10, 1);
const SEEDS = [1, 2, 3, 4, 5];
const NULL_PLANTED: Partial<PlantedOptions> = { good_pass_rate: 0.6, anti_pass_rate: 0.6, neutral_pass_rate: 0.6 };

interface Run {
  traces: SessionTrace[];
  truth: SimTruth;
  result: LearnResult;
}

function run(seed: number, sessions: number, options: Omit<LearnInput, 'now'> = {}, planted: Partial<PlantedOptions> = {}): Run {
  const { traces, truth } = simulateBoth({ seed, sessions, start_ms: START, days: 30, planted });
  return { traces, truth, result: learn(traces, { now: NOW, ...options }) };
}

const main = (t: SessionTrace): string[] => t.steps.filter((s) => s.agent === null).map((s) => s.activity);
const gapOf = (p: SequentialPattern): number => (p as SequentialPattern & { max_gap?: number }).max_gap ?? 5;
const key = (steps: readonly string[]): string => steps.join(' > ');
const isContiguousIn = (part: readonly string[], whole: readonly string[]): boolean => containsGapped(whole, part, 1);

/** Known-outcome sessions (ids) containing the pattern as its own max_gap matches it. */
function sessionsOf(r: Run, p: SequentialPattern): string[] {
  const known = new Set(r.truth.sessions.filter((s) => s.passed !== null).map((s) => s.session_id));
  return r.traces.filter((t) => known.has(t.session_id) && containsGapped(main(t), p.steps, gapOf(p))).map((t) => t.session_id);
}

/** Rank (0-based) of the planted pattern among the first three of the list, -1 when not there. */
function foundAt(r: Run, list: SequentialPattern[], planted: readonly string[], style: 'good' | 'anti'): number {
  const styleOf = new Map(r.truth.sessions.map((s) => [s.session_id, s.style]));
  return list.slice(0, 3).findIndex((p) => {
    const related = isContiguousIn(planted, p.steps) || (p.steps.length >= 2 && isContiguousIn(p.steps, planted));
    if (!related) return false;
    const ids = sessionsOf(r, p);
    return ids.length > 0 && ids.filter((id) => styleOf.get(id) === style).length / ids.length >= 0.75;
  });
}

const describeRun = (r: Run): string =>
  `good: ${r.result.sequential.slice(0, 3).map((p) => key(p.steps)).join(' | ')}; anti: ${r.result.anti.slice(0, 3).map((p) => key(p.steps)).join(' | ')}`;

describe('target 1: 1000 sessions, default options', () => {
  const runs = SEEDS.map((seed) => run(seed, 1000));

  it('the planted good sequence is sequential[0] for every seed', () => {
    for (const r of runs) {
      // the recipe is what comes before the test run: the test is the outcome (recipe.ts rule 1)
      expect(r.result.sequential[0]?.steps, describeRun(r)).toEqual(r.truth.good_sequence.steps.filter((s) => s !== 'Bash:test'));
      const top = r.result.sequential[0]!;
      // and its numbers are the planted ones: good sessions pass at 0.85, the others at ~0.49
      expect(top.pass_rate!).toBeGreaterThan(0.75);
      expect(top.baseline!).toBeLessThan(0.6);
      expect(top.bound!).toBeGreaterThan(0.15);
    }
  });

  it('the planted anti-pattern is in the anti top 3 for every seed', () => {
    for (const r of runs) expect(foundAt(r, r.result.anti, r.truth.anti_pattern.steps, 'anti'), describeRun(r)).toBeGreaterThanOrEqual(0);
  });

  it('reports (almost) no pattern made only of noise activities', () => {
    const noiseOnly = runs.flatMap((r) => r.result.sequential.filter((p) => p.steps.every((s) => r.truth.noise_activities.includes(s))));
    const reported = runs.reduce((n, r) => n + r.result.sequential.length, 0);
    console.log(`target 1: ${noiseOnly.length} noise-only of ${reported} sequential patterns over ${runs.length} seeds`);
    // measured: 0 of 8 (seeds 1–5), 0 of 19 (seeds 1–10)
    expect(noiseOnly.length).toBeLessThanOrEqual(1);
  });

  it('target 5: no two reported patterns where one is inside the other with the same sessions', () => {
    for (const r of runs) {
      for (const list of [r.result.sequential, r.result.anti]) {
        for (const p of list) {
          for (const q of list) {
            if (p === q || !containsGapped(q.steps, p.steps, q.steps.length)) continue;
            expect(sessionsOf(r, p), `${key(p.steps)} inside ${key(q.steps)}`).not.toEqual(sessionsOf(r, q));
          }
        }
      }
    }
  });

  it('target 5: the top pattern has no step that (nearly) every session has', () => {
    for (const r of runs) {
      const share = (a: string) => r.traces.filter((t) => main(t).includes(a)).length / r.traces.length;
      for (const s of r.result.sequential[0]!.steps) expect(share(s), s).toBeLessThan(0.95);
    }
  });
});

describe('target 2: 120 sessions, min_sessions 10', () => {
  const runs = SEEDS.map((seed) => run(seed, 120, { min_sessions: 10 }));

  it('finds the good sequence in >= 4 of 5 seeds and the anti-pattern in >= 3 of 5', () => {
    const good = runs.filter((r) => foundAt(r, r.result.sequential, r.truth.good_sequence.steps, 'good') >= 0).length;
    const anti = runs.filter((r) => foundAt(r, r.result.anti, r.truth.anti_pattern.steps, 'anti') >= 0).length;
    console.log(`target 2: good found in ${good}/5, anti in ${anti}/5\n  ${runs.map(describeRun).join('\n  ')}`);
    // measured: good 4/5 (8/10 over seeds 1–10), anti 4/5 (9/10)
    expect(good).toBeGreaterThanOrEqual(4);
    expect(anti).toBeGreaterThanOrEqual(3);
  });
});

describe('target 3: the demo corpus', () => {
  // cli/demo.ts: simulate({ seed: 20261129, sessions: 40, ..., planted: { noise_mean: 6 } }), min_sessions 6
  const demo = (sessions: number): Run => {
    const { traces, truth } = simulateBoth({ seed: 20261129, sessions, start_ms: START, days: 30, planted: { noise_mean: 6 } });
    return { traces, truth, result: learn(traces, { now: NOW, min_sessions: 6 }) };
  };

  it('at 40 sessions the planted evidence is too weak for any claim, even a single uncorrected test', () => {
    const r = demo(40);
    // Read directly followed by Edit: the planted sequence's own first step, counted by the evidence table
    const re = r.result.evidence.pairs['Read']!['Edit']!.df_support!;
    const t = r.result.evidence.totals;
    const p = twoProportionP(re.passed, re.known, t.passed - re.passed_final, t.known - re.known);
    console.log(`target 3: N = 40: Read > Edit in ${re.known} known sessions, ${re.passed} passed; others ${t.passed - re.passed_final}/${t.known - re.known}; p = ${p.toFixed(3)}`);
    // measured p = 0.04: a single test at 5% barely passes, one among ~300 tested classes cannot
    expect(p).toBeGreaterThan(0.01);
    expect(foundAt(r, r.result.sequential, r.truth.good_sequence.steps, 'good'), describeRun(r)).toBe(-1);
    // What may be reported at 40 is a real association of this corpus, not noise: the planted anti
    // sessions never Read on the main thread, so patterns with Read go with passing (Read → Read on
    // this seed since the simulator's task kinds changed its draws; over 60 seeds something is
    // reported at 40 sessions in about one in five, with the old simulator and the new alike).
    for (const p of r.result.sequential) expect(p.steps, describeRun(r)).toContain('Read');
  });

  it('at 120 sessions (the size of DEMO_SIMULATION) the good sequence is found', () => {
    const r = demo(120);
    console.log(`target 3: N = 120: ${describeRun(r)}`);
    expect(foundAt(r, r.result.sequential, r.truth.good_sequence.steps, 'good'), describeRun(r)).toBeGreaterThanOrEqual(0);
  });
});

describe('target 4: null corpora report (almost) nothing', () => {
  it('1000 and 120 sessions where every style passes at 0.6', () => {
    const runs = [...SEEDS.map((seed) => run(seed, 1000, {}, NULL_PLANTED)), ...SEEDS.map((seed) => run(seed, 120, { min_sessions: 10 }, NULL_PLANTED))];
    const reported = runs.flatMap((r) => [...r.result.sequential, ...r.result.anti].map((p) => key(p.steps)));
    console.log(`target 4: ${reported.length} patterns reported over ${runs.length} null corpora: ${reported.join(' | ')}`);
    // measured: 0. With a 5% false-discovery rate and no true effect, a report in ~1 corpus of 20 is expected.
    expect(reported.length).toBeLessThanOrEqual(2);
  });
});

describe('target 5: advice is the effect, not padding', () => {
  it('the real-CLI shape: Read → Edit, not near-copies padded with steps every session has', () => {
    // test/e2e/real-cli.test.ts: 7 sessions run the same script; the 2 passing ones also Read and
    // Edit the notes. Every session has the Bash, Write, Agent and Skill steps.
    const common = ['Bash:other', 'Bash:file', 'Write'];
    const tail = ['Agent:general-purpose', 'Skill:hello', 'Write', 'Bash:other'];
    const variants = ['pass', 'fail', 'fail', 'pass', 'fail', 'fail', 'fail'];
    const traces = variants.map((v, i) =>
      trace(`s${i}`, [...common, ...(v === 'pass' ? ['Read', 'Edit'] : []), ...tail, v], 1_000_000 + i * 60_000),
    );
    // learn-run.ts's options for min_sessions 2
    const r = learn(traces, { now: 2_000_000, min_sessions: 2, min_known: 1 });
    expect(r.sequential.map((p) => key(p.steps))).toEqual(['Read > Edit']);
    expect(r.sequential[0]).toMatchObject({ sessions: 2, known: 2, passed: 2, pass_rate: 1, baseline: 0 });
    // Write directly followed by the Agent call happens exactly in the 5 failing sessions: the mirror
    // image of Read → Edit, with no contrast of its own, so no "avoid" advice
    expect(r.evidence.pairs['Write']!['Agent:general-purpose']!.df_support).toMatchObject({ sessions: 5, passed: 0 });
    expect(r.anti).toEqual([]);
  });

  it('a step every session has is left out; a step that tells the sessions apart is kept', () => {
    // 60 sessions: all run Bash:git before the test; 20 also do Skill:tdd > Agent:code-reviewer >
    // Bash:typecheck and pass 18 times; the rest pass 12 of 40 times
    const traces = Array.from({ length: 60 }, (_, i) => {
      const good = i < 20;
      const steps = [
        'Read',
        ...(good ? ['Skill:tdd', 'Agent:code-reviewer', 'Bash:typecheck'] : ['Grep', 'Edit']),
        'Bash:git',
        (good ? i < 18 : i < 32) ? 'pass' : 'fail',
      ];
      return trace(`t${String(i).padStart(2, '0')}`, steps, 1_000_000 + i * 60_000);
    });
    const r = learn(traces, { now: 5_000_000, min_sessions: 10 });
    // the whole planted block, without the Read or Bash:git every session has
    expect(r.sequential.map((p) => key(p.steps))).toEqual(['Skill:tdd > Agent:code-reviewer > Bash:typecheck']);
  });
});
