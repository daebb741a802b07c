// One row per pattern as the library files show it (and as metrics/patterns.json stores it): its
// status, slug, evidence rounded for diffs, and what the later sessions say. Pure.
import { prospectiveKey, type LaterEvidence } from '../learn/prospective.js';
import type { LearnResult, ParallelPattern, SequentialPattern } from '../learn/types.js';
import { cmpStr } from '../core/cmp-str.js';
import { roundOrNull } from '../core/round.js';
import { fmtDate } from './format.js';
import { laterFields, type LaterFields } from './later-sessions.js';
import { assignSlugs, patternKey } from './slugs.js';

export type PatternStatus = 'validated' | 'discovered' | 'anti';

/** One pattern as the library files show it (and as metrics/patterns.json stores it). */
export interface PatternRow extends LaterFields {
  key: string;
  status: PatternStatus;
  slug: string;
  steps: string[];
  sessions: number;
  known: number;
  passed: number;
  pass_rate: number | null;
  pass_lower: number | null;
  pass_upper: number | null;
  baseline: number | null;
  uplift: number | null;
  bound: number | null;
  error_rate: number;
  interrupted_sessions: number;
  stop_failure_sessions: number;
  support_weighted: number;
  first_seen: string;
  last_seen: string;
}


function byScore(a: SequentialPattern, b: SequentialPattern): number {
  const sa = Number.isFinite(a.score) ? a.score : -Infinity;
  const sb = Number.isFinite(b.score) ? b.score : -Infinity;
  return sb - sa || cmpStr(patternKey(a.steps), patternKey(b.steps));
}

/**
 * Every pattern of the result with its status, each key once, in display order. A good pattern is
 * validated when the sessions after its first report validated it (`later`, by prospectiveKey).
 */
export function patternRows(result: LearnResult, later: ReadonlyMap<string, LaterEvidence> = new Map()): PatternRow[] {
  const seen = new Set<string>();
  const picked: [SequentialPattern, PatternStatus, LaterEvidence | undefined][] = [];
  const take = (list: SequentialPattern[], status: PatternStatus) => {
    for (const p of [...list].sort(byScore)) {
      const key = patternKey(p.steps);
      if (seen.has(key)) continue;
      seen.add(key);
      picked.push([p, status, later.get(prospectiveKey(status === 'anti' ? 'anti' : 'good', p.steps))]);
    }
  };
  const validated = (p: SequentialPattern) => later.get(prospectiveKey('good', p.steps))?.state === 'validated';
  take(result.sequential.filter(validated), 'validated');
  take(result.sequential.filter((p) => !validated(p)), 'discovered');
  take(result.anti, 'anti');
  const slugs = assignSlugs(picked.map(([p]) => p.steps));
  return picked.map(([p, status, e]) => {
    const key = patternKey(p.steps);
    return {
      key,
      status,
      ...laterFields(e),
      slug: slugs.get(key)!,
      steps: [...p.steps],
      sessions: p.sessions,
      known: p.known,
      passed: p.passed,
      pass_rate: roundOrNull(p.pass_rate),
      pass_lower: roundOrNull(p.pass_lower),
      pass_upper: roundOrNull(p.pass_upper),
      baseline: roundOrNull(p.baseline),
      uplift: roundOrNull(p.uplift),
      bound: roundOrNull(p.bound),
      error_rate: roundOrNull(p.error_rate) ?? 0,
      interrupted_sessions: p.interrupted_sessions,
      stop_failure_sessions: p.stop_failure_sessions,
      support_weighted: roundOrNull(p.support_weighted, 1) ?? 0,
      first_seen: fmtDate(p.first_seen),
      last_seen: fmtDate(p.last_seen),
    };
  });
}

export function patternPath(row: Pick<PatternRow, 'status' | 'slug'>): string {
  return `patterns/${row.status}/${row.slug}.md`;
}

/** The parallel patterns in display order: most sessions first. */
export function parallelRows(result: LearnResult): ParallelPattern[] {
  const key = (p: ParallelPattern) => `${p.kind} ${[...p.members].sort(cmpStr).join(' + ')}`;
  return [...result.parallel].sort((a, b) => b.sessions - a.sessions || cmpStr(key(a), key(b)));
}
