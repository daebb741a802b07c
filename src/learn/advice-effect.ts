// Did the advice help? Sessions that were told a pattern are compared with the holdout sessions,
// which were told nothing (chosen at random by the SessionStart hook). Pure.
//
// - An injection is an AgentopsInjection record: {session_id, hook, holdout, ids}.
// - For each advice id: the test pass rate of the sessions it was injected into ("with") against the
//   pass rate of the holdout sessions ("holdout"); the sessions' final verdicts (last test run);
//   sessions without a test run are unknown and left out, as everywhere in the learner.
// - "followed": of the sessions told a sequence, those whose steps after the injection contain it
//   (gapped, as the miner counts); for parallel advice, that contain all its members.
//
// ## The interval: an anytime-valid confidence sequence, because it is looked at every night
//
// The learner recomputes this every night on all sessions so far, and stops advice as soon as the
// interval says so. A fixed-sample interval (Newcombe's, which this used before) re-checked every
// night is not a 95% interval any more: the chance that it excludes the true difference on SOME night
// grows with the number of nights (test/advice-sequence.test.ts measures it). A confidence sequence
// holds at every time at once, so it may be looked at every night and acted on whenever it decides.
//
// Formula (two-sided normal-mixture boundary: Robbins 1970; Howard, Ramdas, McAuliffe & Sekhon 2021,
// "Time-uniform, nonparametric, nonasymptotic confidence sequences", Ann. Statist. 49(2), eq. (14);
// with an estimated variance this is the asymptotic confidence sequence of Waudby-Smith, Arbour,
// Sinha, Kennedy & Ramdas, "Time-uniform central limit theory and asymptotic confidence sequences",
// Ann. Statist. 2024, Theorem 2.2): for a sum S_t of t centred observations with variance process V_t,
//
//     |S_t| < sqrt( (V_t + ρ) · ln( (V_t + ρ) / (ρ α²) ) )     for all t at once, w.p. ≥ 1 − α.
//
// Here the observations are the sessions of both arms (told: n1, holdout: n2, t = n1 + n2); the
// difference of the pass rates d = p1 − p2 is estimated as a mean with t²·Var(d̂) = t²(σ1²/n1 + σ2²/n2),
// so V_t = t²(σ̂1²/n1 + σ̂2²/n2) and the interval is d̂ ± boundary(V_t)/t. σ̂² = p̃(1 − p̃) with
// p̃ = (passed + 1)/(n + 2), so a streak of passes never gives a zero-width interval. ρ sets where the
// boundary is tightest: ρ = V*/(−2 ln α + ln(1 − 2 ln α)) (Waudby-Smith et al., eq. 2.6), with V* the
// variance process of `horizon` sessions at the configured holdout share and pass rates near 50%.
// Compared with the fixed-sample interval it is about 1.5 times as wide at the horizon; that is the
// price of looking every night. The sample sizes it needs are sessionsToDetect() below.
//
// ## Two comparisons, and which one stops advice
//
// - together: the sessions an item was told in against the holdout sessions, told nothing. It says
//   whether the advice as shown helped, but every item shown in the same sessions shares it: a trap
//   shown next to a good recipe gets the good recipe's uplift.
// - own: the sessions the SessionStart hook told an item in against the sessions it showed the same
//   advice with exactly this item left out (`withheld`, chosen at random per session). Everything
//   else told is the same on both sides, so the difference is the item's own effect. Only the
//   SessionStart hook's sessions are on the told side: its coin chose between them and the withheld
//   ones; a session told the item only by the prompt hook was chosen by its prompt, not by the coin.
// An item is judged by its own comparison once `min_known` sessions with a known outcome had it
// withheld; before that (or when withholding is off) by the together comparison. Switching tests
// could in principle double the false-stop rate, but the together phase is short and its interval
// is far too wide then to lie below +5 points (the loop's adherence-0 runs stop nothing).
//
// ## States
//
// - active: injected as usual.
// - stopped: at least `min_known` known sessions on both sides of the comparison that judges it,
//   and that whole confidence sequence lies below `min_effect`: the evidence says it does not help
//   (or harms). The planner stops injecting it (`demoted`, kept for the planner, is the same flag).
//   A stop is remembered (`stopped_before`, kept by the shell): advice that is no longer told gains
//   no new evidence, and a night that happens to rank it again must not bring it back.
import type { SessionTrace } from '../core/types.js';
import { containsAll } from './match.js';
import { containsGapped } from './evaluate.js';
import { sessionPassed } from './parallel.js';

export interface Injection {
  session_id: string;
  ts_ms: number;
  hook: string;
  holdout: boolean;
  ids: string[];
  /** ids the SessionStart hook left out of the advice it showed (one, chosen at random), if any */
  withheld?: string[];
}

