// patterns/meta/learning.md: how the library was learned (data, thresholds, vocabulary, evaluation). Pure.
import type { LearnOptions, LearnResult } from '../learn/types.js';
import { cmpStr } from '../core/cmp-str.js';
import { code, fmtRate, table } from './format.js';

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

/** patterns/meta/learning.md: the data, thresholds, vocabulary and evaluation behind the library. */
export function renderMeta(result: LearnResult, evaluation: unknown | null, options: Partial<LearnOptions> | undefined): string {
  const s = result.stats;
  const ev = result.evidence;
  const opts: Readonly<Record<string, unknown>> = options ?? {};
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
  if (evaluation === null || evaluation === undefined) {
    parts.push('No evaluation ran with this learning run; `metrics/eval.json`, if present, is from an earlier one.');
  } else {
    parts.push(
      'Summary of `metrics/eval.json`: how well the library predicts the next activity on the newest sessions,',
      'learned on the older ones. This hold-out does not decide which patterns are validated (a quarter of a',
      'few hundred sessions is too few to confirm an uplift): the sessions recorded after each pattern was',
      'first reported do (see [the index](../README.md#how-to-read-the-evidence)).',
      '',
      table(['field', 'value'], ['---', '--:'], evaluationRows(evaluation)),
    );
  }
  return parts.join('\n') + '\n';
}
