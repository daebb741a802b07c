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
// renderLibrary() checks every file with assertAbstract() and throws rather than render a leak.
import { prospectiveKey, type LaterEvidence, type ProspectiveState } from '../learn/prospective.js';
import type { DurationStats, Evidence, LearnOptions, LearnResult, ParallelPattern, SequentialPattern } from '../learn/types.js';
import { cmpStr, code, fmtDate, fmtRate, fmtSigned, patternTitle, round, table } from './format.js';
import {
  HOW_TO_READ_LATER,
  LATER_COLUMNS,
  laterCells,
  laterFields,
  laterSection,
  readLaterFields,
  renderStateChanges,
  stateChanges,
  statePhrase,
  statusLine,
  type LaterFields,
  type StateChange,
} from './later-sessions.js';

// ---- inputs ---------------------------------------------------------------------------------

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

/** The identity of a sequential pattern: its steps joined by " > " (the directly-follows notation). */
export function patternKey(steps: readonly string[]): string {
  return steps.join(' > ');
}

// ---- abstractness guard ---------------------------------------------------------------------

export class NotAbstractError extends Error {
  constructor(
    readonly kind: string,
    readonly where: string,
  ) {
    // The offending text itself is never echoed: it may be the secret.
    super(`${where}: content looks like ${kind}; the pattern library holds only abstract data`);
    this.name = 'NotAbstractError';
  }
}

