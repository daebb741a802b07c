// How the pattern library shows what the sessions recorded after a pattern was first reported say
// about it (learn/prospective.ts): the state, the date it was first reported and the later numbers,
// in the pattern files, the index tables, learned/<date>.md and metrics/patterns.json. Pure.
import type { LaterEvidence, ProspectiveState } from '../learn/prospective.js';
import { roundOrNull } from '../core/round.js';
import { fmtDate, fmtRate, fmtSigned, table } from './format.js';

/** The later evidence as committed: its counts and rates, rounded to 3 decimals. */
export type LaterRow = Omit<LaterEvidence, 'state' | 'since_ms'>;

/** What a pattern row holds about its later sessions. */
export interface LaterFields {
  state: ProspectiveState;
  /** YYYY-MM-DD (UTC) of D, or "n/a" when no learning run recorded one */
  first_reported: string;
  later: LaterRow;
}

const NO_LATER: LaterRow = { with: 0, without: 0, passed_with: 0, passed_without: 0, pass_with: null, pass_without: null, uplift: null, lower: null, upper: null };

export function laterFields(e: LaterEvidence | undefined): LaterFields {
  if (!e) return { state: 'pending', first_reported: 'n/a', later: { ...NO_LATER } };
  return {
    state: e.state,
    first_reported: fmtDate(e.since_ms),
    later: {
      with: e.with,
      without: e.without,
      passed_with: e.passed_with,
      passed_without: e.passed_without,
      pass_with: roundOrNull(e.pass_with),
      pass_without: roundOrNull(e.pass_without),
      uplift: roundOrNull(e.uplift),
      lower: roundOrNull(e.lower),
      upper: roundOrNull(e.upper),
    },
  };
}

function laterSessions(r: LaterFields): number {
  return r.later.with + r.later.without;
}

/** "validated on 41 sessions since 2026-01-02", "retired: contradicted by 23 sessions since …", ... */
export function statePhrase(r: LaterFields): string {
  const n = laterSessions(r);
  const since = `since ${r.first_reported}`;
  switch (r.state) {
    case 'validated':
      return `validated on ${n} sessions ${since}`;
    case 'weakened':
      return `weakened: ${n} sessions ${since} do not show it`;
    case 'retired':
      return `retired: contradicted by ${n} sessions ${since}`;
    case 'pending':
      if (r.first_reported === 'n/a') return 'pending';
      return n === 0 ? `pending: no sessions ${since} yet` : `pending: ${n} sessions ${since}, not decided yet`;
  }
}

/** "+0.400 (+0.150 to +0.600)", or "n/a" */
function upliftWithInterval(l: LaterRow): string {
  return l.uplift === null ? 'n/a' : `${fmtSigned(l.uplift)} (${fmtSigned(l.lower)} to ${fmtSigned(l.upper)})`;
}

/** The index's extra columns for a pattern table. */
export const LATER_COLUMNS = { header: ['state', 'first reported', 'later with / without', 'later uplift (95%)'], align: ['---', '---', '--:', '--:'] };

export function laterCells(r: LaterFields): string[] {
  return [r.state, r.first_reported, `${r.later.with} / ${r.later.without}`, upliftWithInterval(r.later)];
}

/** The status line of a pattern file. */
export function statusLine(r: LaterFields & { status: 'validated' | 'discovered' | 'anti' }): string {
  const since = `sessions recorded after it was first reported (${r.first_reported})`;
  const n = laterSessions(r);
  if (r.state === 'retired') {
    return `Status: **retired**: contradicted by ${n} ${since}; no longer advised.`;
  }
  if (r.status === 'validated') return `Status: **validated**: ${since} confirm its uplift (its 95% interval there is above zero).`;
  const what = r.status === 'anti' ? '**anti-pattern**: sessions with it passed tests less often than those without it' : '**discovered**: found in the data';
  if (r.state === 'validated') return `Status: ${what}; ${since} confirm it (validated).`;
  if (r.state === 'weakened') return `Status: ${what}; **weakened**: ${since} do not show it, though they do not rule it out.`;
  return `Status: ${what}; ${since} do not decide it yet (pending).`;
}

/** The pattern file's section on its later sessions. */
export function laterSection(r: LaterFields): string {
  const l = r.later;
  return [
    '## Since it was first reported',
    '',
    table(['measure', 'value'], ['---', '--:'], [
      ['state', r.state],
      ['first reported', r.first_reported],
      ['later sessions with the pattern (with a test outcome)', String(l.with)],
      ['later sessions without it', String(l.without)],
      ['passed, with / without', `${l.passed_with} / ${l.passed_without}`],
      ['pass rate with the pattern', fmtRate(l.pass_with)],
      ['pass rate without it', fmtRate(l.pass_without)],
      ['uplift', fmtSigned(l.uplift)],
      ['95% interval of the uplift', l.uplift === null ? 'n/a' : `${fmtSigned(l.lower)} to ${fmtSigned(l.upper)}`],
    ]),
  ].join('\n');
}

/** How to read the state, for the index. */
export const HOW_TO_READ_LATER = `- **state**: what the sessions recorded after a pattern was first reported (by a learning run, on
  the date shown) say about it, with and without the pattern, counted plainly (no time decay), each
  with its last test run as the outcome. **validated**: the 95% interval of their uplift is above
  zero (below zero for an anti-pattern). **retired**: it is entirely on the other side: they
  contradict the pattern, and it is no longer advised. **weakened**: at least 10 later sessions with
  and 10 without it show no uplift, though the interval still covers zero. **pending**: not enough
  later sessions to say yet.`;

/** A pattern whose state changed since the previous library. */
export interface StateChange<R extends LaterFields> {
  row: R;
  was: ProspectiveState;
}

export function stateChanges<R extends LaterFields & { key: string }>(before: readonly R[] | null, now: readonly R[]): StateChange<R>[] {
  const prev = new Map((before ?? []).map((r) => [r.key, r.state]));
  const out: StateChange<R>[] = [];
  for (const row of now) {
    const was = prev.get(row.key);
    if (was !== undefined && was !== row.state) out.push({ row, was });
  }
  return out;
}

/** learned/<date>.md's section on state changes; `link` renders a pattern's link. */
export function renderStateChanges<R extends LaterFields>(changes: readonly StateChange<R>[], link: (r: R) => string): string {
  const lines = [`### Checked on later sessions (${changes.length})`, ''];
  if (changes.length === 0) return [...lines, '_None._'].join('\n');
  lines.push(
    table(
      ['pattern', 'was', 'now', 'later with / without', 'pass rate with', 'pass rate without', 'uplift (95%)'],
      ['---', '---', '---', '--:', '--:', '--:', '--:'],
      changes.map(({ row, was }) => [
        link(row),
        was,
        statePhrase(row),
        `${row.later.with} / ${row.later.without}`,
        fmtRate(row.later.pass_with),
        fmtRate(row.later.pass_without),
        upliftWithInterval(row.later),
      ]),
    ),
  );
  if (changes.some((c) => c.row.state === 'retired')) lines.push('', 'Retired patterns are no longer advised.');
  return lines.join('\n');
}
