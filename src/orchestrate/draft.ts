// Drafts a workflow for a task from the precomputed history (history.ts). Pure: no node:*, no clock.
//
// 1. Basis: the sessions whose prompts are most like the task (BM25 over each session's prompts, the
//    `top_similar` best with a score above 0), in the task's project when it has `min_green` green ones
//    among them, else over every project; of those, the ones that ended green (last test run passed).
//    Too few green: it says so and drafts the global plan from every green session, or nothing when
//    even those are too few. It never adds a step no green session took.
//    Each green basis session weighs its BM25 score relative to the best one's (`similarity_power`):
//    the closer its prompts are to the task, the more it says about the plan.
// 2. Steps: the activities found in at least `min_share` of the green basis sessions, counted by
//    their weights (and in at least 2 of them), each with its evidence: in how many of them, the pass
//    rate of every session with it vs without it, and the learned pattern it takes part in. Fewer
//    than `thin_sessions` sessions: marked thin.
// 3. Order: for every two steps, how often the green sessions took one first (first occurrences; the
//    similar ones weigh `order_weight` times their weight, up to `order_prior` other green sessions
//    of the scope once); steps sorted by their summed share of wins (Borda), then neighbours swapped while the sessions
//    took them the other way round more often (local Kemenization). Phases (phases.ts) follow that
//    order: consecutive steps of one phase form a phase, so a phase the history returns to appears
//    again. An ordered pair is reported when the green sessions that have both took them in that
//    order at least `order_share` of the time.
// 4. Parallel groups: learned parallel patterns whose members are all steps, only where the sessions
//    running them together did not pass less often than the others (pass rate >= baseline).
// 5. Test gates: after which phase the green sessions ran the tests (the last non-test step before a
//    test run), kept where at least half of them did. Avoid: learned anti-patterns, those touching the
//    plan's steps first.
// 6. Installed: a subagent, skill, MCP server or command the catalog does not find installed is
//    listed as not installed here, never as a step.
import { ACTIVITY_CODE_BASE, decodeActivities, type HistoryPattern, type OrchestrateHistory } from './history.js';
import { scoreCompact } from './prompts.js';
import { assignPhases, type PhaseName } from './phases.js';
import { median } from '../learn/stats.js';
import { round } from '../core/round.js';

export interface StepEvidence {
  /** green basis sessions with the activity, of `of` */
  sessions: number;
  of: number;
  share: number;
  /** every recorded session with / without it that ran tests: share green */
  pass_rate: number | null;
  baseline: number | null;
  /** the learned pattern it takes part in ("Read → Edit → Bash:test"), project first */
  pattern: string | null;
  /** fewer than thin_sessions sessions back it */
  thin: boolean;
}

export interface PlanStep {
  activity: string;
  evidence: StepEvidence;
}

export interface ParallelGroup {
  members: string[];
  relation: string | null;
  sessions: number;
  pass_rate: number | null;
  baseline: number | null;
  saved_ms: number;
}

export interface TestGate {
  activity: 'Bash:test';
  /** green basis sessions that ran tests right after this phase, of `of` */
  sessions: number;
  of: number;
  share: number;
}

export interface PlanPhase {
  name: PhaseName;
  steps: PlanStep[];
  /** members of each parallel group (evidence in parallel_evidence, same order) */
  parallel: string[][];
  parallel_evidence: ParallelGroup[];
  gate: TestGate | null;
}

export interface OrderedPair {
  before: string;
  after: string;
  /** green basis sessions with both, and the share that took them in this order */
  sessions: number;
  share: number;
}

export interface AvoidItem {
  steps: string[];
  sessions: number;
  pass_rate: number | null;
  baseline: number | null;
}

export type BasisScope = 'project' | 'global' | 'all-green' | 'none';

export interface Plan {
  task: string;
  basis: { sessions: number; similar: number; green: number; scope: BasisScope };
  phases: PlanPhase[];
  order: OrderedPair[];
  avoid: AvoidItem[];
  not_installed: PlanStep[];
  notes: string[];
}