export type AdviceState = 'active' | 'stopped';

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
  /** together: told − holdout */
  effect: number | null;
  /** the anytime-valid 95% confidence sequence of (told − holdout), as of the newest session */
  effect_lower: number | null;
  effect_upper: number | null;
  /** own: sessions the SessionStart hook told it in (the coin's other side) */
  start_known: number;
  start_passed: number;
  /** own: sessions shown the rest of the advice without this item */
  withheld_known: number;
  withheld_passed: number;
  /** own: told − withheld, and its confidence sequence */
  own_effect: number | null;
  own_lower: number | null;
  own_upper: number | null;
  /** the comparison the state comes from: 'own' once enough sessions had it withheld */
  judged_by: 'own' | 'together';
  state: AdviceState;
  /** when it was first stopped (ms: the newest session of that night's data), or null */
  stopped_at: number | null;
  /** = state === 'stopped' (what the planner reads) */
  demoted: boolean;
}

export interface AdviceEffectOptions {
  min_known: number;
  min_effect: number;
  max_gap: number;
  /** 1 − the coverage of the confidence sequence */
  alpha: number;
  /** share of sessions held out (config planner.holdout_share): tunes where the sequence is tightest */
  holdout_share: number;
  /** share of told sessions that have a given item withheld (withhold share / items shown): tunes the own sequence */
  withheld_share: number;
  /** told + holdout sessions at which the sequence is tightest */
  horizon: number;
  /** ids stopped on an earlier night, with when: they stay stopped */
  stopped_before: ReadonlyMap<string, number>;
  /** the time a stop found now is recorded with (the newest session's end) */
  now: number | null;
}

export const DEFAULT_ADVICE_EFFECT: AdviceEffectOptions = {
  min_known: 10,
  min_effect: 0.05,
  max_gap: 5,
  alpha: 0.05,
  holdout_share: 0.1,
  withheld_share: 0.1,
  horizon: 1000,
  stopped_before: new Map(),
  now: null,
};

export interface Interval {
  lower: number;
  upper: number;
}

/** Two-sided normal-mixture boundary for a sum with variance process `v` (Howard et al. 2021, eq. 14). */
export function normalMixtureBoundary(v: number, rho: number, alpha: number): number {
  const w = Math.max(0, v) + rho;
  return Math.sqrt(w * Math.log(w / (rho * alpha * alpha)));
}

/** ρ that makes the boundary tightest at variance process `vStar` (Waudby-Smith et al. 2024, eq. 2.6). */
export function mixtureRho(vStar: number, alpha: number): number {
  const l = -2 * Math.log(alpha);
  return vStar / (l + Math.log(1 + l));
}

/** Variance process of `t` sessions of which a share `h` are held out, both arms passing near 50%. */
function horizonVariance(t: number, h: number): number {
  const share = Math.min(0.95, Math.max(0.05, h));
  return t * (0.25 / (1 - share) + 0.25 / share);
}

export interface SequenceOptions {
  alpha: number;
  holdout_share: number;
  horizon: number;
}

/**
 * Anytime-valid confidence sequence for p1 − p2 from s1 of n1 and s2 of n2 (see the header). Valid
 * when looked at after every session; null without sessions on both sides.
 */
export function differenceSequence(s1: number, n1: number, s2: number, n2: number, o: SequenceOptions = DEFAULT_ADVICE_EFFECT): Interval | null {
  if (!(n1 > 0) || !(n2 > 0)) return null;
  const t = n1 + n2;
  const q1 = (s1 + 1) / (n1 + 2);
  const q2 = (s2 + 1) / (n2 + 2);
  const v = t * t * ((q1 * (1 - q1)) / n1 + (q2 * (1 - q2)) / n2);
  const rho = mixtureRho(horizonVariance(o.horizon, o.holdout_share), o.alpha);
  const half = normalMixtureBoundary(v, rho, o.alpha) / t;
  const d = s1 / n1 - s2 / n2;
  return { lower: Math.max(-1, d - half), upper: Math.min(1, d + half) };
}

const Z_POWER_80 = 0.8416212335729143;
const Z_975 = 1.959963984540054;

export interface DetectionSize {
  /** told + holdout sessions at which the uplift is detected with 80% power */
  sequence: number;
  /** the same for a fixed-sample 95% interval looked at once, at the end */
  fixed: number;
}

/**
 * Sessions (told + holdout) needed to detect an uplift `delta` over a holdout pass rate `base`, with a
 * share `h` of sessions held out, with 80% power: the smallest t at which the lower end of the
 * interval, around an estimate at its expected value, clears zero in 80% of runs (normal
 * approximation of the estimate: d̂ − half(t) > 0 with d̂ ~ N(delta, se(t)²)).
 */
export function sessionsToDetect(delta: number, h: number, o: { alpha?: number; base?: number; horizon?: number } = {}): DetectionSize {
  const alpha = o.alpha ?? 0.05;
  const p2 = o.base ?? 0.5;
  const p1 = Math.min(1, p2 + delta);
  const perSession = (p1 * (1 - p1)) / (1 - h) + (p2 * (1 - p2)) / h;
  const rho = mixtureRho(horizonVariance(o.horizon ?? DEFAULT_ADVICE_EFFECT.horizon, h), alpha);
  const seqOk = (t: number) => normalMixtureBoundary(t * perSession, rho, alpha) / t + Z_POWER_80 * Math.sqrt(perSession / t) <= delta;
  let hi = 1;
  while (!seqOk(hi) && hi < 1e9) hi *= 2;
  let lo = Math.max(1, hi >> 1);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (seqOk(mid)) hi = mid;
    else lo = mid + 1;
  }
  const fixed = Math.ceil((((Z_975 + Z_POWER_80) ** 2) * perSession) / (delta * delta));
  return { sequence: hi, fixed };
}

