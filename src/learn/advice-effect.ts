// Did the advice help? Sessions that were told a pattern are compared with the holdout sessions,
// which were told nothing (chosen at random by the SessionStart hook). Pure.
//
// - An injection is an AgentopsInjection record: {session_id, hook, holdout, ids}.
// - For each advice id: the test pass rate of the sessions it was injected into ("with") against the
//   pass rate of the holdout sessions ("holdout"); the sessions' final verdicts (last test run);
//   sessions without a test run are unknown and left out, as everywhere in the learner.
// - "followed": of the sessions told a sequence, those whose steps after the injection contain it
//   (gapped, as the miner counts); for parallel advice, that contain all its members.
// - Demoted: advice with at least `min_known` known sessions on both sides whose 95% Newcombe interval
//   of (with - holdout) lies wholly below `min_effect` — the evidence says it does not help.
import type { SessionTrace } from '../core/types.js';
import { containsAll } from '../plan/match.js';
import { containsGapped } from './evaluate.js';
import { sessionPassed } from './parallel.js';
import { newcombeInterval } from './rank.js';

export interface Injection {
  session_id: string;
  ts_ms: number;
  hook: string;
  holdout: boolean;
  ids: string[];
}

export interface AdviceEffect {
  id: string;
  injected_sessions: number;
  known: number;
  passed: number;
  followed_sessions: number;
  followed_passed: number;
  holdout_known: number;
  holdout_passed: number;
  pass_rate: number | null;
  holdout_pass_rate: number | null;
  effect: number | null;
  effect_lower: number | null;
  effect_upper: number | null;
  demoted: boolean;
}

export interface AdviceEffectOptions {
  min_known: number;
  min_effect: number;
  max_gap: number;
}

export const DEFAULT_ADVICE_EFFECT: AdviceEffectOptions = { min_known: 10, min_effect: 0.05, max_gap: 5 };

/** "sequence:A>B" → ['A','B'] and its kind; ids are made by plan/advice.ts adviceId(). */
function parseId(id: string): { kind: string; steps: string[] } {
  const i = id.indexOf(':');
  const kind = id.slice(0, i);
  return { kind, steps: id.slice(i + 1).split(kind === 'parallel' ? '+' : '>') };
}

export function adviceEffects(traces: readonly SessionTrace[], injections: readonly Injection[], options: Partial<AdviceEffectOptions> = {}): AdviceEffect[] {
  const o = { ...DEFAULT_ADVICE_EFFECT, ...options };
  const bySession = new Map(traces.map((t) => [t.session_id, t]));
  const holdout = new Set(injections.filter((i) => i.holdout).map((i) => i.session_id));
  let holdoutKnown = 0;
  let holdoutPassed = 0;
  for (const sid of holdout) {
    const t = bySession.get(sid);
    const v = t ? sessionPassed(t) : null;
    if (v === null) continue;
    holdoutKnown++;
    if (v) holdoutPassed++;
  }
  // First injection of each id in each session.
  const told = new Map<string, Map<string, number>>();
  for (const inj of injections) {
    if (inj.holdout) continue;
    for (const id of inj.ids) {
      const sessions = told.get(id) ?? new Map<string, number>();
      if (!sessions.has(inj.session_id) || sessions.get(inj.session_id)! > inj.ts_ms) sessions.set(inj.session_id, inj.ts_ms);
      told.set(id, sessions);
    }
  }
  const out: AdviceEffect[] = [];
  for (const [id, sessions] of [...told].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const { kind, steps } = parseId(id);
    let known = 0;
    let passed = 0;
    let followed = 0;
    let followedPassed = 0;
    for (const [sid, at] of sessions) {
      const t = bySession.get(sid);
      if (!t) continue;
      const after = t.steps.filter((s) => s.start_ms >= at && s.agent === null).map((s) => s.activity);
      const did = kind === 'parallel' ? containsAll(after, steps) : containsGapped(after, steps, o.max_gap);
      const v = sessionPassed(t);
      if (did) followed++;
      if (v === null) continue;
      known++;
      if (v) passed++;
      if (did && v) followedPassed++;
    }
    const enough = known >= o.min_known && holdoutKnown >= o.min_known;
    const ci = known > 0 && holdoutKnown > 0 ? newcombeInterval(passed, known, holdoutPassed, holdoutKnown) : null;
    const rate = known ? passed / known : null;
    const hRate = holdoutKnown ? holdoutPassed / holdoutKnown : null;
    out.push({
      id,
      injected_sessions: sessions.size,
      known,
      passed,
      followed_sessions: followed,
      followed_passed: followedPassed,
      holdout_known: holdoutKnown,
      holdout_passed: holdoutPassed,
      pass_rate: rate,
      holdout_pass_rate: hRate,
      effect: rate !== null && hRate !== null ? rate - hRate : null,
      effect_lower: ci ? ci.lower : null,
      effect_upper: ci ? ci.upper : null,
      demoted: enough && ci !== null && ci.upper < o.min_effect,
    });
  }
  return out;
}
