// Pairs PreToolUse events with their completion (PostToolUse, PostToolUseFailure, PermissionDenied)
// into tool calls with a start, an end and an outcome. Pure, O(n log n) for the sort, O(n) after.
//
// Rules:
// - Events are sorted by ts_ms, then id. At equal ts_ms a PreToolUse is processed before a completion,
//   so a call never completes before it starts.
// - With tool_use_id (every current CLI): the completion joins the Pre of the same session and id,
//   whatever the order of arrival. A duplicate Pre or completion for an id already seen is ignored
//   (the same call can arrive twice, e.g. from live capture and from transcript backfill).
// - Without tool_use_id (mid-2025 CLIs): the completion joins the OLDEST still-open Pre of the same
//   session, agent_id and tool_name (FIFO). When the completion's payload has a tool_input, an open
//   Pre with an equal tool_input is preferred over older ones (the payloads are parsed lazily, only
//   when there is more than one candidate). The search looks at most MAX_INPUT_CANDIDATES open Pres,
//   which keeps the whole pass linear.
// - Outcome: the event's own `outcome` when the normalizer set it, else PostToolUse → ok,
//   PostToolUseFailure → interrupted when payload.is_interrupt, else error; PermissionDenied → denied.
// - A Pre that never completes is 'blocked' (a PreToolUse hook or the user refused it, or the CLI
//   died). Decision: this holds even when the Pre is the session's last event. Such a call may in
//   principle still be running in a live session, but hooks cannot tell "still running" from "never
//   ran", the learner mines finished sessions, and a step that did not finish did not contribute a
//   result either way. Its end_ms = start_ms and duration_ms = 0.
// - A completion without any Pre still yields a call: start = end - duration (duration 0 if unknown).
// - end = the completion's arrival. start = end - duration_ms when the completion reports duration_ms
//   (every current CLI: the tool's own run time, without the permission prompt and the PreToolUse
//   hooks, which the Pre's arrival time includes), but never before the Pre arrived; else the Pre's
//   arrival. So a call that waited a minute for the user's approval ran for its real second, and
//   does not overlap (look concurrent with) what happened while the prompt was open.
// - duration_ms = the completion's duration_ms when given, else end - start.
import type { Actor, BashKind, EventRecord, Outcome, TestRun } from './types.js';

export interface ToolCall {
  session_id: string;
  tool_use_id: string | null;
  tool_name: string;
  actor: Actor | null;
  agent_id: string | null;
  agent_type: string | null;
  start_ms: number;
  end_ms: number;
  duration_ms: number;
  outcome: Outcome;
  bash_kind: BashKind | null;
  test: TestRun | null;
  /** id of the PreToolUse event, null for a completion without Pre */
  pre_id: string | null;
  /** id of the completing event, null for a blocked call */
  post_id: string | null;
}

const PRE = 'PreToolUse';
const COMPLETIONS: ReadonlySet<string> = new Set(['PostToolUse', 'PostToolUseFailure', 'PermissionDenied']);
/** How many open Pres the tool_input preference inspects in one FIFO queue. */
const MAX_INPUT_CANDIDATES = 64;

export function isToolCompletion(event: string): boolean {
  return COMPLETIONS.has(event);
}

