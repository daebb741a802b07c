// A session model as its outputs: the hook payloads the capture hook would have spooled, the
// SessionTrace ingest and pairing should derive from them, and the time-ordered merge of sessions. Pure.
import type { Outcome, SessionTrace, Step } from '../core/types.js';
import type { SimAgent, SimCall, SimEvent, SimSession } from './model.js';
import type { SimPayload } from './options.js';

// ---- outputs -------------------------------------------------------------------------------

function toStep(c: SimCall): Step {
  const outcome: Outcome = c.spec.outcome;
  return {
    activity: c.spec.activity, start_ms: c.start, end_ms: c.end, outcome, tool_use_id: c.tool_use_id,
    agent: c.agent === null ? null : c.agent.type, test: c.spec.test,
  };
}

export function toTrace(s: SimSession): SessionTrace {
  const steps = s.calls.map(toStep).sort((a, b) => a.start_ms - b.start_ms);
  const first = s.events[0] as SimEvent;
  const last = s.events[s.events.length - 1] as SimEvent;
  return {
    session_id: s.session_id, project: s.project.cwd, start_ms: first.ts, end_ms: last.ts, steps,
    stop_failures: s.stop_failures, interrupts: s.interrupts, prompts: [...s.prompts],
  };
}

/**
 * The hook payload of one event. Each kind is one object literal (optional fields appended after):
 * at 10^6 payloads, growing objects field by field cost a property-store allocation each.
 */
function payloadOf(s: SimSession, ev: SimEvent): Record<string, unknown> {
  const session_id = s.session_id;
  const transcript_path = s.transcript_path;
  const cwd = s.project.cwd;
  const permission_mode = s.permission_mode;
  const prompt_id = ev.turn >= 0 ? s.prompt_ids[ev.turn] : undefined;
  let out: Record<string, unknown>;
  switch (ev.kind) {
    case 'SessionStart':
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, source: 'startup', model: 'claude-sonnet-4-5-20250929' };
    case 'SessionEnd':
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, reason: 'prompt_input_exit' };
    case 'UserPromptSubmit':
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id, prompt: s.prompts[ev.turn] };
    case 'Stop':
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        stop_hook_active: false, last_assistant_message: 'Done. The change is in place.' };
    case 'StopFailure':
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        error: 'rate_limit', last_assistant_message: 'API Error: Request rejected (429) · rate limit exceeded' };
    case 'SubagentStart': {
      const agent = ev.agent as SimAgent;
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        agent_id: agent.id, agent_type: agent.type };
    }
    case 'SubagentStop': {
      const agent = ev.agent as SimAgent;
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        agent_id: agent.id, agent_type: agent.type, stop_hook_active: false,
        agent_transcript_path: `/home/dev/.claude/projects/${s.project.slug}/${session_id}/subagents/agent-${agent.id}.jsonl`,
        last_assistant_message: 'Done.' };
    }
    case 'PreToolUse': {
      const c = ev.call as SimCall;
      out = { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        tool_name: c.spec.tool_name, tool_input: c.spec.input, tool_use_id: c.tool_use_id };
      break;
    }
    case 'PostToolUse': {
      const c = ev.call as SimCall;
      const response = c.launched !== null ? { ...(c.spec.response as object), totalDurationMs: c.end - c.start } : c.spec.response;
      out = { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        tool_name: c.spec.tool_name, tool_input: c.spec.input, tool_response: response, tool_use_id: c.tool_use_id,
        duration_ms: c.end - c.start };
      break;
    }
    case 'PostToolUseFailure': {
      const c = ev.call as SimCall;
      out = { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        tool_name: c.spec.tool_name, tool_input: c.spec.input, tool_use_id: c.tool_use_id, error: c.spec.error,
        duration_ms: c.end - c.start };
      if (c.spec.outcome === 'interrupted') out.is_interrupt = true;
      break;
    }
  }
  const c = ev.call as SimCall;
  if (c.spec.tool_name.startsWith('mcp__')) out.mcp_server = MCP_SERVER;
  if (c.agent !== null) {
    out.agent_id = c.agent.id;
    out.agent_type = c.agent.type;
  }
  return out;
}

const MCP_SERVER = Object.freeze({ name: 'github', source: 'user' });

export function payloadsOf(s: SimSession): SimPayload[] {
  return s.events.map((ev) => ({ ts_ms: ev.ts, event: ev.kind, payload: payloadOf(s, ev) }));
}

/** Min-heap merge of per-session payload lists (each in time order) by (ts, session index): O(n log k). */
export function mergeByTime(lists: SimPayload[][]): SimPayload[] {
  const out: SimPayload[] = [];
  const heap: number[] = []; // session indices
  const pos = new Int32Array(lists.length);
  const key = (i: number): number => ((lists[i] as SimPayload[])[pos[i] as number] as SimPayload).ts_ms;
  const less = (x: number, y: number): boolean => {
    const kx = key(x);
    const ky = key(y);
    return kx < ky || (kx === ky && x < y);
  };
  const up = (k: number): void => {
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!less(heap[k] as number, heap[parent] as number)) break;
      [heap[k], heap[parent]] = [heap[parent] as number, heap[k] as number];
      k = parent;
    }
  };
  const down = (k: number): void => {
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < heap.length && less(heap[l] as number, heap[m] as number)) m = l;
      if (r < heap.length && less(heap[r] as number, heap[m] as number)) m = r;
      if (m === k) return;
      [heap[k], heap[m]] = [heap[m] as number, heap[k] as number];
      k = m;
    }
  };
  const first = (i: number): number => ((lists[i] as SimPayload[])[0] as SimPayload).ts_ms;
  // Sessions are in start order, so each one joins the heap only when the merge reaches its start.
  let next = 0;
  const admit = (upTo: number): void => {
    while (next < lists.length && ((lists[next] as SimPayload[]).length === 0 || first(next) <= upTo)) {
      if ((lists[next] as SimPayload[]).length > 0) {
        heap.push(next);
        up(heap.length - 1);
      }
      next++;
    }
  };
  while (next < lists.length || heap.length > 0) {
    if (heap.length === 0) admit(first(next));
    if (heap.length === 0) break;
    admit(key(heap[0] as number));
    const i = heap[0] as number;
    const list = lists[i] as SimPayload[];
    out.push(list[pos[i] as number] as SimPayload);
    pos[i] = (pos[i] as number) + 1;
    if ((pos[i] as number) < list.length) {
      down(0);
    } else {
      const lastIdx = heap.pop() as number;
      if (heap.length > 0) {
        heap[0] = lastIdx;
        down(0);
      }
    }
  }
  return out;
}
