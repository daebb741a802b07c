// Team merge: every machine commits its own additive evidence as metrics/evidence/<machineId>.json;
// the team's evidence is their sum. Pure.
//
// Machines hold disjoint sets of sessions, so summing is exact (mergeEvidence re-bases the time-decayed
// weights to the latest `as_of`). Files that do not parse, or whose window / half-life differ from the
// majority (their counts would mean something else), are left out and reported, never fatal: one
// teammate's broken file must not stop everyone's nightly learning.
import { z } from 'zod';
import { mergeEvidence } from '../learn/evidence.js';
import type { Evidence } from '../learn/types.js';
import { cmpStr } from '../core/cmp-str.js';
import { firstIssue } from '../core/zod-issue.js';

const count = z.number().finite().nonnegative();
const support = z.object({
  sessions: count,
  known: count,
  passed: count,
  passed_final: count,
  w_sessions: count,
  w_known: count,
  w_passed: count,
  w_passed_final: count,
});
const duration = z.object({ count, total_ms: count, max_ms: count, hist: z.array(count) });
const activity = z.object({
  count,
  starts: count,
  ends: count,
  errors: count,
  interrupted: count,
  refused: count,
  support,
  duration,
});
const pair = z.object({ df: count, ef: count, df_support: support.nullable(), ef_support: support.nullable() });
const evidenceSchema = z.object({
  version: z.literal(1),
  as_of: z.number().finite(),
  half_life_days: z.number().finite().positive(),
  window: z.number().int().positive(),
  totals: support,
  events: count,
  activities: z.record(z.string(), activity),
  pairs: z.record(z.string(), z.record(z.string(), pair)),
});

const EVIDENCE_FILE = /^metrics\/evidence\/([^/]+)\.json$/;

export interface MachineEvidence {
  machineId: string;
  path: string;
  evidence: Evidence;
}

export interface MachineEvidenceRead {
  /** sorted by path */
  accepted: MachineEvidence[];
  rejected: { path: string; reason: string }[];
}

/** Parses and validates every metrics/evidence/*.json in `files`; keeps the compatible ones. */
export function readMachineEvidence(files: ReadonlyMap<string, string>): MachineEvidenceRead {
  const parsed: MachineEvidence[] = [];
  const rejected: { path: string; reason: string }[] = [];
  for (const p of [...files.keys()].sort(cmpStr)) {
    const m = EVIDENCE_FILE.exec(p);
    if (!m) continue;
    let json: unknown;
    try {
      json = JSON.parse(files.get(p)!);
    } catch {
      rejected.push({ path: p, reason: 'not valid JSON' });
      continue;
    }
    const checked = evidenceSchema.safeParse(json);
    if (!checked.success) {
      rejected.push({ path: p, reason: `not evidence: ${firstIssue(checked.error) ?? 'invalid'}` });
      continue;
    }
    parsed.push({ machineId: m[1]!, path: p, evidence: checked.data as Evidence });
  }
  // The majority's settings win; ties go to the first file in path order.
  const tally = new Map<string, number>();
  const setting = (e: Evidence) => `${e.window}/${e.half_life_days}`;
  for (const { evidence } of parsed) tally.set(setting(evidence), (tally.get(setting(evidence)) ?? 0) + 1);
  let best: string | null = null;
  for (const { evidence } of parsed) {
    const s = setting(evidence);
    if (best === null || tally.get(s)! > tally.get(best)!) best = s;
  }
  const accepted: MachineEvidence[] = [];
  for (const me of parsed) {
    if (setting(me.evidence) === best) accepted.push(me);
    else {
      rejected.push({
        path: me.path,
        reason: `window/half-life ${setting(me.evidence)} differs from the other machines' ${best}`,
      });
    }
  }
  rejected.sort((a, b) => cmpStr(a.path, b.path));
  return { accepted, rejected };
}

/** The sum of every machine's evidence in `files`, or null when there is none usable. */
export function combineMachineEvidence(files: ReadonlyMap<string, string>): Evidence | null {
  const { accepted } = readMachineEvidence(files);
  let total: Evidence | null = null;
  for (const { evidence } of accepted) total = total === null ? evidence : mergeEvidence(total, evidence);
  return total;
}