/** Sort order used everywhere a session's events are replayed. */
export function compareEvents(a: EventRecord, b: EventRecord): number {
  if (a.ts_ms !== b.ts_ms) return a.ts_ms - b.ts_ms;
  const pa = a.event === PRE ? 0 : 1;
  const pb = b.event === PRE ? 0 : 1;
  if (pa !== pb) return pa - pb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

interface OpenCall {
  pre: EventRecord;
  done: boolean;
  /** canonical JSON of payload.tool_input, computed on demand; null = absent or unparsable */
  input?: string | null;
}

/** FIFO of open Pres for one (session, agent, tool) key; `head` skips completed entries. */
interface Queue {
  items: OpenCall[];
  head: number;
}

export function pairToolCalls(events: readonly EventRecord[]): ToolCall[] {
  const sorted = [...events].sort(compareEvents);
  const calls: ToolCall[] = [];
  const byId = new Map<string, OpenCall>();
  const fifo = new Map<string, Queue>();
  const seenCompletionIds = new Set<string>();
  const open: OpenCall[] = [];

  // First pass: register every Pre with an id, so a completion finds it even if it sorts earlier.
  for (const e of sorted) {
    if (e.event !== PRE || e.tool_use_id === null) continue;
    const key = idKey(e.session_id, e.tool_use_id);
    if (byId.has(key)) continue; // duplicate delivery of the same Pre
    const oc: OpenCall = { pre: e, done: false };
    byId.set(key, oc);
    open.push(oc);
  }

  for (const e of sorted) {
    if (e.event === PRE) {
      if (e.tool_use_id !== null) continue; // registered above
      const oc: OpenCall = { pre: e, done: false };
      const k = fifoKey(e);
      let q = fifo.get(k);
      if (!q) fifo.set(k, (q = { items: [], head: 0 }));
      q.items.push(oc);
      open.push(oc);
      continue;
    }
    if (!COMPLETIONS.has(e.event)) continue;

    let match: OpenCall | null = null;
    if (e.tool_use_id !== null) {
      const key = idKey(e.session_id, e.tool_use_id);
      if (seenCompletionIds.has(key)) continue; // duplicate completion
      seenCompletionIds.add(key);
      const oc = byId.get(key);
      if (oc && !oc.done) match = oc;
    } else {
      const q = fifo.get(fifoKey(e));
      if (q) match = takeFromQueue(q, e);
    }
    if (match) {
      match.done = true;
      calls.push(completedCall(match.pre, e));
    } else {
      calls.push(orphanCompletion(e));
    }
  }

  for (const oc of open) if (!oc.done) calls.push(blockedCall(oc.pre));

  calls.sort(compareCalls);
  return calls;
}

function idKey(session: string, id: string): string {
  return `${session}\u0000${id}`;
}

function fifoKey(e: EventRecord): string {
  return `${e.session_id}\u0000${e.agent_id ?? ''}\u0000${e.tool_name ?? ''}`;
}

function takeFromQueue(q: Queue, completion: EventRecord): OpenCall | null {
  while (q.head < q.items.length && q.items[q.head]!.done) q.head++;
  const first = q.items[q.head];
  if (!first) return null;
  // Only one open candidate, or nothing to compare: plain FIFO, no parsing.
  let second: OpenCall | undefined;
  for (let i = q.head + 1; i < q.items.length; i++) {
    if (!q.items[i]!.done) {
      second = q.items[i];
      break;
    }
  }
  if (!second) return first;
  const wanted = canonicalToolInput(completion.payload);
  if (wanted === null) return first;
  let inspected = 0;
  for (let i = q.head; i < q.items.length && inspected < MAX_INPUT_CANDIDATES; i++) {
    const oc = q.items[i]!;
    if (oc.done) continue;
    inspected++;
    if (oc.input === undefined) oc.input = canonicalToolInput(oc.pre.payload);
    if (oc.input === wanted) return oc;
  }
  return first;
}

/** payload.tool_input as JSON with sorted keys, or null when absent / unparsable. */
export function canonicalToolInput(payload: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object') return null;
  const input = (parsed as Record<string, unknown>)['tool_input'];
  if (input === undefined) return null;
  return canonicalJson(input);
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

function completionOutcome(e: EventRecord): Outcome {
  if (e.outcome !== null) return e.outcome;
  if (e.event === 'PermissionDenied') return 'denied';
  if (e.event === 'PostToolUse') return 'ok';
  // PostToolUseFailure: look at is_interrupt only now, when the normalizer left the outcome open.
  try {
    const p = JSON.parse(e.payload) as unknown;
    if (p !== null && typeof p === 'object' && (p as Record<string, unknown>)['is_interrupt'] === true) {
      return 'interrupted';
    }
  } catch {
    // unparsable payload: an error is the safe reading of a failure event
  }
  return 'error';
}

function completedCall(pre: EventRecord, post: EventRecord): ToolCall {
  const end = Math.max(post.ts_ms, pre.ts_ms);
  // min: rows stored before normalize dropped negative durations must not start after they end
  const start = post.duration_ms === null ? pre.ts_ms : Math.min(end, Math.max(pre.ts_ms, end - post.duration_ms));
  return {
    session_id: pre.session_id,
    tool_use_id: pre.tool_use_id ?? post.tool_use_id,
    tool_name: pre.tool_name ?? post.tool_name ?? '(unknown)',
    actor: pre.actor ?? post.actor,
    agent_id: pre.agent_id ?? post.agent_id,
    agent_type: pre.agent_type ?? post.agent_type,
    start_ms: start,
    end_ms: end,
    duration_ms: post.duration_ms ?? end - start,
    outcome: completionOutcome(post),
    bash_kind: pre.bash_kind ?? post.bash_kind,
    test: post.test ?? pre.test,
    pre_id: pre.id,
    post_id: post.id,
  };
}

function orphanCompletion(post: EventRecord): ToolCall {
  const duration = post.duration_ms ?? 0;
  return oneEventCall(post, 'post', post.ts_ms - duration, post.ts_ms, duration, completionOutcome(post));
}

function blockedCall(pre: EventRecord): ToolCall {
  return oneEventCall(pre, 'pre', pre.ts_ms, pre.ts_ms, 0, 'blocked');
}

/** A call of which only one event is stored: its Pre (`side` 'pre') or its completion ('post'). */
function oneEventCall(e: EventRecord, side: 'pre' | 'post', start_ms: number, end_ms: number, duration_ms: number, outcome: Outcome): ToolCall {
  return {
    session_id: e.session_id,
    tool_use_id: e.tool_use_id,
    tool_name: e.tool_name ?? '(unknown)',
    actor: e.actor,
    agent_id: e.agent_id,
    agent_type: e.agent_type,
    start_ms,
    end_ms,
    duration_ms,
    outcome,
    bash_kind: e.bash_kind,
    test: e.test,
    pre_id: side === 'pre' ? e.id : null,
    post_id: side === 'post' ? e.id : null,
  };
}

function compareCalls(a: ToolCall, b: ToolCall): number {
  if (a.start_ms !== b.start_ms) return a.start_ms - b.start_ms;
  if (a.end_ms !== b.end_ms) return a.end_ms - b.end_ms;
  const ka = a.pre_id ?? a.post_id ?? '';
  const kb = b.pre_id ?? b.post_id ?? '';
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
