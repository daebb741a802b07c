// Sends sessions as OTLP/HTTP logs (JSON or protobuf) with the OpenTelemetry SDK: the shell half of
// `export --format otlp`; the records come from the pure otlp.ts. A shell file kept beside its pure
// half (ARCHITECTURE.md lists it in the shell row).
//
// The SDK's LoggerProvider turns our plain records into its log records (resource, scope, times);
// a processor collects them and we hand them to the official OTLP/HTTP exporter ourselves, one batch
// at a time, waiting for each answer. So a failure is reported to the caller (the BatchLogRecordProcessor
// would only log it), memory holds one batch, and the exporter's own retry applies: 429, 502, 503 and
// 504 and refused/reset connections are retried with backoff (and Retry-After) until timeoutMs.
// Headers (e.g. authorization) and compression come from the standard OTEL_EXPORTER_OTLP_* variables,
// which the exporter reads itself; the URL given here wins over OTEL_EXPORTER_OTLP_*ENDPOINT.
//
// The OpenTelemetry packages are imported when a send starts, not with the CLI: loading them costs
// about 200 ms, which every other command would pay.
import type { HrTime } from '@opentelemetry/api';
import type { AnyValueMap } from '@opentelemetry/api-logs';
import type { LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';
import type { SessionTrace } from '../core/types.js';
import { OTLP_SCOPE, otlpLogsUrl, otlpResource, sessionLogRecords, type OtlpLogRecord, type OtlpProtocol } from './otlp.js';

export interface OtlpSendOptions {
  /** --endpoint: a collector base URL (…/v1/logs is appended) or a full logs URL. */
  endpoint: string;
  protocol: OtlpProtocol;
  /** Per batch, including retries. */
  timeoutMs: number;
  /** agentops-meta's version, for service.version. */
  version: string;
  /** Log records per request (default 512). */
  batchSize?: number;
}

export interface OtlpSendReport {
  format: 'otlp';
  protocol: OtlpProtocol;
  url: string;
  sessions: number;
  steps: number;
  records: number;
  requests: number;
}

/** The endpoint is not a usable URL, or the collector did not take a batch (after retries). */
export class OtlpSendError extends Error {
  constructor(
    message: string,
    /** What was delivered before the failure. */
    readonly report: OtlpSendReport,
  ) {
    super(message);
    this.name = 'OtlpSendError';
  }
}

/** Epoch ms → [s, ns]: exact, and no SDK heuristic guesses whether a number is epoch or performance.now() time. */
function hrTime(ms: number): HrTime {
  const s = Math.floor(ms / 1000);
  return [s, Math.round((ms - s * 1000) * 1e6)];
}

/** The exporters' ExportResult (@opentelemetry/core, not a dependency of ours): code 0 is SUCCESS. */
interface ExportResult {
  code: number;
  error?: Error;
}
const EXPORT_SUCCESS = 0;

interface Exporter {
  export(items: ReadableLogRecord[], done: (r: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

async function makeExporter(protocol: OtlpProtocol, url: string, timeoutMillis: number): Promise<Exporter> {
  const config = { url, timeoutMillis };
  if (protocol === 'http/protobuf') return new (await import('@opentelemetry/exporter-logs-otlp-proto')).OTLPLogExporter(config);
  return new (await import('@opentelemetry/exporter-logs-otlp-http')).OTLPLogExporter(config);
}

/**
 * Sends every session with at least one step, in the order given, as log records (otlp.ts): steps,
 * then a session record. Resolves with what was sent; rejects with OtlpSendError on a bad endpoint or
 * a batch the collector refused or never answered. Batches already sent stay sent: a rerun sends
 * them again (collectors do not deduplicate log records), so run it on new sessions only.
 */
export async function sendSessionsOtlp(traces: Iterable<SessionTrace>, opts: OtlpSendOptions): Promise<OtlpSendReport> {
  const report: OtlpSendReport = { format: 'otlp', protocol: opts.protocol, url: opts.endpoint, sessions: 0, steps: 0, records: 0, requests: 0 };
  try {
    report.url = otlpLogsUrl(opts.endpoint);
  } catch (e) {
    throw new OtlpSendError((e as Error).message, report);
  }
  const batchSize = Math.max(1, opts.batchSize ?? 512);
  // Records, sessions and steps emitted but not yet delivered; a batch always holds whole sessions.
  const pending: ReadableLogRecord[] = [];
  let pendingSessions = 0;
  let pendingSteps = 0;
  const collector: LogRecordProcessor = {
    onEmit: (r: SdkLogRecord) => void pending.push(r),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const [{ LoggerProvider }, { defaultResource, resourceFromAttributes }] = await Promise.all([import('@opentelemetry/sdk-logs'), import('@opentelemetry/resources')]);
  const provider = new LoggerProvider({
    resource: defaultResource().merge(resourceFromAttributes(otlpResource(opts.version))),
    processors: [collector],
  });
  const logger = provider.getLogger(OTLP_SCOPE, opts.version);
  const exporter = await makeExporter(opts.protocol, report.url, opts.timeoutMs);

  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending.splice(0, pending.length);
    const result = await new Promise<ExportResult>((resolve) => exporter.export(batch, resolve));
    if (result.code !== EXPORT_SUCCESS) {
      const why = result.error?.message || 'no answer';
      throw new OtlpSendError(`the OTLP endpoint ${report.url} did not accept ${batch.length} log records: ${why}`, report);
    }
    report.requests++;
    report.records += batch.length;
    report.sessions += pendingSessions;
    report.steps += pendingSteps;
    pendingSessions = pendingSteps = 0;
  };
  const emit = (r: OtlpLogRecord) => {
    const t = hrTime(r.time_ms);
    logger.emit({
      eventName: r.event_name,
      timestamp: t,
      observedTimestamp: t,
      severityNumber: r.severity_number,
      severityText: r.severity_text,
      body: r.body,
      attributes: r.attributes as AnyValueMap,
    });
  };

  try {
    for (const trace of traces) {
      const records = sessionLogRecords(trace);
      if (records.length === 0) continue;
      records.forEach(emit);
      pendingSessions++;
      pendingSteps += trace.steps.length;
      if (pending.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    await exporter.shutdown().catch(() => {});
    await provider.shutdown().catch(() => {});
  }
  return report;
}
