// The sessions as OpenTelemetry log records: the pure half of `export --format otlp` (otlp-send.ts
// sends them over OTLP/HTTP with the OpenTelemetry SDK). Pure: plain data in, plain data out.
//
// Why logs, not traces. Claude Code's own OpenTelemetry events are logs (claude_code.tool_result,
// claude_code.tool_decision, ... with session.id, tool_name, duration_ms, success, tool_use_id);
// organisations that collect them already run a logs pipeline, and ours land beside them and join on
// the same attribute names. A step is a finished fact with a duration (what a log record with
// duration_ms says); as spans, a session would be a trace whose root span we would have to invent,
// and subagent steps overlap their Agent call without a recorded parent. The OTLP logs exporters are
// also the ones installed (no trace SDK needed).
//
// Records: one `agentops.step` per step, emitted at the step's end (as claude_code.tool_result is, when
// the tool completes), then one `agentops.session` per session at its end. Event names are our own,
// not claude_code.*: these records are derived from hooks, and a pipeline that also receives Claude
// Code's own events must not count a tool call twice. Attribute names follow Claude Code where it has
// one (session.id, event.name, event.timestamp, tool_name, tool_use_id, duration_ms, success as the
// strings "true"/"false") and the GenAI semantic conventions where they fit (gen_ai.conversation.id,
// gen_ai.operation.name, gen_ai.tool.name, gen_ai.tool.call.id, gen_ai.agent.name,
// gen_ai.provider.name); the rest are agentops.*.
//
// Abstract by default and only: activity names, times, durations, outcomes, test verdicts and counts,
// and the project's folder name (never its path, prompts, commands or file paths). Everything comes
// from the store, which holds redacted data only.
import { cmpStr } from '../core/cmp-str.js';
import type { SessionTrace, Step } from '../core/types.js';
import { durationMs, isoTime, resourceOf, sessionTestsPassed, testPassedOf } from './common.js';
import { spawnedAgentType, toolOf } from './ocel.js';

export const OTLP_STEP_EVENT = 'agentops.step';
export const OTLP_SESSION_EVENT = 'agentops.session';
/** The instrumentation scope (logger name) of every record. */
export const OTLP_SCOPE = 'agentops-meta';

/** OpenTelemetry SeverityNumber values used here (INFO, and WARN for a step that failed). */
export const SEVERITY = { INFO: 9, WARN: 13 } as const;

export type OtlpAttributeValue = string | number | boolean;
export type OtlpAttributes = Record<string, OtlpAttributeValue>;

export interface OtlpLogRecord {
  event_name: string;
  /** When it happened, epoch milliseconds (also the observed time: hooks record as it happens). */
  time_ms: number;
  severity_number: number;
  severity_text: keyof typeof SEVERITY;
  /** The event name, as Claude Code's body is "claude_code.tool_result". */
  body: string;
  attributes: OtlpAttributes;
}

/** Resource attributes of everything agentops-meta sends. */
export function otlpResource(version: string): OtlpAttributes {
  return { 'service.name': 'agentops-meta', 'service.version': version };
}

/** "/home/a/work/shop" → "shop" (either separator; a trailing one is ignored). */
export function projectName(project: string): string {
  const parts = project.split(/[\\/]+/).filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? project;
}

/** Attributes every record of a session carries. */
function sessionAttributes(trace: SessionTrace): OtlpAttributes {
  const a: OtlpAttributes = { 'session.id': trace.session_id, 'gen_ai.conversation.id': trace.session_id, 'gen_ai.provider.name': 'anthropic' };
  if (trace.project !== null) a['agentops.project'] = projectName(trace.project);
  return a;
}

export function stepLogRecord(trace: SessionTrace, step: Step, index: number): OtlpLogRecord {
  const a: OtlpAttributes = {
    ...sessionAttributes(trace),
    'event.name': 'step',
    'event.timestamp': isoTime(step.end_ms),
    'agentops.step.index': index,
    'agentops.activity': step.activity,
    'agentops.agent': resourceOf(step),
    'agentops.outcome': step.outcome,
    duration_ms: durationMs(step),
    success: String(step.outcome === 'ok'),
  };
  const tool = toolOf(step.activity);
  if (tool !== null) {
    a.tool_name = tool;
    a['gen_ai.tool.name'] = tool;
  }
  const spawned = spawnedAgentType(step.activity);
  if (spawned !== null) {
    a['gen_ai.operation.name'] = 'invoke_agent';
    a['gen_ai.agent.name'] = spawned;
  } else if (tool !== null) {
    a['gen_ai.operation.name'] = 'execute_tool';
  }
  if (step.tool_use_id !== null) {
    a.tool_use_id = step.tool_use_id;
    a['gen_ai.tool.call.id'] = step.tool_use_id;
  }
  const passed = testPassedOf(step);
  if (passed !== null) a['agentops.test.passed'] = passed;
  if (step.test) {
    a['agentops.test.runner'] = step.test.runner;
    for (const k of ['passed', 'failed', 'skipped', 'total'] as const) {
      const n = step.test.counts[k];
      if (n !== null) a[`agentops.test.${k}_count`] = n;
    }
  }
  const warn = step.outcome === 'error' || passed === false;
  return record(OTLP_STEP_EVENT, step.end_ms, warn ? 'WARN' : 'INFO', a);
}