export interface DraftOptions {
  /** project folder of the task; its sessions come first */
  project?: string | null;
  /** false = not found installed; null = not a catalog item (built-in tools) or unknown */
  installed?: ((activity: string) => boolean | null) | null;
  top_similar?: number;
  /** a similar green session weighs (its BM25 score / the best one's) to this power; 0: all alike */
  similarity_power?: number;
  min_green?: number;
  min_share?: number;
  thin_sessions?: number;
  order_share?: number;
  gate_share?: number;
  max_avoid?: number;
  /** weight of a similar green session against any other green one when ordering steps (Infinity: similar only) */
  order_weight?: number;
  /** at most this many other green sessions (newest first, same project when the basis is) weigh in on the order */
  order_prior?: number;
}

export const DRAFT_DEFAULTS = {
  top_similar: 30,
  similarity_power: 1,
  min_green: 3,
  min_share: 0.5,
  thin_sessions: 5,
  order_share: 0.8,
  gate_share: 0.5,
  max_avoid: 3,
  order_weight: 3,
  order_prior: 300,
} as const;



/** Index of the history's project that holds `dir` (the nearest one), or -1. */
export function projectIndex(history: OrchestrateHistory, dir: string | null | undefined): number {
  if (!dir) return -1;
  let best = -1;
  history.projects.forEach((p, i) => {
    if ((dir === p || dir.startsWith(p.endsWith('/') ? p : `${p}/`)) && (best < 0 || p.length > history.projects[best]!.length)) best = i;
  });
  return best;
}

function passRates(history: OrchestrateHistory, activity: number): { pass_rate: number | null; baseline: number | null } {
  const s = history.activity_stats[activity];
  if (!s) return { pass_rate: null, baseline: null };
  const [, known, passed] = s;
  const otherKnown = history.totals.known - known;
  return {
    pass_rate: known > 0 ? round(passed / known) : null,
    baseline: otherKnown > 0 ? round((history.totals.passed - passed) / otherKnown) : null,
  };
}

/** The sessions a plan is drafted from (positions in history.sessions), and how they were chosen. */
export function selectBasis(history: OrchestrateHistory, task: string, o: Required<Pick<DraftOptions, 'top_similar' | 'min_green' | 'similarity_power'>> & { project: number }):
  { scope: BasisScope; similar: number[]; green: number[]; weights: number[]; notes: string[] } {
  const all = scoreCompact(history.prompts, task);
  const greenOf = (ids: number[]) => ids.filter((i) => history.sessions[i]?.ok === 1);
  // The best `top_similar` sessions and their green ones, each weighing its score relative to the
  // best green one's (to the power `similarity_power`): the closer a session is to the task, the
  // more it says about it.
  const pick = (list: { id: number; score: number }[]) => {
    const similar = list.slice(0, o.top_similar);
    const green = similar.filter((s) => history.sessions[s.id]?.ok === 1);
    const top = green[0]?.score ?? 1;
    return { similar: similar.map((s) => s.id), green: green.map((s) => s.id), weights: green.map((s) => (s.score / top) ** o.similarity_power) };
  };
  const notes: string[] = [];
  if (o.project >= 0) {
    const { similar, green, weights } = pick(all.filter((s) => history.sessions[s.id]?.p === o.project));
    if (green.length >= o.min_green) return { scope: 'project', similar, green, weights, notes };
    notes.push(`this project has ${similar.length} past session${similar.length === 1 ? '' : 's'} like the task, ${green.length} green (need ${o.min_green}): using every project's`);
  }
  const { similar, green, weights } = pick(all);
  if (green.length >= o.min_green) return { scope: 'global', similar, green, weights, notes };
  const allGreen = greenOf(history.sessions.map((_, i) => i));
  if (allGreen.length >= o.min_green) {
    notes.push(`too little history like this task (${similar.length} similar session${similar.length === 1 ? '' : 's'}, ${green.length} green; need ${o.min_green}): this is the global plan, from all ${allGreen.length} green sessions`);
    return { scope: 'all-green', similar: [], green: allGreen, weights: allGreen.map(() => 1), notes };
  }
  notes.push(`too little history to plan from: ${history.totals.sessions} sessions recorded, ${allGreen.length} green (need ${o.min_green}); no steps are suggested`);
  return { scope: 'none', similar, green: [], weights: [], notes };
}