const NOT_ABSTRACT: readonly [string, RegExp][] = [
  ['a redaction marker', /\[REDACTED/i],
  ['a URL', /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/|\bwww\.[A-Za-z0-9-]+\./],
  ['a Windows path', /\b[A-Za-z]:\\|\\\\[A-Za-z0-9._-]+\\/],
  ['a home-relative path', /(^|[^A-Za-z0-9._-])~[A-Za-z0-9._-]*[/\\]/],
  // "/x/..." at a word boundary: /home/..., /tmp/..., /Users/... (slash commands like /review have one segment)
  ['an absolute path', /(^|[^A-Za-z0-9._~-])\/[A-Za-z0-9._-]+\//],
  ['an e-mail address', /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]*[A-Za-z]/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['an API token', /\b(sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,})/],
  ['a JSON web token', /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./],
  ['a credential assignment', /\b(password|passwd|secret|token|api[_-]?key)\s*[=:]\s*[^\s"',}]{4,}/i],
  ['a hex secret', /\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{32,}\b/i],
  ['a high-entropy token', /(?=[A-Za-z0-9+/_=]*[0-9])(?=[A-Za-z0-9+/_=]*[a-z])(?=[A-Za-z0-9+/_=]*[A-Z])[A-Za-z0-9+/_=]{32,}/],
];

/** The kind of non-abstract content found in `content`, or null when it is clean. */
export function findNotAbstract(content: string): string | null {
  for (const [kind, re] of NOT_ABSTRACT) if (re.test(content)) return kind;
  return null;
}

/** Throws NotAbstractError when `content` looks like it holds a path, URL, secret or redacted text. */
export function assertAbstract(content: string, where = 'content'): void {
  const kind = findNotAbstract(content);
  if (kind) throw new NotAbstractError(kind, where);
}

// ---- formatting (format.ts; re-exported for the callers that found them here) ---------------

export { cmpStr, code, fmtDate, fmtRate, fmtSigned, patternTitle, round };

/**
 * Pretty JSON with sorted keys, for diffs: objects and arrays whose values are all primitives sit on
 * one line, everything else is indented by two spaces. Non-integers are rounded to `decimals`.
 */
export function stableJson(value: unknown, decimals = 6): string {
  return render(value, '', true) + '\n';

  function prim(v: unknown): string {
    if (typeof v === 'number') {
      if (Number.isInteger(v)) return String(v === 0 ? 0 : v);
      const r = round(v, decimals);
      return r === null ? 'null' : String(r);
    }
    if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
    return 'null';
  }
  function isLeaf(v: unknown): boolean {
    return v === null || typeof v !== 'object';
  }
  function entries(v: object): [string | null, unknown][] {
    if (Array.isArray(v)) return v.map((x) => [null, x === undefined ? null : x]);
    return Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined && typeof (v as Record<string, unknown>)[k] !== 'function')
      .sort(cmpStr)
      .map((k) => [k, (v as Record<string, unknown>)[k]]);
  }
  function render(v: unknown, indent: string, root: boolean): string {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON: () => unknown }).toJSON();
    }
    if (isLeaf(v)) return prim(v);
    const obj = v as object;
    const [open, close] = Array.isArray(obj) ? ['[', ']'] : ['{', '}'];
    const items = entries(obj);
    if (items.length === 0) return open + close;
    const label = (k: string | null) => (k === null ? '' : `${JSON.stringify(k)}: `);
    if (!root && items.every(([, x]) => isLeaf(x))) {
      return open + items.map(([k, x]) => label(k) + prim(x)).join(', ') + close;
    }
    const inner = indent + '  ';
    const lines = items.map(([k, x]) => inner + label(k) + render(x, inner, false));
    return `${open}\n${lines.join(',\n')}\n${indent}${close}`;
  }
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: string[], rows: (string | number | null)[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

// ---- slugs ----------------------------------------------------------------------------------

/** 32-bit FNV-1a of the UTF-16 code units, 8 hex digits. Stable across runs and machines. */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

const MAX_SLUG = 80;

/** "Read > Edit > Bash:test" → "read-edit-bash-test"; long ones are cut and get a hash suffix. */
export function slugOf(steps: readonly string[]): string {
  const base =
    steps
      .map((s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, ''))
      .filter((s) => s.length > 0)
      .join('-') || 'pattern';
  if (base.length <= MAX_SLUG) return base;
  return `${base.slice(0, MAX_SLUG - 9).replace(/-+$/, '')}-${shortHash(patternKey(steps))}`;
}

/**
 * Slugs for a set of patterns. When two different patterns map to the same slug (names that differ
 * only in case or punctuation), each of them gets its key's hash appended, so no file is overwritten.
 */
export function assignSlugs(keys: readonly (readonly string[])[]): Map<string, string> {
  const byKey = new Map<string, string>();
  const bySlug = new Map<string, Set<string>>();
  for (const steps of keys) {
    const key = patternKey(steps);
    const slug = slugOf(steps);
    byKey.set(key, slug);
    bySlug.set(slug, (bySlug.get(slug) ?? new Set()).add(key));
  }
  for (const [key, slug] of byKey) {
    if ((bySlug.get(slug)?.size ?? 0) > 1) byKey.set(key, `${slug}-${shortHash(key)}`);
  }
  return byKey;
}

// ---- pattern rows ---------------------------------------------------------------------------

const STATUS_RANK: Record<PatternStatus, number> = { anti: 0, discovered: 1, validated: 2 };

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
      pass_rate: round(p.pass_rate),
      pass_lower: round(p.pass_lower),
      pass_upper: round(p.pass_upper),
      baseline: round(p.baseline),
      uplift: round(p.uplift),
      bound: round(p.bound),
      error_rate: round(p.error_rate) ?? 0,
      interrupted_sessions: p.interrupted_sessions,
      stop_failure_sessions: p.stop_failure_sessions,
      support_weighted: round(p.support_weighted, 1) ?? 0,
      first_seen: fmtDate(p.first_seen),
      last_seen: fmtDate(p.last_seen),
    };
  });
}

export function patternPath(row: Pick<PatternRow, 'status' | 'slug'>): string {
  return `patterns/${row.status}/${row.slug}.md`;
}

// ---- durations ------------------------------------------------------------------------------

/**
 * Estimated q-quantile (0 < q <= 1) of a duration histogram: linear inside the power-of-two bucket
 * that holds it (bucket i spans [2^(i-1), 2^i) ms, bucket 0 [0, 1) ms), capped at the maximum.
 */
