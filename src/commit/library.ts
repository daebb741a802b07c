// The pattern library as files: pure, deterministic renderers. Same input → same bytes.
//
// ## What is written (repo-relative)
// - `patterns/README.md`: the index (validated / discovered / anti / parallel tables, how to read them)
// - `patterns/{validated,discovered,anti}/<slug>.md`: one file per pattern with its evidence and what
//   the sessions recorded after it was first reported say (later-sessions.ts)
// - `patterns/learned/<date>.md`: what changed against the previous library (only when something did)
// - `patterns/meta/learning.md`: data, thresholds, vocabulary, evaluation summary
// - `metrics/success_rates.csv`, `metrics/durations.csv`: per activity
// - `metrics/patterns.json`: every pattern with its status; the state the next run's deltas compare to
// - `metrics/dashboard.json`: summary numbers; `metrics/eval.json`: the evaluation (when one ran)
// - `metrics/evidence/<machineId>.json`: this machine's additive evidence (see evidence-merge.ts)
//
// ## Diff-friendliness
// Rates are rounded to 3 decimals, weights in JSON to 6; dates are YYYY-MM-DD (UTC) and come from the
// data, never from the clock: the run date appears only in the name and title of the learned/ file,
// which is written only when the library changed. Rows are sorted (patterns by score, then key;
// activities by name); JSON keys are sorted and leaf objects sit on one line.
//
// ## Abstract content only
// Activity names, counts, rates and dates. Never prompts, paths, command arguments or output.
import type { LaterEvidence } from '../learn/prospective.js';
import type { Evidence, LearnOptions, LearnResult } from '../learn/types.js';
import { assertAbstract } from './abstract.js';
import { cmpStr } from '../core/cmp-str.js';
import { stableJson } from './format.js';
import { renderLearned } from './learned-page.js';
import { renderMeta } from './meta-page.js';
import { renderDashboard, renderDurations, renderSuccessRates } from './metrics-files.js';
import { renderPatternFile, renderReadme } from './pattern-pages.js';
import { patternPath, patternRows } from './pattern-rows.js';
import { renderPatternState } from './pattern-state.js';

export interface LibraryInput {
  result: LearnResult;
  /** another module's Evaluation object (JSON-serialisable), or null when no evaluation ran */
  evaluation: unknown | null;
  /**
   * Files of the last learning commit (at least `metrics/patterns.json`, the generated pattern files
   * and today's `patterns/learned/<date>.md` when present), or null on the first run.
   */
  previous: ReadonlyMap<string, string> | null;
  /** YYYY-MM-DD (UTC) of this run */
  date: string;
  /**
   * What the sessions recorded after each pattern was first reported say, by prospectiveKey (the
   * learning run's `later`): a good pattern they validated goes to patterns/validated/. Missing
   * patterns are pending.
   */
  later?: ReadonlyMap<string, LaterEvidence>;
  /** names this machine's evidence file; [A-Za-z0-9._-] only */
  machineId: string;
  /** the learner's options, for the thresholds table (`now` is never printed) */
  options?: Partial<LearnOptions>;
  /**
   * Every machine's evidence merged (this one's included), for the team-wide per-activity tables;
   * metrics/evidence/<machineId>.json still holds this machine's own. Defaults to result.evidence.
   */
  teamEvidence?: Evidence | null;
}

const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MACHINE_RE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

/** Renders the library files (see the list at the top). Throws NotAbstractError on any leak. */
export function renderLibrary(input: LibraryInput): Map<string, string> {
  if (!DATE_RE.test(input.date)) throw new Error(`renderLibrary: date must be YYYY-MM-DD, got ${JSON.stringify(input.date)}`);
  if (!MACHINE_RE.test(input.machineId)) throw new Error(`renderLibrary: machineId must match ${MACHINE_RE}`);
  const { result } = input;
  const rows = patternRows(result, input.later);
  const files = new Map<string, string>();
  files.set('patterns/README.md', renderReadme(result, rows));
  for (const r of rows) files.set(patternPath(r), renderPatternFile(r));
  const learned = renderLearned(input.previous, input.date, rows);
  if (learned !== null) files.set(`patterns/learned/${input.date}.md`, learned);
  files.set('patterns/meta/learning.md', renderMeta(result, input.evaluation, input.options));
  const team = input.teamEvidence ?? result.evidence;
  files.set('metrics/success_rates.csv', renderSuccessRates(team));
  files.set('metrics/durations.csv', renderDurations(team));
  files.set('metrics/patterns.json', renderPatternState(result, rows));
  files.set('metrics/dashboard.json', renderDashboard(result, input.evaluation, rows));
  if (input.evaluation !== null && input.evaluation !== undefined) files.set('metrics/eval.json', stableJson(input.evaluation));
  files.set(`metrics/evidence/${input.machineId}.json`, stableJson(result.evidence));
  const sorted = new Map([...files].sort(([a], [b]) => cmpStr(a, b)));
  for (const [p, content] of sorted) assertAbstract(content, p);
  return sorted;
}

const GENERATED_PATTERN_FILE = /^patterns\/(validated|discovered|anti)\/[^/]+\.md$/;

/**
 * What to hand to commitLearning: the rendered files, plus `null` (delete) for pattern files of the
 * previous library that this run no longer renders (retired, or moved to another status folder).
 */
export function planLibraryWrite(
  rendered: ReadonlyMap<string, string>,
  previous: ReadonlyMap<string, string> | null,
): Map<string, string | null> {
  const plan = new Map<string, string | null>(rendered);
  for (const p of previous?.keys() ?? []) {
    if (GENERATED_PATTERN_FILE.test(p) && !rendered.has(p)) plan.set(p, null);
  }
  return new Map([...plan].sort(([a], [b]) => cmpStr(a, b)));
}
