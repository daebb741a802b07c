// Issue 14, "close the loop": a simulated agent that reads the advice the installed hooks print,
// weeks of use (here: a few days) through the real hooks and the nightly learning run, and whether
// advised sessions then pass more than holdout and control sessions. The pure parts are tested
// exhaustively; the loop itself once on a small world (the 60-day run is `npm run bench -- loop`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalize } from '../src/core/normalize.js';
import { buildTraces } from '../src/learn/traces.js';
import { renderAdvice, type Advice } from '../src/plan/render.js';
import { avoidRun, decide, parseAdviceText, parseHookOutputs } from '../src/sim/agent-policy.js';
import { expectedActivities, loopOptions, loopTruth, openingPayloads, outcomes, passChance, sessionTask, workPayloads } from '../src/sim/loop-world.js';
import { WORLD_TEST } from '../src/sim/worlds.js';
import { productNightly } from '../src/cli/simulate-command.js';
import { runLoop, truthOf, type LoopResult } from '../src/shell/loop-run.js';

const DAY0 = Date.UTC(2026, 0, 5);

describe('loop world: payloads the learner reads back', () => {
  it('every session of three worlds comes back from normalize + buildTraces as the steps the agent did, with its verdicts', () => {
    for (const seed of [1, 2, 3]) {
      const o = loopOptions({ seed });
      const truth = loopTruth(o);
      for (let i = 0; i < 60; i++) {
        const task = sessionTask(o, truth, Math.floor(i / 20), i % 20, 20, DAY0);
        const passed = outcomes(o, truth, task, task.habit);
        const payloads = [...openingPayloads(task, '/w/p'), ...workPayloads(task, '/w/p', task.habit, passed)];
        const records = payloads.map((p, k) => {
          const r = normalize({ id: `${p.ns}-${k}`, ts_ms: Number(p.ns / 1_000_000n), source: 'hook', value: p.payload }, { projectOf: () => '/w/p', maxFieldChars: 4000 });
          if (!r.ok) throw new Error(`${p.event}: ${r.reason}`);
          return r.record;
        });
        const [trace] = buildTraces(records);
        expect(trace!.steps.map((s) => s.activity)).toEqual(expectedActivities(task.habit));
        expect(trace!.steps.filter((s) => s.test).map((s) => s.test!.passed)).toEqual(passed);
        // the SessionStart hook's holdout coin reads the microsecond digits: (ns / 1000) % 100
        expect(Number((payloads[0]!.ns / 1000n) % 100n)).toBe(task.clock_us % 100);
      }
    }
  });

  it('ground truth: the good recipe before the test helps, the anti recipe hurts, the trap does not help but goes with passing tests', () => {
    const o = loopOptions({ seed: 4 });
    const t = loopTruth(o);
    expect(new Set([...t.good, ...t.anti, ...t.trap]).size).toBe(t.good.length + t.anti.length + t.trap.length);
    for (const easy of [true, false]) {
      const none = passChance(o, t, easy, ['Read']);
      expect(passChance(o, t, easy, ['Read', ...t.good])).toBeGreaterThan(none);
      expect(passChance(o, t, easy, [...t.good, 'Read'])).toBe(none); // not right before the test: no help
      expect(passChance(o, t, easy, ['Read', ...t.anti])).toBeLessThan(none);
      expect(passChance(o, t, easy, ['Read', ...t.trap])).toBeLessThanOrEqual(none);
    }
    // In the habitual history, sessions that used the trap pass MORE (they are mostly easy tasks).
    let trapPass = 0;
    let trapN = 0;
    let otherPass = 0;
    let otherN = 0;
    for (let i = 0; i < 2000; i++) {
      const task = sessionTask(o, t, Math.floor(i / 20), i % 20, 20, DAY0);
      const v = outcomes(o, t, task, task.habit).at(-1)!;
      if (task.habit.some((e) => e.recipe === 'trap')) [trapPass, trapN] = [trapPass + Number(v), trapN + 1];
      else [otherPass, otherN] = [otherPass + Number(v), otherN + 1];
    }
    expect(trapPass / trapN).toBeGreaterThan(otherPass / otherN + 0.1);
  });
});

