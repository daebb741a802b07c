// patterns/learned/<date>.md: what changed in the library against the previous learning commit. Pure.
import { fmtRate, fmtSigned, patternTitle, table } from './format.js';
import { renderStateChanges, statePhrase } from './later-sessions.js';
import type { PatternRow } from './pattern-rows.js';
import { deltaSize, diffPatterns, readPatternState, type PatternDelta } from './pattern-state.js';

/** `unreadable`: why the previous library's pattern state could not be read, when it could not. */
function renderDeltaSection(d: PatternDelta, first: boolean, run: number, unreadable: string | null): string {
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
    ...(unreadable === null ? [] : [`_The previous library could not be read (${unreadable}), so every pattern is listed as new._`, '']),
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

/**
 * The learned/<date>.md file against the previous library's files, or null when nothing changed.
 * Same-day reruns append a section.
 */
export function renderLearned(previous: ReadonlyMap<string, string> | null, date: string, rows: PatternRow[]): string | null {
  const { rows: before, error } = readPatternState(previous);
  const delta = diffPatterns(before, rows);
  if (deltaSize(delta) === 0) return null;
  const path = `patterns/learned/${date}.md`;
  const existing = previous?.get(path);
  if (existing !== undefined) {
    const run = 1 + (existing.match(/^## (Changes since|First library)/gm)?.length ?? 0);
    return existing.trimEnd() + '\n\n' + renderDeltaSection(delta, false, run, error) + '\n';
  }
  return (
    [
      `# Learned on ${date}`,
      '',
      'What changed in the pattern library against the previous learning commit. Pass rates are',
      'time-decayed; bound is the 95% bound of the uplift (see [the index](../README.md#how-to-read-the-evidence)).',
      '',
      renderDeltaSection(delta, before === null && error === null, 1, error),
    ].join('\n') + '\n'
  );
}
