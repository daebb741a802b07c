// export: the captured sessions as an event log for process-mining tools and spreadsheets, or as
// OpenTelemetry logs to a collector.
//   agentops-meta export --format xes|ocel|csv|jsonl [--out FILE]
//   agentops-meta export --format otlp --endpoint URL [--protocol http/protobuf|http/json] [--timeout MS]
// Reads only the database (already redacted), never the raw spool. Streams: one session's events
// are in memory at a time, and each session's chunk is written before the next is read.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { ExportSession } from '../export/common.js';
import { stepFiles } from '../export/step-files.js';
import { EXPORT_FORMATS, exportWriter, isExportFormat, type ExportFormat } from '../export/formats.js';
import { isOtlpProtocol, OTLP_PROTOCOLS, otlpLogsUrl, type OtlpProtocol } from '../export/otlp.js';
import { OtlpSendError, sendSessionsOtlp, type OtlpSendReport } from '../export/otlp-send.js';
import { buildTraces } from '../learn/traces.js';
import type { SessionTrace } from '../core/types.js';
import { packageRoot } from '../shell/package-root.js';
import { writeWhole } from '../shell/write-whole.js';
import type { EventStore } from '../store/port.js';
import type { CliContext } from './cli-context.js';
import { CliError, UsageError } from './errors.js';

export interface ExportReport {
  format: ExportFormat;
  sessions: number;
  steps: number;
}

/** The file formats, and otlp (sent to a collector, not written). */
export type ExportTarget = ExportFormat | 'otlp';

interface ExportOptions {
  format: ExportTarget;
  out?: string;
  json?: boolean;
  endpoint?: string;
  protocol: OtlpProtocol;
  timeout: number;
}

export function registerExportCommand(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('write the captured sessions as an event log: XES (ProM, PM4Py, Disco), OCEL 2.0 JSON, CSV or JSON Lines; or send them as OpenTelemetry logs (OTLP/HTTP)')
    .requiredOption('--format <format>', `one of ${[...EXPORT_FORMATS, 'otlp'].join(', ')}`, parseExportFormat)
    .option('--out <file>', 'write to this file (replaced atomically) instead of standard output')
    .option('--json', 'with --out or --format otlp: print the report as JSON')
    .option('--endpoint <url>', 'with --format otlp: the collector (http://host:4318, /v1/logs is appended) or its full logs URL')
    .option('--protocol <protocol>', `with --format otlp: ${OTLP_PROTOCOLS.join(' or ')}`, parseOtlpProtocol, 'http/protobuf')
    .option('--timeout <ms>', 'with --format otlp: give up on a request after this long, retries included', parseTimeout, 10_000)
    .addHelpText(
      'after',
      '\nOne trace / case per session, one step per tool call, subagent, skill or slash command, named as the learner names them.' +
        '\nXES has a start and a complete event per step (durations and overlap); OCEL relates steps to session, subagent, tool and file objects.' +
        '\nExports contain file paths and session ids from the database: they are for you, not for committing.' +
        '\nOTLP sends one log record per step and one per session (activity, times, durations, outcomes, test verdicts, project folder name;' +
        '\nno prompts, commands or paths), named like Claude Code\'s own OpenTelemetry events; OTEL_EXPORTER_OTLP_HEADERS adds headers.',
    )
    .action(async (opts: ExportOptions) => {
      if (opts.format === 'otlp') return exportOtlp(ctx, opts);
      if (opts.endpoint !== undefined) throw new UsageError('--endpoint goes with --format otlp');
      const format = opts.format;
      if (opts.out === undefined || opts.out === '-') {
        ctx.withStore((store) => exportStore(store, format, (chunk) => ctx.out(chunk)));
        return;
      }
      const file = path.resolve(opts.out);
      const report = ctx.withStore((store) => writeAtomically(file, (write) => exportStore(store, format, write)));
      if (opts.json) return ctx.json({ ...report, file });
      ctx.out(`exported ${report.sessions} sessions (${report.steps} steps) as ${report.format.toUpperCase()} to ${file}`);
    });
}