describe('agent policy: reads what the planner printed', () => {
  const items: Advice[] = [
    { id: 'a', kind: 'sequence', steps: ['Glob', 'Bash:format', 'WebFetch'], sessions: 40, pass_rate: 0.8, baseline: 0.5 },
    { id: 'b', kind: 'sequence', steps: ['mcp:github', 'Bash:test'], sessions: 30, pass_rate: 0.7, baseline: 0.5 },
    { id: 'c', kind: 'parallel', steps: ['Grep', 'Glob'], sessions: 9, pass_rate: 0.6, baseline: 0.5, saved_ms: 4000 },
    { id: 'd', kind: 'avoid', steps: ['Agent:Explore', '/review'], sessions: 20, pass_rate: 0.2, baseline: 0.5 },
  ];
  const text = renderAdvice(items, 5000).text;

  it('parses the rendered text back into sequences and anti-patterns (parallel advice is not a recipe)', () => {
    expect(parseAdviceText(text)).toEqual({ follow: [['Glob', 'Bash:format', 'WebFetch'], ['mcp:github', 'Bash:test']], avoid: [['Agent:Explore', '/review']] });
  });

  it('reads the additionalContext of the hooks\' JSON output and nothing else', () => {
    const start = JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: text }, systemMessage: 'Avoid (went with failing tests):\n- A → B: seen in 3 sessions' });
    const prompt = JSON.stringify({ hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: renderAdvice([{ id: 'e', kind: 'sequence', steps: ['Read', 'Edit'], sessions: 9, pass_rate: 0.9, baseline: 0.5 }], 5000).text } });
    const parsed = parseHookOutputs(['', `${start}\n`, 'not json', prompt]);
    expect(parsed.follow).toEqual([['Glob', 'Bash:format', 'WebFetch'], ['mcp:github', 'Bash:test'], ['Read', 'Edit']]);
    expect(parsed.avoid).toEqual([['Agent:Explore', '/review']]);
    expect(parseHookOutputs([''])).toEqual({ follow: [], avoid: [] });
  });

  it('follows each sequence and avoids each anti-pattern with probability adherence', () => {
    const habit = [{ noise: ['Read'], recipe: 'anti' as const, steps: ['Read', 'Agent:Explore', '/review'] }];
    const advice = parseAdviceText(text);
    expect(decide(habit, advice, 0, 1).episodes).toEqual(habit);
    const all = decide(habit, advice, 1, 1);
    // the test run inside advice is the episode's own closing test run
    expect(all.episodes[0]!.steps).toEqual(['Read', 'Glob', 'Bash:format', 'WebFetch', 'mcp:github']);
    const avoidOnly = decide(habit, { follow: [], avoid: advice.avoid }, 1, 1);
    expect(avoidOnly.episodes[0]!.steps).toEqual(['Read', 'Agent:Explore']);
    let followed = 0;
    for (let s = 0; s < 2000; s++) followed += decide(habit, advice, 0.6, s).followed.length;
    expect(followed / 2000 / advice.follow.length).toBeCloseTo(0.6, 1);
    // a followed sequence that is part of another followed one is done by doing the other
    const nested = decide(habit, { follow: [['Bash:format', 'WebFetch'], ['Glob', 'Bash:format', 'WebFetch']], avoid: [] }, 1, 1);
    expect(nested.followed).toEqual([['Glob', 'Bash:format', 'WebFetch']]);
    expect(nested.episodes[0]!.steps).toEqual(['Read', 'Glob', 'Bash:format', 'WebFetch']);
    // an anti-pattern that ends in the test run: the step before the test is left out
    expect(avoidRun(['Read', 'Bash:run'], ['Bash:run', WORLD_TEST])).toEqual(['Read']);
    expect(avoidRun(['Bash:run', 'Read'], ['Bash:run', WORLD_TEST])).toEqual(['Bash:run', 'Read']);
  });

  it('names which planted recipe a piece of advice amounts to', () => {
    const truth = { good: ['A', 'B'], anti: ['C', 'D'], trap: ['E', 'F'] };
    expect(truthOf('sequence', ['A', 'B', WORLD_TEST], truth)).toBe('good');
    expect(truthOf('sequence', ['X', 'A', 'B'], truth)).toBe('good');
    expect(truthOf('sequence', ['A'], truth)).toBeNull(); // a part of it does not help
    expect(truthOf('sequence', ['E', 'F'], truth)).toBe('trap');
    expect(truthOf('avoid', ['D', WORLD_TEST], truth)).toBe('anti');
    expect(truthOf('avoid', ['C', 'D'], truth)).toBe('anti');
    expect(truthOf('avoid', ['A', 'B'], truth)).toBeNull();
  });
});

