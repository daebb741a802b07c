// Is a drafted plan any good? Held-out, chronological (the learner's chronologicalSplit): the history
// is built from the older sessions only; for each green session of the newest `test_fraction`, the
// plan drafted from its first prompt (and its project) is compared with what the session did. Pure.
//
// What a session did: its main-thread activities (a set), and its ordered pairs: (a, b) when a's
// first occurrence comes before b's. A plan's activities are its steps; its ordered pairs are every
// (earlier step, later step) of its order. Recall = share of the session's activities (pairs) the plan
// has; precision = share of the plan's the session has. Both are averaged over the held-out green
// sessions; an empty plan counts 0 recall and is left out of the precision average.
//
// Baselines, each given the same number of activities as the plan drafted for that session:
//   most_common   the activities in the most training sessions, ordered by their median first
//                 position in those sessions;
//   most_similar  the single training session whose prompts are most like the first prompt (BM25,
//                 any outcome), its activities in the order it first used them (cut to that number).
import { round as roundTo } from '../core/round.js';
import type { SessionTrace } from '../core/types.js';
import { chronologicalSplit } from '../learn/evaluate.js';
import { sessionPassed } from '../learn/parallel.js';
import { draftPlan, planActivities, type DraftOptions } from './draft.js';
import { scoreCompact } from './prompts.js';
import { buildHistory, decodeActivities, sessionActivities, type OrchestrateHistory } from './history.js';

export interface RecallPrecision {
  recall: number;
  precision: number;
}

export interface PlanScores {
  activities: RecallPrecision;
  pairs: RecallPrecision;
}

export interface PlanEvaluation {
  train_sessions: number;
  /** green held-out sessions with a first prompt: the ones scored */
  test_sessions: number;
  /** of those, the ones whose plan had at least one step */
  planned: number;
  mean_plan_steps: number;
  plan: PlanScores;
  most_common: PlanScores;
  most_similar: PlanScores;
  /** plan minus the better baseline, ordered-pair recall */
  pair_recall_margin: number;
}

export interface PlanEvaluateOptions extends DraftOptions {
  test_fraction?: number;
}

const round = (x: number): number => roundTo(x, 6);

function pairsOf(order: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < order.length; i++) for (let j = i + 1; j < order.length; j++) out.add(`${order[i]}\u0000${order[j]}`);
  return out;
}

/** Distinct activities in order of their first occurrence. */
function firstOrder(seq: readonly string[]): string[] {
  return [...new Set(seq)];
}

function score(predicted: readonly string[], truth: readonly string[]): { a: [number, number | null]; p: [number, number | null] } {
  const tSet = new Set(truth);
  const pSet = new Set(predicted);
  const hit = [...pSet].filter((a) => tSet.has(a)).length;
  const tPairs = pairsOf(truth);
  const pPairs = pairsOf(firstOrder(predicted));
  let pairHit = 0;
  for (const x of pPairs) if (tPairs.has(x)) pairHit++;
  return {
    a: [tSet.size ? hit / tSet.size : 0, pSet.size ? hit / pSet.size : null],
    p: [tPairs.size ? pairHit / tPairs.size : 0, pPairs.size ? pairHit / pPairs.size : null],
  };
}

class Tally {
  private n = 0;
  private ar = 0;
  private pr = 0;
  private ap: number[] = [];
  private pp: number[] = [];
  add(s: ReturnType<typeof score>): void {
    this.n++;
    this.ar += s.a[0];
    this.pr += s.p[0];
    if (s.a[1] !== null) this.ap.push(s.a[1]);
    if (s.p[1] !== null) this.pp.push(s.p[1]);
  }
  result(): PlanScores {
    const mean = (xs: number[]) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length) : 0);
    return {
      activities: { recall: this.n ? round(this.ar / this.n) : 0, precision: mean(this.ap) },
      pairs: { recall: this.n ? round(this.pr / this.n) : 0, precision: mean(this.pp) },
    };
  }
}

/** Activities by the number of sessions they occur in, with their median first position. */
function mostCommon(history: OrchestrateHistory): { name: string; n: number; at: number }[] {
  const firsts = history.activities.map(() => [] as number[]);
  for (const s of history.sessions) {
    const seen = new Set<number>();
    const seq = decodeActivities(s.a);
    seq.forEach((a, k) => {
      if (seen.has(a)) return;
      seen.add(a);
      firsts[a]!.push(seq.length > 1 ? k / (seq.length - 1) : 0);
    });
  }
  const med = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[s.length >> 1]! : (s[(s.length >> 1) - 1]! + s[s.length >> 1]!) / 2;
  };
  return history.activities
    .map((name, i) => ({ name, n: firsts[i]!.length, at: firsts[i]!.length ? med(firsts[i]!) : 1 }))
    .sort((x, y) => y.n - x.n || (x.name < y.name ? -1 : 1));
}

export function evaluatePlans(traces: readonly SessionTrace[], options: PlanEvaluateOptions = {}): PlanEvaluation {
  const { train, test } = chronologicalSplit(traces, options.test_fraction ?? 0.25);
  const history = buildHistory({ traces: train, as_of: 0 });
  const common = mostCommon(history);
  const plans = new Tally();
  const commons = new Tally();
  const similars = new Tally();
  let scored = 0;
  let planned = 0;
  let steps = 0;
  for (const t of test) {
    if (sessionPassed(t) !== true || !t.prompts.length) continue;
    const prompt = t.prompts[0]!;
    const truth = firstOrder(sessionActivities(t));
    const plan = planActivities(draftPlan(history, prompt, { ...options, project: t.project }));
    const k = plan.length;
    scored++;
    steps += k;
    if (k) planned++;
    plans.add(score(plan, truth));
    commons.add(score(common.slice(0, k).sort((x, y) => x.at - y.at).map((x) => x.name), truth));
    const best = scoreCompact(history.prompts, prompt)[0];
    const similar = best ? firstOrder(decodeActivities(history.sessions[best.id]!.a).map((a) => history.activities[a]!)).slice(0, k) : [];
    similars.add(score(similar, truth));
  }
  const result = { plan: plans.result(), most_common: commons.result(), most_similar: similars.result() };
  return {
    train_sessions: train.length,
    test_sessions: scored,
    planned,
    mean_plan_steps: scored ? round(steps / scored) : 0,
    ...result,
    pair_recall_margin: round(result.plan.pairs.recall - Math.max(result.most_common.pairs.recall, result.most_similar.pairs.recall)),
  };
}