export function histPercentile(d: DurationStats, q: number): number | null {
  const total = d.hist.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return null;
  const target = q * total;
  let cum = 0;
  for (let i = 0; i < d.hist.length; i++) {
    const h = d.hist[i] ?? 0;
    if (h <= 0) continue;
    if (cum + h >= target) {
      const lo = i === 0 ? 0 : 2 ** (i - 1);
      const hi = 2 ** i;
      return Math.min(d.max_ms, lo + (hi - lo) * ((target - cum) / h));
    }
    cum += h;
  }
  return d.max_ms;
}

// ---- the files ------------------------------------------------------------------------------

const HOW_TO_READ = `## How to read the evidence

- **sessions**: sessions that contain the pattern (its steps in this order, with at most a few other
  steps between them). **known**: of those, sessions that ran tests, so their outcome is known.
- **pass rate**: how often the next test run after the pattern passed. Rates are time-decayed: recent
  sessions weigh more (half-life below), so old habits fade.
- **baseline**: the pass rate of the known sessions WITHOUT the pattern. **uplift** = pass rate − baseline.
- **bound**: the 95% bound of the uplift (Newcombe). Good patterns are ranked by its lower end, so a
  pattern seen in few sessions cannot win on luck; anti-patterns by its upper end (below zero).
- **validated**: the sessions recorded after the pattern was first reported confirm its uplift (see
  state). **discovered**: found in the data, not (yet) confirmed by later sessions. **anti**: goes
  with failing tests.
${HOW_TO_READ_LATER}
- These are correlations in this project's own history, not causes. Treat them as evidence-backed
  habits, not rules.`;

function statusTitle(s: PatternStatus): string {
  return s === 'validated' ? 'Validated patterns' : s === 'discovered' ? 'Discovered patterns' : 'Anti-patterns';
}

function patternTable(rows: PatternRow[], linkPrefix: string): string {
  if (rows.length === 0) return '_None yet._';
  return table(
    ['pattern', 'sessions', 'known', 'pass rate', 'baseline', 'uplift', 'bound', 'last seen', ...LATER_COLUMNS.header],
    ['---', '--:', '--:', '--:', '--:', '--:', '--:', '---', ...LATER_COLUMNS.align],
    rows.map((r) => [
      `[${patternTitle(r.steps).replace(/\|/g, '\\|')}](${linkPrefix}${r.status}/${r.slug}.md)`,
      String(r.sessions),
      String(r.known),
      fmtRate(r.pass_rate),
      fmtRate(r.baseline),
      fmtSigned(r.uplift),
      fmtSigned(r.bound),
      r.last_seen,
      ...laterCells(r),
    ]),
  );
}

function parallelRows(result: LearnResult): ParallelPattern[] {
  const key = (p: ParallelPattern) => `${p.kind} ${[...p.members].sort(cmpStr).join(' + ')}`;
  return [...result.parallel].sort((a, b) => b.sessions - a.sessions || cmpStr(key(a), key(b)));
}