describe('the loop on a small world, through the installed hooks and the nightly run', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const run = (adherence: number, days: number, perDay: number): Promise<LoopResult> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-loop-test-'));
    dirs.push(dir);
    // A small world (one episode a session, little noise) with large effects, a 30% holdout and a
    // demo-sized evidence bar, so that a few days of 10 sessions decide.
    return runLoop({ days, sessions_per_day: perDay, seed: 5, adherence, holdout_share: 0.3, min_sessions: 8, dir, nightly: productNightly, world: { good_lift: 0.5, habit_good: 0.3, episodes: [1, 1], noise: [0, 2] } });
  };

  it('advised sessions pass more than holdout and control sessions from the day the good recipe is advised', async () => {
    const r = await run(1, 5, 10);
    expect(r.commits).toBeGreaterThan(0); // the nightly learning commit went into the scratch repository
    expect(r.days.map((d) => d.sessions)).toEqual([10, 10, 10, 10, 10]);
    // no advice before the first night's learning: the first day is neither advised nor held out
    expect(r.days[0]).toMatchObject({ advised: 0, holdout: 0, pass_advised: null, pass_holdout: null });
    expect(r.milestones.good_advised).not.toBeNull();
    const s = r.since_good!;
    expect(s.holdout_n).toBeGreaterThan(0);
    expect(s.advised!).toBeGreaterThan(s.holdout!);
    expect(s.advised!).toBeGreaterThan(s.control!);
    const good = r.advice.find((a) => a.truth === 'good')!;
    expect(good.first_day).toBe(r.milestones.good_advised);
    expect(good.state).toBe('active');
    expect(good.uplift!).toBeGreaterThan(0);
    // a share of the advised sessions had one item withheld (recorded by the SessionStart hook), and
    // each item has its own comparison against them
    expect(r.days.reduce((n, d) => n + d.withheld, 0)).toBeGreaterThan(0);
    expect(r.advice.some((a) => a.withheld > 0 && a.own_uplift !== null)).toBe(true);
    // the same tasks without the product pass less: the difference is what the agent did
    for (const d of r.days) if (d.day >= r.milestones.good_advised! && d.advised > 0) expect(d.pass_advised!).toBeGreaterThanOrEqual(d.pass_advised_twins!);
  }, 120_000);

  it('with adherence 0 the advice changes nothing: no effect claimed, nothing stopped', async () => {
    const r = await run(0, 4, 10);
    expect(r.advice.length).toBeGreaterThan(0);
    for (const a of r.advice) {
      expect(a.lower!).toBeLessThanOrEqual(0);
      expect(a.upper!).toBeGreaterThanOrEqual(0);
      if (a.own_lower !== null) expect(a.own_lower).toBeLessThanOrEqual(0);
      if (a.own_upper !== null) expect(a.own_upper).toBeGreaterThanOrEqual(0);
      expect(a.state).toBe('active');
    }
    // the agent ignored the advice, so every advised session did exactly what its twin in the control run did
    const advisedDays = r.days.filter((d) => d.advised > 0);
    expect(advisedDays.length).toBeGreaterThan(0);
    for (const d of advisedDays) expect(d.pass_advised).toBe(d.pass_advised_twins);
  }, 120_000);
});