/** "sequence:A>B" → ['A','B'] and its kind; ids are made by plan/advice.ts adviceId(). */
function parseId(id: string): { kind: string; steps: string[] } {
  const i = id.indexOf(':');
  const kind = id.slice(0, i);
  return { kind, steps: id.slice(i + 1).split(kind === 'parallel' ? '+' : '>') };
}

interface Arm {
  known: number;
  passed: number;
}

function armOf(sessions: Iterable<string>, bySession: ReadonlyMap<string, SessionTrace>): Arm {
  const arm = { known: 0, passed: 0 };
  for (const sid of sessions) {
    const t = bySession.get(sid);
    const v = t ? sessionPassed(t) : null;
    if (v === null) continue;
    arm.known++;
    if (v) arm.passed++;
  }
  return arm;
}

export function adviceEffects(traces: readonly SessionTrace[], injections: readonly Injection[], options: Partial<AdviceEffectOptions> = {}): AdviceEffect[] {
  // An option given as undefined (a caller passing its own optional value on) keeps the default.
  const o: AdviceEffectOptions = { ...DEFAULT_ADVICE_EFFECT };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  const bySession = new Map(traces.map((t) => [t.session_id, t]));
  const holdout = armOf(new Set(injections.filter((i) => i.holdout).map((i) => i.session_id)), bySession);
  // Sessions each id was withheld from (randomised by the SessionStart hook).
  const withheldFrom = new Map<string, Set<string>>();
  for (const inj of injections) {
    for (const id of inj.withheld ?? []) {
      const sessions = withheldFrom.get(id) ?? new Set<string>();
      sessions.add(inj.session_id);
      withheldFrom.set(id, sessions);
    }
  }
  // First injection of each id in each session; a session that had the id withheld stays on the
  // withheld side whatever another hook told it (intention to treat: the coin decides the side).
  const told = new Map<string, Map<string, number>>();
  // Sessions each id was told in by the SessionStart hook: the told side of the own comparison.
  const toldAtStart = new Map<string, Set<string>>();
  for (const inj of injections) {
    if (inj.holdout) continue;
    for (const id of inj.ids) {
      if (withheldFrom.get(id)?.has(inj.session_id)) continue;
      const sessions = told.get(id) ?? new Map<string, number>();
      if (!sessions.has(inj.session_id) || sessions.get(inj.session_id)! > inj.ts_ms) sessions.set(inj.session_id, inj.ts_ms);
      told.set(id, sessions);
      if (inj.hook === 'SessionStart') toldAtStart.set(id, (toldAtStart.get(id) ?? new Set<string>()).add(inj.session_id));
    }
  }
  const ownOptions = { ...o, holdout_share: o.withheld_share };
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
    const withheld = armOf(withheldFrom.get(id) ?? [], bySession);
    const atStart = armOf(toldAtStart.get(id) ?? [], bySession);
    const together = differenceSequence(passed, known, holdout.passed, holdout.known, o);
    const own = differenceSequence(atStart.passed, atStart.known, withheld.passed, withheld.known, ownOptions);
    const judgedBy = withheld.known >= o.min_known ? 'own' : 'together';
    const [ci, first, other] = judgedBy === 'own' ? [own, atStart, withheld] : [together, { known }, holdout];
    const stopsNow = first.known >= o.min_known && other.known >= o.min_known && ci !== null && ci.upper < o.min_effect;
    const before = o.stopped_before.get(id);
    const stoppedAt = before ?? (stopsNow ? o.now : null);
    const stopped = before !== undefined || stopsNow;
    const rate = known ? passed / known : null;
    const hRate = holdout.known ? holdout.passed / holdout.known : null;
    out.push({
      id,
      injected_sessions: sessions.size,
      known,
      passed,
      followed_sessions: followed,
      followed_passed: followedPassed,
      holdout_known: holdout.known,
      holdout_passed: holdout.passed,
      pass_rate: rate,
      holdout_pass_rate: hRate,
      effect: rate !== null && hRate !== null ? rate - hRate : null,
      effect_lower: together ? together.lower : null,
      effect_upper: together ? together.upper : null,
      start_known: atStart.known,
      start_passed: atStart.passed,
      withheld_known: withheld.known,
      withheld_passed: withheld.passed,
      own_effect: atStart.known && withheld.known ? atStart.passed / atStart.known - withheld.passed / withheld.known : null,
      own_lower: own ? own.lower : null,
      own_upper: own ? own.upper : null,
      judged_by: judgedBy,
      state: stopped ? 'stopped' : 'active',
      stopped_at: stoppedAt ?? null,
      demoted: stopped,
    });
  }
  return out;
}