function renderReadme(result: LearnResult, rows: PatternRow[]): string {
  const s = result.stats;
  const parts = [
    '# Pattern library',
    '',
    `Generated by agentops-meta from ${s.sessions} sessions (${s.known_sessions} with a test outcome, ` +
      `baseline pass rate ${fmtRate(s.baseline_pass_rate)}). Do not edit: every learning run rewrites these files.`,
    '',
    HOW_TO_READ,
    '',
    `Time decay half-life: ${result.evidence.half_life_days} days.`,
  ];
  for (const status of ['validated', 'discovered', 'anti'] as const) {
    const sel = rows.filter((r) => r.status === status);
    parts.push('', `## ${statusTitle(status)} (${sel.length})`, '', patternTable(sel, ''));
  }
  const par = parallelRows(result);
  parts.push('', `## Parallel patterns (${par.length})`, '');
  parts.push(
    par.length === 0
      ? '_None yet._'
      : table(
          ['members', 'kind', 'sessions', 'occurrences', 'pass rate', 'baseline', 'bound', 'saved per co-occurrence (ms, median)'],
          ['---', '---', '--:', '--:', '--:', '--:', '--:', '--:'],
          par.map((p) => [
            [...p.members].sort(cmpStr).map(code).join(' + '),
            p.kind,
            String(p.sessions),
            String(p.occurrences),
            fmtRate(p.pass_rate),
            fmtRate(p.baseline),
            fmtSigned(p.bound),
            String(Math.round(p.saved_ms)),
          ]),
        ),
  );
  parts.push(
    '',
    '## More',
    '',
    '- `learned/<date>.md`: what changed on each learning day.',
    '- `meta/learning.md`: the data, thresholds and vocabulary behind these tables.',
    '- `../metrics/`: per-activity success rates and durations (CSV), the evaluation and dashboard numbers (JSON).',
  );
  return parts.join('\n') + '\n';
}

function renderPatternFile(r: PatternRow): string {
  const anti = r.status === 'anti';
  const rows: [string, string][] = [
    ['sessions with the pattern', String(r.sessions)],
    ['with a test outcome', String(r.known)],
    ['passed after the pattern', String(r.passed)],
    ['pass rate (time-decayed)', fmtRate(r.pass_rate)],
    ['95% interval of the pass rate', `${fmtRate(r.pass_lower)} to ${fmtRate(r.pass_upper)}`],
    ['baseline (sessions without it)', fmtRate(r.baseline)],
    ['uplift', fmtSigned(r.uplift)],
    [anti ? 'upper 95% bound of the uplift' : 'lower 95% bound of the uplift', fmtSigned(r.bound)],
    ['weighted sessions', (round(r.support_weighted, 1) ?? 0).toFixed(1)],
    ['tool error rate in these sessions', fmtRate(r.error_rate)],
    ['sessions with an interrupt', String(r.interrupted_sessions)],
    ['sessions with a StopFailure', String(r.stop_failure_sessions)],
    ['first seen', r.first_seen],
    ['last seen', r.last_seen],
  ];
  return (
    [
      `# ${patternTitle(r.steps)}`,
      '',
      statusLine(r),
      '',
      '## Steps',
      '',
      ...r.steps.map((s, i) => `${i + 1}. ${code(s)}`),
      '',
      '## Evidence',
      '',
      table(['measure', 'value'], ['---', '--:'], rows),
      '',
      laterSection(r),
      '',
      'How to read these numbers: see [the index](../README.md#how-to-read-the-evidence).',
    ].join('\n') + '\n'
  );
}

// ---- deltas ---------------------------------------------------------------------------------

export interface PatternDelta {
  added: PatternRow[];
  promoted: { row: PatternRow; from: PatternStatus; before: PatternRow }[];
  demoted: { row: PatternRow; from: PatternStatus; before: PatternRow }[];
  /** the learner no longer reports them (a pattern later sessions contradict is "retired": see changed) */
  dropped: PatternRow[];
  /** reported before and now, with another state on later sessions */
  changed: StateChange<PatternRow>[];
}