export function draftPlan(history: OrchestrateHistory, task: string, options: DraftOptions = {}): Plan {
  const o = { ...DRAFT_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DRAFT_DEFAULTS & DraftOptions;
  const project = projectIndex(history, options.project);
  const basis = selectBasis(history, task, { top_similar: o.top_similar, similarity_power: o.similarity_power, min_green: o.min_green, project });
  const plan: Plan = {
    task,
    basis: { sessions: history.totals.sessions, similar: basis.similar.length, green: basis.green.length, scope: basis.scope },
    phases: [],
    order: [],
    avoid: [],
    not_installed: [],
    notes: basis.notes,
  };
  const green = basis.green.map((i) => decodeActivities(history.sessions[i]!.a));
  if (green.length === 0) return plan;

  // First position of each activity in each green session (0 = start, 1 = end).
  const firsts = new Map<number, number[]>();
  const firstIndex: Map<number, number>[] = [];
  for (const seq of green) {
    const first = new Map<number, number>();
    seq.forEach((a, k) => {
      if (!first.has(a)) first.set(a, k);
    });
    firstIndex.push(first);
    for (const [a, k] of first) {
      let list = firsts.get(a);
      if (!list) firsts.set(a, (list = []));
      list.push(seq.length > 1 ? k / (seq.length - 1) : 0);
    }
  }
  const wsum = new Map<number, number>();
  green.forEach((seq, g) => {
    for (const a of new Set(seq)) wsum.set(a, (wsum.get(a) ?? 0) + basis.weights[g]!);
  });
  const total = basis.weights.reduce((x, y) => x + y, 0);
  const chosen = [...firsts].filter(([a, pos]) => pos.length >= 2 && wsum.get(a)! >= o.min_share * total - 1e-9);
  const position = new Map(chosen.map(([a, pos]) => [history.activities[a]!, median(pos)]));
  const goodPatterns = history.patterns.filter((p) => p.kind === 'sequential' && (p.project === project || p.project === -1))
    .sort((x, y) => Number(y.project === project) - Number(x.project === project));
  const title = (p: HistoryPattern) => p.steps.join(' → ');

  const steps = new Map<string, PlanStep>();
  for (const [a, pos] of chosen) {
    const name = history.activities[a]!;
    const cited = goodPatterns.find((p) => p.steps.includes(name));
    const step: PlanStep = {
      activity: name,
      evidence: {
        sessions: pos.length,
        of: green.length,
        share: round(pos.length / green.length),
        ...passRates(history, a),
        pattern: cited ? title(cited) : null,
        thin: pos.length < o.thin_sessions,
      },
    };
    if (options.installed?.(name) === false) plan.not_installed.push(step);
    else steps.set(name, step);
  }
  plan.not_installed.sort((x, y) => y.evidence.sessions - x.evidence.sessions || (x.activity < y.activity ? -1 : 1));
  if (plan.not_installed.length) plan.notes.push(`not installed here, so not suggested: ${plan.not_installed.map((s) => s.activity).join(', ')}`);

  const kept = new Map([...position].filter(([a]) => steps.has(a)));
  const phaseOf = assignPhases(kept);
  // Order: by how many other steps each one came before in most green sessions that had both
  // (Copeland's rule over the sessions' first occurrences), ties by median position.
  const names = [...steps.keys()];
  const ids = names.map((n) => history.activities.indexOf(n));
  // The similar green sessions count `order_weight` times; every other green session of the history
  // once, so a small basis does not decide the order alone. before[x * k + y]: weight of sessions
  // with both whose first x came before their first y.
  const k = names.length;
  const slot = new Int32Array(history.activities.length).fill(-1);
  ids.forEach((id, j) => (slot[id] = j));
  const before = new Float64Array(k * k);
  const firstAt = new Int32Array(k);
  const count = (a: string, w: number) => {
    firstAt.fill(-1);
    for (let q = 0; q < a.length; q++) {
      const j = slot[a.charCodeAt(q) - ACTIVITY_CODE_BASE] ?? -1;
      if (j >= 0 && firstAt[j]! < 0) firstAt[j] = q;
    }
    for (let x = 0; x < k; x++) {
      const fx = firstAt[x]!;
      if (fx < 0) continue;
      for (let y = 0; y < k; y++) {
        const fy = firstAt[y]!;
        if (fy > fx) before[x * k + y]! += w;
      }
    }
  };
  const basisSet = new Set(basis.green);
  basis.green.forEach((i, g) => count(history.sessions[i]!.a, o.order_weight * basis.weights[g]!));
  // The prior: the newest `order_prior` other green sessions of the basis' scope (its project, or all).
  if (o.order_weight !== Infinity) {
    let left = o.order_prior;
    for (let i = history.sessions.length - 1; i >= 0 && left > 0; i--) {
      const s = history.sessions[i]!;
      if (s.ok !== 1 || basisSet.has(i) || (basis.scope === 'project' && s.p !== project)) continue;
      count(s.a, 1);
      left--;
    }
  }
  const wins = new Map<string, number>(names.map((n) => [n, 0]));
  for (let x = 0; x < k; x++) {
    for (let y = x + 1; y < k; y++) {
      const xy = before[x * k + y]!;
      const yx = before[y * k + x]!;
      if (xy + yx > 0) {
        wins.set(names[x]!, wins.get(names[x]!)! + xy / (xy + yx));
        wins.set(names[y]!, wins.get(names[y]!)! + yx / (xy + yx));
      }
    }
  }
  const ordered = names.sort((x, y) => wins.get(y)! - wins.get(x)! || kept.get(x)! - kept.get(y)! || (x < y ? -1 : 1));
  // Local Kemenization: swap neighbours the weighted sessions took the other way round more often.
  const slotOf = new Map(names.map((n) => [n, ids.indexOf(history.activities.indexOf(n))]));
  for (let changed = true, guard = 0; changed && guard < k * k; guard++) {
    changed = false;
    for (let q = 0; q + 1 < ordered.length; q++) {
      const x = slotOf.get(ordered[q]!)!;
      const y = slotOf.get(ordered[q + 1]!)!;
      if (before[y * k + x]! > before[x * k + y]!) {
        [ordered[q], ordered[q + 1]] = [ordered[q + 1]!, ordered[q]!];
        changed = true;
      }
    }
  }
  // Phases as the green sessions took them: consecutive steps of one phase form a phase, so a phase
  // the history returns to (test, implement, test) appears again.
  for (const a of ordered) {
    const ph = phaseOf.get(a)!;
    const last = plan.phases[plan.phases.length - 1];
    if (last && last.name === ph) last.steps.push(steps.get(a)!);
    else plan.phases.push({ name: ph, steps: [steps.get(a)!], parallel: [], parallel_evidence: [], gate: null });
  }
  const flat = plan.phases.flatMap((p) => p.steps.map((s) => s.activity));

  // Ordered pairs: consecutive plan steps the green sessions took in this order.
  const idx = (name: string) => history.activities.indexOf(name);
  for (let k = 0; k + 1 < flat.length; k++) {
    const a = idx(flat[k]!);
    const b = idx(flat[k + 1]!);
    let both = 0;
    let inOrder = 0;
    for (const first of firstIndex) {
      const fa = first.get(a);
      const fb = first.get(b);
      if (fa === undefined || fb === undefined) continue;
      both++;
      if (fa < fb) inOrder++;
    }
    if (both >= 3 && inOrder / both >= o.order_share) plan.order.push({ before: flat[k]!, after: flat[k + 1]!, sessions: both, share: round(inOrder / both) });
  }

  // Parallel groups, placed in the phase of their earliest member.
  const planned = new Set(flat);
  const seenGroups = new Set<string>();
  const parallel = history.patterns
    .filter((p) => p.kind === 'parallel' && (p.project === project || p.project === -1))
    .sort((x, y) => Number(y.project === project) - Number(x.project === project) || (y.saved_ms ?? 0) - (x.saved_ms ?? 0));
  for (const p of parallel) {
    const key = [...p.steps].sort().join('\u0000');
    if (seenGroups.has(key) || !p.steps.every((m) => planned.has(m))) continue;
    if (p.pass_rate === null || p.baseline === null || p.pass_rate < p.baseline) continue;
    seenGroups.add(key);
    const first = [...p.steps].sort((x, y) => flat.indexOf(x) - flat.indexOf(y))[0]!;
    const phase = plan.phases.find((ph) => ph.steps.some((s) => s.activity === first))!;
    phase.parallel.push([...p.steps]);
    phase.parallel_evidence.push({ members: [...p.steps], relation: p.relation ?? null, sessions: p.sessions, pass_rate: p.pass_rate, baseline: p.baseline, saved_ms: p.saved_ms ?? 0 });
  }

  // Test gates: the phase of the last non-test plan step before each test run.
  const test = history.activities.indexOf('Bash:test');
  const phaseByAct = new Map<number, PhaseName>();
  for (const [a, ph] of phaseOf) if (ph !== 'test') phaseByAct.set(idx(a), ph);
  const gateCount = new Map<PhaseName, number>();
  if (test >= 0) {
    for (const seq of green) {
      const here = new Set<PhaseName>();
      let last: PhaseName | null = null;
      for (const a of seq) {
        if (a === test) {
          if (last) here.add(last);
        } else if (phaseByAct.has(a)) last = phaseByAct.get(a)!;
      }
      for (const ph of here) gateCount.set(ph, (gateCount.get(ph) ?? 0) + 1);
    }
  }
  for (const ph of plan.phases) {
    const n = gateCount.get(ph.name) ?? 0;
    if (n > 0 && n / green.length >= o.gate_share) ph.gate = { activity: 'Bash:test', sessions: n, of: green.length, share: round(n / green.length) };
  }
  if (!plan.phases.some((p) => p.gate)) plan.notes.push('the green sessions ran the tests at no consistent point of this plan: no test gate');

  const anti = history.patterns.filter((p) => p.kind === 'anti' && (p.project === project || p.project === -1));
  const touches = (p: HistoryPattern) => p.steps.some((s) => planned.has(s));
  const seenAnti = new Set<string>();
  for (const p of [...anti].sort((x, y) => Number(touches(y)) - Number(touches(x)) || Number(y.project === project) - Number(x.project === project))) {
    const key = p.steps.join('\u0000');
    if (seenAnti.has(key)) continue;
    seenAnti.add(key);
    plan.avoid.push({ steps: [...p.steps], sessions: p.sessions, pass_rate: p.pass_rate, baseline: p.baseline });
    if (plan.avoid.length >= o.max_avoid) break;
  }
  if (plan.phases.some((p) => p.steps.some((s) => s.evidence.thin))) plan.notes.push(`steps marked thin are backed by fewer than ${o.thin_sessions} sessions`);
  return plan;
}

/** The plan's activities in order (phases, then steps): what a session following it would do. */
export function planActivities(plan: Plan): string[] {
  return plan.phases.flatMap((p) => p.steps.map((s) => s.activity));
}
