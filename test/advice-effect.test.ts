import { describe, expect, it } from 'vitest';
import type { SessionTrace, Step } from '../src/core/types.js';
import { adviceEffects, type Injection } from '../src/learn/advice-effect.js';

const step = (activity: string, t: number, passed?: boolean): Step => ({
  activity,
  start_ms: t,
  end_ms: t + 1,
  outcome: passed === false ? 'error' : 'ok',
  tool_use_id: null,
  agent: null,
  test: passed === undefined ? null : { runner: 'vitest', passed, counts: { passed: null, failed: null, skipped: null, total: null } },
});

function session(id: string, acts: string[], passed: boolean | null): SessionTrace {
  const steps = acts.map((a, i) => step(a, 100 + i * 10));
  if (passed !== null) steps.push(step('Bash:test', 1000, passed));
  return { session_id: id, project: null, start_ms: 0, end_ms: 2000, steps, stop_failures: 0, interrupts: 0, prompts: [] };
}

const ID = 'sequence:Read>Edit';

describe('advice effect', () => {
  it('compares told sessions with the holdout and counts who followed the advice', () => {
    const traces: SessionTrace[] = [];
    const injections: Injection[] = [];
    for (let i = 0; i < 150; i++) {
      // told: 112 of 150 pass; the 112 passing ones followed the advice
      traces.push(session(`t${i}`, i < 112 ? ['Read', 'Edit'] : ['Edit'], i < 112));
      injections.push({ session_id: `t${i}`, ts_ms: 50, hook: 'SessionStart', holdout: false, ids: [ID] });
      // holdout: 60 of 150 pass
      traces.push(session(`h${i}`, ['Read', 'Edit'], i < 60));
      injections.push({ session_id: `h${i}`, ts_ms: 50, hook: 'SessionStart', holdout: true, ids: [] });
    }
    const [e] = adviceEffects(traces, injections);
    expect(e).toMatchObject({ id: ID, injected_sessions: 150, known: 150, passed: 112, followed_sessions: 112, followed_passed: 112, holdout_known: 150, holdout_passed: 60, state: 'active', demoted: false });
    expect(e!.effect).toBeCloseTo(112 / 150 - 0.4, 10);
    expect(e!.effect_lower!).toBeGreaterThan(0);
    expect(e!.effect_upper!).toBeGreaterThan(e!.effect!);
  });

  it('stops advice whose whole confidence sequence lies below the minimum effect, only with enough sessions', () => {
    const make = (n: number) => {
      const traces: SessionTrace[] = [];
      const injections: Injection[] = [];
      for (let i = 0; i < n; i++) {
        traces.push(session(`t${i}`, ['Read', 'Edit'], i < n * 0.2));
        injections.push({ session_id: `t${i}`, ts_ms: 50, hook: 'SessionStart', holdout: false, ids: [ID] });
        traces.push(session(`h${i}`, ['Edit'], i < n * 0.7));
        injections.push({ session_id: `h${i}`, ts_ms: 50, hook: 'SessionStart', holdout: true, ids: [] });
      }
      return adviceEffects(traces, injections)[0]!;
    };
    // 20% vs 70%: 60 sessions a side decide; 30 a side do not yet (the anytime-valid sequence is
    // wider than a one-look interval, which would already exclude +5 points there)
    expect(make(60)).toMatchObject({ state: 'stopped', demoted: true });
    expect(make(60).effect_upper!).toBeLessThan(0.05);
    expect(make(30)).toMatchObject({ state: 'active', demoted: false });
    expect(make(30).effect_upper!).toBeGreaterThan(0.05);
    expect(make(5).demoted).toBe(false); // too few sessions to say
  });

  it('only counts steps after the injection as following it, and ignores unknown outcomes', () => {
    const t = session('a', ['Read', 'Edit'], null);
    const e = adviceEffects([t], [{ session_id: 'a', ts_ms: 500, hook: 'UserPromptSubmit', holdout: false, ids: [ID] }])[0]!;
    expect(e).toMatchObject({ injected_sessions: 1, known: 0, followed_sessions: 0, pass_rate: null, effect: null, demoted: false });
  });

  it('judges an item by its own comparison once enough sessions had it withheld: a trap told next to a good recipe is stopped', () => {
    const GOOD = 'sequence:Read>Edit';
    const TRAP = 'sequence:Grep>Write';
    const traces: SessionTrace[] = [];
    const injections: Injection[] = [];
    // Told both: 55% pass. Trap withheld (good told alone): 85%. Good withheld (trap alone): 25%.
    // Holdout (told nothing): 20%. Together, both items look good against the holdout; on its own
    // the trap costs 30 points.
    const arm = (prefix: string, n: number, passRate: number, inj: Omit<Injection, 'session_id' | 'ts_ms' | 'hook'>) => {
      for (let i = 0; i < n; i++) {
        traces.push(session(`${prefix}${i}`, ['Read'], i < n * passRate));
        injections.push({ session_id: `${prefix}${i}`, ts_ms: 50, hook: 'SessionStart', ...inj });
      }
    };
    arm('b', 300, 0.55, { holdout: false, ids: [GOOD, TRAP], withheld: [] });
    arm('g', 60, 0.85, { holdout: false, ids: [GOOD], withheld: [TRAP] });
    arm('t', 60, 0.25, { holdout: false, ids: [TRAP], withheld: [GOOD] });
    arm('h', 60, 0.2, { holdout: true, ids: [] });
    // Sessions told the trap only by the prompt hook, chosen by their prompts (here: all pass). They
    // count for the together comparison, never for the own one: the SessionStart coin did not choose them.
    for (let i = 0; i < 200; i++) {
      traces.push(session(`p${i}`, ['Read'], true));
      injections.push({ session_id: `p${i}`, ts_ms: 50, hook: 'UserPromptSubmit', holdout: false, ids: [TRAP] });
    }
    const byId = new Map(adviceEffects(traces, injections).map((e) => [e.id, e]));
    const trap = byId.get(TRAP)!;
    const good = byId.get(GOOD)!;
    // told = both + alone (+ by prompt); withheld sessions are never on the told side
    expect(trap).toMatchObject({ known: 560, start_known: 360, start_passed: 180, withheld_known: 60, withheld_passed: 51, judged_by: 'own', state: 'stopped', demoted: true });
    expect(trap.own_effect!).toBeCloseTo(180 / 360 - 51 / 60, 10);
    expect(trap.effect_lower!).toBeGreaterThan(0); // together it "helps"...
    expect(trap.own_upper!).toBeLessThan(0.05); // ...on its own it does not
    expect(good).toMatchObject({ known: 360, withheld_known: 60, judged_by: 'own', state: 'active' });
    expect(good.own_lower!).toBeGreaterThan(0);
    // Without the withheld sessions the same data only has the together comparison: nothing stops.
    const together = adviceEffects(traces.filter((t) => !/^[gtp]/.test(t.session_id)), injections.filter((i) => !/^[gtp]/.test(i.session_id)));
    expect(together.map((e) => [e.judged_by, e.state])).toEqual([
      ['together', 'active'],
      ['together', 'active'],
    ]);
  });

  it('a stop is remembered: advice stopped on an earlier night stays stopped whatever the new evidence says', () => {
    const traces = [session('a', ['Read', 'Edit'], true), session('h', [], false)];
    const injections: Injection[] = [
      { session_id: 'a', ts_ms: 50, hook: 'SessionStart', holdout: false, ids: [ID] },
      { session_id: 'h', ts_ms: 50, hook: 'SessionStart', holdout: true, ids: [] },
    ];
    expect(adviceEffects(traces, injections)[0]).toMatchObject({ state: 'active', stopped_at: null });
    const e = adviceEffects(traces, injections, { stopped_before: new Map([[ID, 123]]), now: 999 })[0]!;
    expect(e).toMatchObject({ state: 'stopped', demoted: true, stopped_at: 123 });
  });
});