export function parseExportFormat(value: string): ExportTarget {
  const v = value.toLowerCase();
  if (v === 'otlp') return v;
  if (!isExportFormat(v)) throw new UsageError(`unknown export format "${value}": expected one of ${EXPORT_FORMATS.join(', ')}`, 'or --format otlp --endpoint URL to send them to an OpenTelemetry collector');
  return v;
}

function parseOtlpProtocol(value: string): OtlpProtocol {
  const v = value.toLowerCase();
  if (!isOtlpProtocol(v)) throw new UsageError(`unknown OTLP protocol "${value}": expected ${OTLP_PROTOCOLS.join(' or ')} (gRPC is not supported)`);
  return v;
}

function parseTimeout(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--timeout takes a positive number of milliseconds, not "${value}"`);
  return n;
}

async function exportOtlp(ctx: CliContext, opts: ExportOptions): Promise<void> {
  if (opts.out !== undefined) throw new UsageError('--format otlp sends to --endpoint; it writes no file (--out)');
  if (opts.endpoint === undefined) throw new UsageError('--format otlp needs --endpoint URL, e.g. --endpoint http://localhost:4318');
  try {
    otlpLogsUrl(opts.endpoint);
  } catch (e) {
    throw new UsageError(`--endpoint: ${(e as Error).message}`);
  }
  const send = { endpoint: opts.endpoint, protocol: opts.protocol, timeoutMs: opts.timeout, version: packageVersion() };
  let report: OtlpSendReport;
  try {
    report = await ctx.withStore((store) => sendSessionsOtlp(storeTraces(store), send));
  } catch (e) {
    if (!(e instanceof OtlpSendError)) throw e;
    const sent = e.report.sessions > 0 ? ` (${e.report.sessions} sessions were sent before it failed)` : '';
    throw new CliError(`${e.message}${sent}`, 1, 'check that an OpenTelemetry collector listens there (OTLP/HTTP, usually port 4318) and that --protocol matches it');
  }
  if (opts.json) return ctx.json(report);
  ctx.out(`sent ${report.sessions} sessions (${report.steps} steps, ${report.records} log records) as OTLP ${report.protocol} logs to ${report.url}`);
}

/** service.version of what we send; "unknown" when the package folder cannot be read. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Every session's traces with its stored events, oldest session first; one session in memory at a time. */
function* storeSessions(store: EventStore): Generator<{ trace: SessionTrace; events: ReturnType<EventStore['events']> }> {
  for (const summary of store.sessions()) {
    const events = store.events({ session_id: summary.session_id });
    for (const trace of buildTraces(events)) yield { trace, events };
  }
}

function* storeTraces(store: EventStore): Generator<SessionTrace> {
  for (const { trace } of storeSessions(store)) yield trace;
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
  for (const { trace, events } of storeSessions(store)) {
    // A session without a single tool call, subagent or command has nothing to mine.
    if (trace.steps.length === 0) continue;
    const session: ExportSession = format === 'ocel' ? { trace, files: stepFiles(events, trace) } : { trace };
    emit(writer.session(session));
    report.sessions++;
    report.steps += trace.steps.length;
  }
  emit(writer.footer());
  return report;
}

/** Writes whole (shell/write-whole.ts): a failed export never leaves half a log. */
function writeAtomically<T>(file: string, fill: (write: (chunk: string) => void) => T): T {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw new CliError(`cannot write ${file}: the folder ${dir} does not exist`);
  let filling = false;
  try {
    return writeWhole(file, (write) => {
      filling = true;
      return fill(write);
    });
  } catch (e) {
    if (filling) throw e;
    throw new CliError(`cannot write ${file}: ${(e as Error).message}`);
  }
}
