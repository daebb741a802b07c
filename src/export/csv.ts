// CSV for spreadsheets, Disco and Celonis: one row per step. Pure.
//
// Columns: session_id, activity, start, end (ISO 8601 UTC with ms), duration_ms, outcome,
// agent (the subagent type, or "main"), test_passed (true / false, empty when the step ran no tests).
// RFC 4180: CRLF line ends, a header row, fields with a comma, double quote, CR or LF are quoted and
// their quotes doubled. The one CSV encoder: the library's metrics/*.csv use it too, with LF line
// ends (files committed to git, where LF is the text convention).
// Spreadsheet formula guard (OWASP "CSV injection"): a text field starting with = + - @ tab or CR
// would be run as a formula by Excel, LibreOffice and Sheets; it gets a leading apostrophe. Agent
// types and MCP-derived names come from outside, so this is not hypothetical; no value this program
// produces itself (ids, ISO times, activities of built-in tools) starts with one of those.
import { durationMs, isoTime, resourceOf, testPassedOf, type ExportWriter } from './common.js';

export const CSV_COLUMNS = ['session_id', 'activity', 'start', 'end', 'duration_ms', 'outcome', 'agent', 'test_passed'] as const;

export function csvWriter(): ExportWriter {
  return {
    header: () => csvRow(CSV_COLUMNS),
    session: ({ trace }) =>
      trace.steps
        .map((s) =>
          csvRow([trace.session_id, s.activity, isoTime(s.start_ms), isoTime(s.end_ms), durationMs(s), s.outcome, resourceOf(s), testPassedOf(s)]),
        )
        .join(''),
    footer: () => '',
  };
}

/** One record: its fields encoded, comma-separated, ended by `eol` (CRLF, as RFC 4180 has it). */
export function csvRow(fields: readonly (string | number | boolean | null)[], eol = '\r\n'): string {
  return `${fields.map(csvField).join(',')}${eol}`;
}

export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
