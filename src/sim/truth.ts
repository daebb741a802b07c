// What was planted, per corpus and per session (SimTruth). Pure.
import { ACT, NOISE } from './fixtures.js';
import type { SimEvent, SimSession } from './model.js';
import { resolvePlanted, type SessionStyle, type SimTruth, type SimulateOptions } from './options.js';
import { passRate } from './plan-session.js';

export type TruthRow = SimTruth['sessions'][number];

export function truthRow(s: SimSession): TruthRow {
  return { session_id: s.session_id, style: s.style, kind: s.kind, prompt_kind: s.prompt_kind, passed: s.passed, start_ms: (s.events[0] as SimEvent).ts };
}

export function truthOf(o: SimulateOptions, rows: TruthRow[]): SimTruth {
  const p = resolvePlanted(o.planted);
  const share: Record<SessionStyle, number> = {
    good: p.good_share, anti: p.anti_share, 'no-test': p.no_test_share,
    neutral: Math.max(0, 1 - p.good_share - p.anti_share - p.no_test_share),
  };
  // Intended pass rate of tested sessions of the given styles, weighted by their shares.
  const rateOf = (styles: SessionStyle[]): number => {
    let w = 0;
    let r = 0;
    for (const st of styles) {
      w += share[st];
      r += share[st] * passRate(st, p);
    }
    return w > 0 ? r / w : 0;
  };
  return {
    seed: o.seed,
    planted: p,
    good_sequence: { steps: [ACT.read, ACT.edit, ACT.test], pass_rate: p.good_pass_rate, baseline: rateOf(['anti', 'neutral']) },
    anti_pattern: { steps: [ACT.edit, ACT.edit, ACT.edit], pass_rate: p.anti_pass_rate, baseline: rateOf(['good', 'neutral']) },
    concurrent_pairs: [
      { members: [ACT.glob, ACT.grep], share: p.concurrent_share },
      { members: [ACT.explore, ACT.reviewer], share: p.subagent_pair_share },
    ],
    order_independent_pair: { members: [ACT.lint, ACT.typecheck], share: p.order_independent_share * (1 - p.no_test_share) },
    noise_activities: [...NOISE, ACT.format, ACT.plan, ACT.debugger, ACT.docsSkill],
    activities: [...new Set(Object.values(ACT))].sort(),
    sessions: rows,
  };
}
