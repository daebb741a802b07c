// How well one learning run named a recipe world's planted recipes (worlds.ts). Pure.
import { containsGapped } from '../learn/evaluate.js';
import type { LearnResult } from '../learn/types.js';
import type { WorldTruth } from './worlds.js';

export interface WorldScore {
  /** 0-based rank of the exact good recipe in the good list, -1 when not reported */
  good_rank: number;
  /** the exact anti recipe is in the anti list */
  anti_flagged: boolean;
  /** a strict part or extension of the good recipe was reported in its place (top 3, no exact one) */
  good_sub_or_super: boolean;
  anti_sub_or_super: boolean;
  /** anything reported at all (what a null world must not have) */
  any_report: boolean;
  /** what was reported, for the log */
  reported_good: string[];
  reported_anti: string[];
}

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** `part` occurs contiguously inside `whole` (gap 1: as a contiguous pattern is matched). */
const isInfix = (part: readonly string[], whole: readonly string[]): boolean => containsGapped(whole, part, 1);

/** Steps a pattern shares with the recipe make it a part (sub) or an extension (super) of it. */
function related(steps: readonly string[], recipe: readonly string[]): boolean {
  if (same(steps, recipe)) return false;
  return isInfix(recipe, steps) || (steps.length >= 1 && isInfix(steps, recipe)) || steps.filter((s) => recipe.includes(s)).length >= 2;
}

export function scoreWorld(truth: WorldTruth, result: Pick<LearnResult, 'sequential' | 'anti'>): WorldScore {
  const good = result.sequential.map((p) => p.steps);
  const anti = result.anti.map((p) => p.steps);
  const goodRank = good.findIndex((s) => same(s, truth.good));
  const antiFlagged = anti.some((s) => same(s, truth.anti));
  return {
    good_rank: goodRank,
    anti_flagged: antiFlagged,
    good_sub_or_super: !(goodRank >= 0 && goodRank < 3) && good.slice(0, 3).some((s) => related(s, truth.good)),
    anti_sub_or_super: !antiFlagged && anti.some((s) => related(s, truth.anti)),
    any_report: good.length + anti.length > 0,
    reported_good: good.slice(0, 3).map((s) => s.join(' → ')),
    reported_anti: anti.slice(0, 3).map((s) => s.join(' → ')),
  };
}
