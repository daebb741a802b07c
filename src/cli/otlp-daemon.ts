// The daemon's OTLP sender (config export.otlp_endpoint): after ingest, the sessions that went quiet
// since the last run go to the collector as `export --format otlp` sends them. A cursor in the local
// meta (per logs URL) moves after each delivered chunk, so on success nothing is sent twice; a
// failure leaves it, logs one line, counts the run in `otlp_failed_runs`, and the next run (a
// minute later at the earliest) sends the rest. Bounded in time, and run beside the daemon's step
// chain: a slow or absent collector never delays ingest. The OpenTelemetry packages load only when
// there is something to send.
import type { Config } from '../config/schema.js';
import { otlpDue, otlpLogsUrl, otlpStartCursor, type OtlpCursor } from '../export/otlp.js';
import { sendSessionsOtlp } from '../export/otlp-send.js';
import { buildTraces } from '../learn/traces.js';
import type { SessionTrace } from '../core/types.js';
import type { EventStore, SessionSummary } from '../store/port.js';
import { packageVersion } from './export-command.js';

export const OTLP_CURSOR_PREFIX = 'otlp_cursor:';
export const OTLP_FAILURES_META = 'otlp_failed_runs';

export interface OtlpSenderOptions {
  now?: () => number;
  /** least time between two runs (default a minute: sessions go quiet in minutes, and store.sessions() reads the whole store) */
  minIntervalMs?: number;
  /** a run starts no new chunk after this long (default 20 s) */
  runMs?: number;
  /** sessions per request group; the cursor moves after each (default 50) */
  chunk?: number;
}

function readCursor(store: EventStore, key: string): OtlpCursor | null {
  try {
    const c = JSON.parse(store.getMeta(key) ?? 'null') as Partial<OtlpCursor> | null;
    if (c && typeof c.last_ms === 'number' && typeof c.session_id === 'string') return { last_ms: c.last_ms, session_id: c.session_id };
  } catch {
    // unreadable: start again from now (what was not sent stays for `export --format otlp`)
  }
  return null;
}

/** The daemon's sender for `exp`, or undefined when no endpoint is set (or it is not a usable URL, logged). Never throws. */
export function daemonOtlpSender(exp: Config['export'], store: EventStore, log: (line: string) => void, options: OtlpSenderOptions = {}): (() => Promise<void>) | undefined {
  if (!exp.otlp_endpoint) return undefined;
  const endpoint = exp.otlp_endpoint;
  let url: string;
  try {
    url = otlpLogsUrl(endpoint);
  } catch (e) {
    log(`otlp: export.otlp_endpoint: ${(e as Error).message}; nothing is sent`);
    return undefined;
  }
  const now = options.now ?? Date.now;
  const key = OTLP_CURSOR_PREFIX + url;
  const chunkSize = Math.max(1, options.chunk ?? 50);
  let lastRun = -Infinity;
  return async () => {
    const start = now();
    if (start - lastRun < (options.minIntervalMs ?? 60_000)) return;
    lastRun = start;
    const deadline = start + (options.runMs ?? 20_000);
    let sessions = 0;
    let steps = 0;
    try {
      const all = store.sessions();
      let cursor = readCursor(store, key);
      if (cursor === null) {
        cursor = otlpStartCursor(all);
        store.setMeta(key, JSON.stringify(cursor));
      }
      const due = otlpDue(all, cursor, start - exp.otlp_quiet_minutes * 60_000);
      for (let i = 0; i < due.length && now() < deadline; i += chunkSize) {
        const chunk = due.slice(i, i + chunkSize);
        const r = await sendSessionsOtlp(tracesOf(store, chunk), {
          endpoint,
          protocol: exp.otlp_protocol,
          timeoutMs: Math.max(1000, Math.min(10_000, deadline - now())),
          version: packageVersion(),
        });
        sessions += r.sessions;
        steps += r.steps;
        const last = chunk[chunk.length - 1]!;
        // Only after the collector took the whole chunk.
        store.setMeta(key, JSON.stringify({ last_ms: last.last_ms, session_id: last.session_id } satisfies OtlpCursor));
      }
      if (sessions) log(`otlp: sent ${sessions} sessions (${steps} steps) to ${url}`);
    } catch (e) {
      log(`otlp: ${(e as Error).message}${sessions ? ` (after ${sessions} sessions were sent)` : ''}; the rest is sent by a later run`);
      try {
        store.setMeta(OTLP_FAILURES_META, String(Number(store.getMeta(OTLP_FAILURES_META) ?? 0) + 1));
      } catch {
        // the store itself failed: the line above says so
      }
    }
  };
}

function* tracesOf(store: EventStore, sessions: readonly SessionSummary[]): Generator<SessionTrace> {
  for (const s of sessions) yield* buildTraces(store.events({ session_id: s.session_id }));
}
