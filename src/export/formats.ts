// The export formats by name, and a helper that renders a whole log at once (tests, small data).
// Pure. The CLI streams instead: header, one chunk per session, footer.
import type { ExportSession, ExportWriter } from './common.js';
import { csvWriter } from './csv.js';
import { jsonlWriter } from './jsonl.js';
import { ocelWriter } from './ocel.js';
import { xesWriter } from './xes.js';

export const EXPORT_FORMATS = ['xes', 'ocel', 'csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** A fresh writer (writers keep state across sessions, e.g. OCEL's objects: one per export). */
export function exportWriter(format: ExportFormat): ExportWriter {
  switch (format) {
    case 'xes':
      return xesWriter();
    case 'ocel':
      return ocelWriter();
    case 'csv':
      return csvWriter();
    case 'jsonl':
      return jsonlWriter();
  }
}

/** Customary file extension of each format. */
export const EXPORT_EXTENSIONS: Readonly<Record<ExportFormat, string>> = { xes: '.xes', ocel: '.jsonocel', csv: '.csv', jsonl: '.jsonl' };

export function* exportChunks(format: ExportFormat, sessions: Iterable<ExportSession>): Generator<string> {
  const w = exportWriter(format);
  yield w.header();
  for (const s of sessions) yield w.session(s);
  yield w.footer();
}

export function renderExport(format: ExportFormat, sessions: Iterable<ExportSession>): string {
  let out = '';
  for (const chunk of exportChunks(format, sessions)) out += chunk;
  return out;
}
