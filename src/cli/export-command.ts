// export: the captured sessions as an event log for process-mining tools and spreadsheets.
//   agentops-meta export --format xes|ocel|csv|jsonl [--out FILE]
// Reads only the database (already redacted), never the raw spool. Streams: one session's events
// are in memory at a time, and each session's chunk is written before the next is read.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { ExportSession } from '../export/common.js';
import { stepFiles } from '../export/files.js';
import { EXPORT_FORMATS, exportWriter, isExportFormat, type ExportFormat } from '../export/formats.js';
import { buildTraces } from '../learn/traces.js';
import type { EventStore } from '../store/port.js';
import type { CliContext } from './context.js';
import { CliError, UsageError } from './errors.js';

export interface ExportReport {
  format: ExportFormat;
  sessions: number;
  steps: number;
}

export function registerExportCommand(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('write the captured sessions as an event log: XES (ProM, PM4Py, Disco), OCEL 2.0 JSON, CSV or JSON Lines')
    .requiredOption('--format <format>', `one of ${EXPORT_FORMATS.join(', ')}`, parseExportFormat)
    .option('--out <file>', 'write to this file (replaced atomically) instead of standard output')
    .option('--json', 'with --out: print the report as JSON')
    .addHelpText(
      'after',
      '\nOne trace / case per session, one step per tool call, subagent, skill or slash command, named as the learner names them.' +
        '\nXES has a start and a complete event per step (durations and overlap); OCEL relates steps to session, subagent, tool and file objects.' +
        '\nExports contain file paths and session ids from the database: they are for you, not for committing.',
    )
    .action((opts: { format: ExportFormat; out?: string; json?: boolean }) => {
      if (opts.out === undefined || opts.out === '-') {
        ctx.withStore((store) => exportStore(store, opts.format, (chunk) => ctx.out(chunk)));
        return;
      }
      const file = path.resolve(opts.out);
      const report = ctx.withStore((store) => writeAtomically(file, (write) => exportStore(store, opts.format, write)));
      if (opts.json) return ctx.json({ ...report, file });
      ctx.out(`exported ${report.sessions} sessions (${report.steps} steps) as ${report.format.toUpperCase()} to ${file}`);
    });
}

export function parseExportFormat(value: string): ExportFormat {
  const v = value.toLowerCase();
  if (!isExportFormat(v)) throw new UsageError(`unknown export format "${value}": expected one of ${EXPORT_FORMATS.join(', ')}`);
  return v;
}

/**
 * Streams every session with at least one step through the format's writer, oldest session first.
 * `write` receives non-empty chunks, each ending with a newline.
 */
export function exportStore(store: EventStore, format: ExportFormat, write: (chunk: string) => void): ExportReport {
  const writer = exportWriter(format);
  const report: ExportReport = { format, sessions: 0, steps: 0 };
  const emit = (chunk: string) => {
    if (chunk.length > 0) write(chunk);
  };
  emit(writer.header());
  for (const summary of store.sessions()) {
    const events = store.events({ session_id: summary.session_id });
    for (const trace of buildTraces(events)) {
      // A session without a single tool call, subagent or command has nothing to mine.
      if (trace.steps.length === 0) continue;
      const session: ExportSession = format === 'ocel' ? { trace, files: stepFiles(events, trace) } : { trace };
      emit(writer.session(session));
      report.sessions++;
      report.steps += trace.steps.length;
    }
  }
  emit(writer.footer());
  return report;
}

/** Writes to a temporary file beside `file`, then renames: a failed export never leaves half a log. */
function writeAtomically<T>(file: string, fill: (write: (chunk: string) => void) => T): T {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw new CliError(`cannot write ${file}: the folder ${dir} does not exist`);
  const tmp = `${file}.${process.pid}.tmp`;
  let fd: number;
  try {
    fd = fs.openSync(tmp, 'w', 0o600);
  } catch (e) {
    throw new CliError(`cannot write ${file}: ${(e as Error).message}`);
  }
  try {
    const result = fill((chunk) => writeAll(fd, chunk));
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
    return result;
  } catch (e) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** writeSync may write less than asked; loop until the whole chunk is out. */
function writeAll(fd: number, chunk: string): void {
  const bytes = Buffer.from(chunk, 'utf8');
  let off = 0;
  while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
}