/** Reads metrics/patterns.json back; null when missing or unreadable (then every pattern is new). */
export function readPatternState(files: ReadonlyMap<string, string> | null): PatternRow[] | null {
  const text = files?.get('metrics/patterns.json');
  if (text === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const list = (parsed as { patterns?: unknown })?.patterns;
  if (!Array.isArray(list)) return null;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const out: PatternRow[] = [];
  for (const item of list as Record<string, unknown>[]) {
    if (!item || typeof item.key !== 'string' || !Array.isArray(item.steps)) continue;
    const status = item.status;
    if (status !== 'validated' && status !== 'discovered' && status !== 'anti') continue;
    out.push({
      key: item.key,
      status,
      ...readLaterFields(item),
      slug: typeof item.slug === 'string' ? item.slug : '',
      steps: item.steps.filter((s): s is string => typeof s === 'string'),
      sessions: num(item.sessions) ?? 0,
      known: num(item.known) ?? 0,
      passed: num(item.passed) ?? 0,
      pass_rate: num(item.pass_rate),
      pass_lower: null,
      pass_upper: null,
      baseline: num(item.baseline),
      uplift: num(item.uplift),
      bound: num(item.bound),
      error_rate: 0,
      interrupted_sessions: 0,
      stop_failure_sessions: 0,
      support_weighted: 0,
      first_seen: typeof item.first_seen === 'string' ? item.first_seen : 'n/a',
      last_seen: typeof item.last_seen === 'string' ? item.last_seen : 'n/a',
    });
  }
  return out;
}

/**
 * New, promoted (status up: anti → discovered → validated), demoted (down) and dropped patterns, and
 * those whose state on later sessions changed.
 */
export function diffPatterns(before: PatternRow[] | null, now: PatternRow[]): PatternDelta {
  const prev = new Map((before ?? []).map((r) => [r.key, r]));
  const cur = new Set(now.map((r) => r.key));
  const delta: PatternDelta = { added: [], promoted: [], demoted: [], dropped: [], changed: stateChanges(before, now) };
  for (const row of now) {
    const old = prev.get(row.key);
    if (!old) delta.added.push(row);
    else if (STATUS_RANK[row.status] > STATUS_RANK[old.status]) delta.promoted.push({ row, from: old.status, before: old });
    else if (STATUS_RANK[row.status] < STATUS_RANK[old.status]) delta.demoted.push({ row, from: old.status, before: old });
  }
  for (const old of before ?? []) if (!cur.has(old.key)) delta.dropped.push(old);
  delta.dropped.sort((a, b) => cmpStr(a.key, b.key));
  return delta;
}

function deltaSize(d: PatternDelta): number {
  return d.added.length + d.promoted.length + d.demoted.length + d.dropped.length + d.changed.length;
}

function renderDeltaSection(d: PatternDelta, first: boolean, run: number): string {
  const link = (r: PatternRow) => `[${patternTitle(r.steps).replace(/\|/g, '\\|')}](../${r.status}/${r.slug}.md)`;
  const moved = (list: PatternDelta['promoted']) =>
    list.length === 0
      ? '_None._'
      : table(
          ['pattern', 'from', 'to', 'sessions', 'pass rate', 'baseline', 'bound before', 'bound now'],
          ['---', '---', '---', '--:', '--:', '--:', '--:', '--:'],
          list.map(({ row, from, before }) => [
            link(row),
            from,
            row.status,
            String(row.sessions),
            fmtRate(row.pass_rate),
            fmtRate(row.baseline),
            fmtSigned(before.bound),
            fmtSigned(row.bound),
          ]),
        );
  const heading = first
    ? '## First library: every pattern is new'
    : `## Changes since the previous library${run > 1 ? ` (run ${run})` : ''}`;
  return [
    heading,
    '',
    `### New (${d.added.length})`,
    '',
    d.added.length === 0
      ? '_None._'
      : table(
          ['pattern', 'status', 'sessions', 'pass rate', 'baseline', 'bound', 'state'],
          ['---', '---', '--:', '--:', '--:', '--:', '---'],
          d.added.map((r) => [link(r), r.status, String(r.sessions), fmtRate(r.pass_rate), fmtRate(r.baseline), fmtSigned(r.bound), statePhrase(r)]),
        ),
    '',
    `### Promoted (${d.promoted.length})`,
    '',
    moved(d.promoted),
    '',
    `### Demoted (${d.demoted.length})`,
    '',
    moved(d.demoted),
    '',
    renderStateChanges(d.changed, link),
    '',
    `### No longer reported (${d.dropped.length})`,
    '',
    d.dropped.length === 0
      ? '_None._'
      : table(
          ['pattern', 'was', 'last sessions', 'last pass rate', 'last baseline', 'last bound'],
          ['---', '---', '--:', '--:', '--:', '--:'],
          d.dropped.map((r) => [
            patternTitle(r.steps).replace(/\|/g, '\\|'),
            r.status,
            String(r.sessions),
            fmtRate(r.pass_rate),
            fmtRate(r.baseline),
            fmtSigned(r.bound),
          ]),
        ),
  ].join('\n');
}

/** The learned/<date>.md file, or null when nothing changed. Same-day reruns append a section. */
function renderLearned(input: LibraryInput, rows: PatternRow[]): string | null {
  const before = readPatternState(input.previous);
  const delta = diffPatterns(before, rows);
  if (deltaSize(delta) === 0) return null;
  const path = `patterns/learned/${input.date}.md`;
  const existing = input.previous?.get(path);
  if (existing !== undefined) {
    const run = 1 + (existing.match(/^## (Changes since|First library)/gm)?.length ?? 0);
    return existing.trimEnd() + '\n\n' + renderDeltaSection(delta, false, run) + '\n';
  }
  return (
    [
      `# Learned on ${input.date}`,
      '',
      'What changed in the pattern library against the previous learning commit. Pass rates are',
      'time-decayed; bound is the 95% bound of the uplift (see [the index](../README.md#how-to-read-the-evidence)).',
      '',
      renderDeltaSection(delta, before === null, 1),
    ].join('\n') + '\n'
  );
}

// ---- meta -----------------------------------------------------------------------------------

// Keyed by name (not keyof LearnOptions) so options the learner adds or drops do not break this table.
const OPTION_DOCS: readonly [string, string][] = [
  ['min_sessions', 'minimum sessions that must contain a pattern'],
  ['min_known', 'minimum sessions with a test outcome'],
  ['min_len', 'shortest pattern (steps)'],
  ['max_len', 'longest pattern (steps)'],
  ['max_gap', 'most other steps allowed between two steps of a pattern'],
  ['half_life_days', 'half-life of the time decay (days)'],
  ['window', 'eventually-follows window (steps)'],
  ['z', 'z of the confidence bounds'],
  ['min_uplift', 'smallest uplift bound for a good pattern'],
  ['anti_margin', 'largest uplift bound for an anti-pattern (negated)'],
  ['top_n', 'patterns kept per list'],
  ['miner', 'sequential miner'],
  ['max_patterns', 'cap on patterns the miner may visit'],
  ['max_work', 'cap on the miner work'],
];

function fmtValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : fmtRate(v);
  if (typeof v === 'string') return v.length > 80 ? `${v.slice(0, 77)}...` : v;
  if (typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'n/a';
  if (Array.isArray(v)) return v.length === 1 ? '1 item' : `${v.length} items`;
  return 'object';
}

export function activityKind(a: string): string {
  if (a.startsWith('/')) return 'slash command';
  if (a.startsWith('Agent:') || a === 'Agent') return 'subagent';
  if (a.startsWith('Skill:') || a === 'Skill') return 'skill';
  if (a.startsWith('mcp:')) return 'MCP';
  if (/^(Bash|PowerShell)(:|$)/.test(a)) return 'shell';
  return 'tool';
}

/** Top-level (and one level nested) scalar fields of the evaluation, as table rows. */
function evaluationRows(evaluation: unknown): string[][] {
  if (evaluation === null || typeof evaluation !== 'object' || Array.isArray(evaluation)) {
    return [['value', fmtValue(evaluation)]];
  }
  const rows: string[][] = [];
  const obj = evaluation as Record<string, unknown>;
  for (const k of Object.keys(obj).sort(cmpStr)) {
    const v = obj[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const inner = v as Record<string, unknown>;
      for (const k2 of Object.keys(inner).sort(cmpStr)) {
        const v2 = inner[k2];
        if (v2 === null || typeof v2 !== 'object' || Array.isArray(v2)) rows.push([`${k}.${k2}`, fmtValue(v2)]);
      }
    } else {
      rows.push([k, fmtValue(v)]);
    }
  }
  return rows.slice(0, 60).map(([k, v]) => [code(k!), v!.replace(/\|/g, '\\|')]);
}

function renderMeta(input: LibraryInput): string {
  const { result } = input;
  const s = result.stats;
  const ev = result.evidence;
  const opts: Readonly<Record<string, unknown>> = input.options ?? {};
  const thresholdRows: string[][] = [];
  for (const [k, doc] of OPTION_DOCS) {
    const v = opts[k] ?? (k === 'half_life_days' ? ev.half_life_days : k === 'window' ? ev.window : undefined);
    if (v !== undefined) thresholdRows.push([code(k), fmtValue(v), doc]);
  }
  thresholdRows.push([code('min_support_used'), String(s.min_support_used), 'min support the patterns are complete for']);
  if (typeof s.max_len_used === 'number') {
    thresholdRows.push([code('max_len_used'), String(s.max_len_used), 'pattern length the patterns are complete up to']);
  }
  const acts = Object.keys(ev.activities).sort(cmpStr);
  const parts = [
    '# How this library was learned',
    '',
    '## Data',
    '',
    table(
      ['sessions', 'steps', 'with a test outcome', 'baseline pass rate', 'activities', 'patterns explored', 'miner capped'],
      ['--:', '--:', '--:', '--:', '--:', '--:', '---'],
      [[String(s.sessions), String(s.events), String(s.known_sessions), fmtRate(s.baseline_pass_rate), String(s.activities), String(s.patterns_explored), s.truncated ? 'yes' : 'no']],
    ),
    '',
    '## Thresholds',
    '',
    table(['option', 'value', 'meaning'], ['---', '--:', '---'], thresholdRows),
    '',
    '## Vocabulary',
    '',
    'Each step is one activity: a built-in tool by its name (`Read`), a shell command by its kind',
    '(`Bash:test`, `Bash:build`, ...), a subagent as `Agent:<type>`, a skill as `Skill:<name>`, an MCP',
    'server as `mcp:<server>`, a slash command as `/<name>`. Nothing else of a call is kept.',
    '',
    acts.length === 0
      ? '_No activity seen yet._'
      : table(
          ['activity', 'kind', 'steps', 'sessions'],
          ['---', '---', '--:', '--:'],
          acts.map((a) => {
            const e = ev.activities[a]!;
            return [code(a), activityKind(a), String(e.count), String(e.support.sessions)];
          }),
        ),
    '',
    '## Evaluation',
    '',
  ];
  if (input.evaluation === null || input.evaluation === undefined) {
    parts.push('No evaluation ran with this learning run; `metrics/eval.json`, if present, is from an earlier one.');
  } else {
    parts.push(
      'Summary of `metrics/eval.json`: how well the library predicts the next activity on the newest sessions,',
      'learned on the older ones. This hold-out does not decide which patterns are validated (a quarter of a',
      'few hundred sessions is too few to confirm an uplift): the sessions recorded after each pattern was',
      'first reported do (see [the index](../README.md#how-to-read-the-evidence)).',
      '',
      table(['field', 'value'], ['---', '--:'], evaluationRows(input.evaluation)),
    );
  }
  return parts.join('\n') + '\n';
}

// ---- metrics --------------------------------------------------------------------------------

function renderSuccessRates(ev: Evidence): string {
  const rows = Object.keys(ev.activities)
    .sort(cmpStr)
    .map((a) => {
      const e = ev.activities[a]!;
      const sp = e.support;
      return [
        a,
        e.count,
        sp.sessions,
        sp.known,
        sp.passed,
        sp.known > 0 ? fmtRate(sp.passed / sp.known) : null,
        e.errors,
        e.count > 0 ? fmtRate(e.errors / e.count) : null,
      ];
    });
  return csv(['activity', 'count', 'sessions', 'known', 'passed', 'pass_rate', 'errors', 'error_rate'], rows);
}

function renderDurations(ev: Evidence): string {
  const ms = (x: number | null) => (x === null ? null : Math.round(x));
  const rows = Object.keys(ev.activities)
    .sort(cmpStr)
    .map((a) => {
      const d = ev.activities[a]!.duration;
      return [
        a,
        d.count,
        d.count > 0 ? Math.round(d.total_ms / d.count) : null,
        ms(histPercentile(d, 0.5)),
        ms(histPercentile(d, 0.9)),
        d.count > 0 ? Math.round(d.max_ms) : null,
      ];
    });
  return csv(['activity', 'count', 'mean_ms', 'p50_ms', 'p90_ms', 'max_ms'], rows);
}

function stateRow(r: PatternRow) {
  return {
    key: r.key,
    status: r.status,
    slug: r.slug,
    steps: r.steps,
    sessions: r.sessions,
    known: r.known,
    passed: r.passed,
    pass_rate: r.pass_rate,
    baseline: r.baseline,
    uplift: r.uplift,
    bound: r.bound,
    first_seen: r.first_seen,
    last_seen: r.last_seen,
    state: r.state,
    first_reported: r.first_reported,
    later: r.later,
  };
}

function renderPatternState(result: LearnResult, rows: PatternRow[]): string {
  return stableJson(
    {
      // 2: a pattern's state on the sessions after its first report decides "validated" (was: a hold-out)
      version: 2,
      patterns: rows.map(stateRow),
      parallel: parallelRows(result).map((p) => ({
        members: [...p.members].sort(cmpStr),
        kind: p.kind,
        sessions: p.sessions,
        occurrences: p.occurrences,
        pass_rate: round(p.pass_rate),
        baseline: round(p.baseline),
        bound: round(p.bound),
        saved_ms: Math.round(p.saved_ms),
      })),
    },
    3,
  );
}

function renderDashboard(input: LibraryInput, rows: PatternRow[]): string {
  const s = input.result.stats;
  const top = (status: PatternStatus) =>
    rows
      .filter((r) => r.status === status)
      .slice(0, 5)
      .map((r) => ({ key: r.key, sessions: r.sessions, pass_rate: r.pass_rate, baseline: r.baseline, bound: r.bound }));
  const count = (status: PatternStatus) => rows.filter((r) => r.status === status).length;
  const inState = (state: ProspectiveState) => rows.filter((r) => r.state === state).length;
  return stableJson(
    {
      version: 1,
      sessions: s.sessions,
      steps: s.events,
      known_sessions: s.known_sessions,
      baseline_pass_rate: round(s.baseline_pass_rate),
      activities: s.activities,
      patterns: { validated: count('validated'), discovered: count('discovered'), anti: count('anti'), parallel: input.result.parallel.length },
      later_sessions: { validated: inState('validated'), pending: inState('pending'), weakened: inState('weakened'), retired: inState('retired') },
      top_validated: top('validated'),
      top_discovered: top('discovered'),
      top_anti: top('anti'),
      miner: { truncated: s.truncated, min_support_used: s.min_support_used, max_len_used: s.max_len_used, patterns_explored: s.patterns_explored },
      evaluation: input.evaluation !== null && input.evaluation !== undefined,
    },
    3,
  );
}

// ---- entry points ---------------------------------------------------------------------------

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
  const learned = renderLearned(input, rows);
  if (learned !== null) files.set(`patterns/learned/${input.date}.md`, learned);
  files.set('patterns/meta/learning.md', renderMeta(input));
  const team = input.teamEvidence ?? result.evidence;
  files.set('metrics/success_rates.csv', renderSuccessRates(team));
  files.set('metrics/durations.csv', renderDurations(team));
  files.set('metrics/patterns.json', renderPatternState(result, rows));
  files.set('metrics/dashboard.json', renderDashboard(input, rows));
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
