// Which files each step of a trace touched, read from the stored (already redacted) payloads. Pure.
//
// Steps do not keep their payloads, so this replays the same pairing and vocabulary that
// buildTraces() used on the same events and matches each call to its step by (session, tool_use_id,
// start, end, activity). Calls that share all of these (only possible without tool_use_id) are
// matched in order, which is the order buildTraces() kept them in (its sort is stable over
// pairToolCalls() order), so the match is exact.
//
// A file is tool_input.file_path (Read, Edit, MultiEdit, Write) or tool_input.notebook_path
// (NotebookEdit). Paths are the stored ones: exports are local files for the user, never committed,
// and only ever see what redaction let into the database.
import { pairToolCalls, type ToolCall } from '../core/pairing.js';
import type { EventRecord, SessionTrace } from '../core/types.js';
import { makeVocabulary, type Vocabulary } from '../learn/vocabulary.js';

const FILE_FIELDS = ['file_path', 'notebook_path'] as const;

/**
 * files[i] = the paths step i of `trace` touched (empty for most tools). `events` are the stored
 * events of the trace's session; `vocabulary` must be the one buildTraces() used (default: defaults).
 */
export function stepFiles(events: readonly EventRecord[], trace: SessionTrace, vocabulary: Vocabulary = makeVocabulary()): string[][] {
  const own = events.filter((e) => e.session_id === trace.session_id);
  const byId = new Map(own.map((e) => [e.id, e] as const));
  const queues = new Map<string, string[][]>();
  for (const call of pairToolCalls(own)) {
    const activity = vocabulary(call);
    if (activity === null) continue;
    const key = stepKey(call.tool_use_id, call.start_ms, call.end_ms, activity);
    let q = queues.get(key);
    if (!q) queues.set(key, (q = []));
    q.push(filesOf(call, byId));
  }
  return trace.steps.map((s) => queues.get(stepKey(s.tool_use_id, s.start_ms, s.end_ms, s.activity))?.shift() ?? []);
}

function stepKey(toolUseId: string | null, start: number, end: number, activity: string): string {
  return `${toolUseId ?? ''}\u0000${start}\u0000${end}\u0000${activity}`;
}

function filesOf(call: ToolCall, byId: ReadonlyMap<string, EventRecord>): string[] {
  // The Pre's tool_input is what the call asked for; a completion without Pre has its own copy.
  for (const id of [call.pre_id, call.post_id]) {
    const e = id === null ? undefined : byId.get(id);
    if (!e) continue;
    const input = toolInputOf(e.payload);
    if (input === null) continue;
    const out: string[] = [];
    for (const f of FILE_FIELDS) {
      const v = input[f];
      if (typeof v === 'string' && v.length > 0 && !out.includes(v)) out.push(v);
    }
    return out;
  }
  return [];
}

function toolInputOf(payload: string): Record<string, unknown> | null {
  try {
    const p = JSON.parse(payload) as unknown;
    if (p === null || typeof p !== 'object') return null;
    const input = (p as Record<string, unknown>)['tool_input'];
    return input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