export function sessionLogRecord(trace: SessionTrace): OtlpLogRecord {
  const start = trace.steps.reduce((m, s) => Math.min(m, s.start_ms), trace.start_ms);
  const end = trace.steps.reduce((m, s) => Math.max(m, s.end_ms), trace.end_ms);
  const a: OtlpAttributes = {
    ...sessionAttributes(trace),
    'event.name': 'session',
    'event.timestamp': isoTime(end),
    'agentops.session.start': isoTime(start),
    duration_ms: Math.max(0, Math.round(end - start)),
    'agentops.session.steps': trace.steps.length,
    'agentops.session.stop_failures': trace.stop_failures,
    'agentops.session.interrupts': trace.interrupts,
  };
  const passed = sessionTestsPassed(trace);
  if (passed !== null) a['agentops.session.tests_passed'] = passed;
  return record(OTLP_SESSION_EVENT, end, passed === false ? 'WARN' : 'INFO', a);
}

/** A session's records: its steps in order, then the session summary. Empty for a session without steps. */
export function sessionLogRecords(trace: SessionTrace): OtlpLogRecord[] {
  if (trace.steps.length === 0) return [];
  return [...trace.steps.map((s, i) => stepLogRecord(trace, s, i)), sessionLogRecord(trace)];
}

function record(event_name: string, time_ms: number, severity: keyof typeof SEVERITY, attributes: OtlpAttributes): OtlpLogRecord {
  return { event_name, time_ms, severity_number: SEVERITY[severity], severity_text: severity, body: event_name, attributes };
}

export const OTLP_PROTOCOLS = ['http/json', 'http/protobuf'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

export function isOtlpProtocol(value: string): value is OtlpProtocol {
  return (OTLP_PROTOCOLS as readonly string[]).includes(value);
}

/**
 * The logs URL for an --endpoint, as OpenTelemetry's environment variables read it: a base URL
 * without a path (OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://collector:4318) gets /v1/logs appended;
 * a URL with a path (OTEL_EXPORTER_OTLP_LOGS_ENDPOINT) is used as given. Throws on anything that is
 * not an http(s) URL.
 */
export function otlpLogsUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`"${endpoint}" is not a URL (expected e.g. http://localhost:4318)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${endpoint}" is not an http(s) URL: OTLP/HTTP needs http:// or https://`);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/logs';
  return url.toString();
}

/**
 * Where the daemon's OTLP sending stands (kept in the local meta): every session whose last event
 * is at or before (last_ms, session_id), in that order, was sent.
 */
export interface OtlpCursor {
  last_ms: number;
  session_id: string;
}

const afterCursor = (s: { last_ms: number; session_id: string }, c: OtlpCursor) => s.last_ms > c.last_ms || (s.last_ms === c.last_ms && s.session_id > c.session_id);

/**
 * The sessions the daemon sends next: quiet (no event after `quietBefore`, so finished and sent
 * once) and past the cursor, in cursor order. A session resumed after it was sent moves past the
 * cursor again and is sent again, whole, once quiet.
 */
export function otlpDue<S extends { last_ms: number; session_id: string }>(sessions: readonly S[], cursor: OtlpCursor, quietBefore: number): S[] {
  return sessions
    .filter((s) => s.last_ms <= quietBefore && afterCursor(s, cursor))
    .sort((a, b) => a.last_ms - b.last_ms || cmpStr(a.session_id, b.session_id));
}

/**
 * The cursor of a daemon that starts sending: past every session stored so far (the history is
 * `export --format otlp`'s to send, by hand), so only what is ingested from now on goes out.
 */
export function otlpStartCursor(sessions: readonly { last_ms: number }[]): OtlpCursor {
  return { last_ms: sessions.reduce((m, s) => Math.max(m, s.last_ms), 0), session_id: '\uffff' };
}
