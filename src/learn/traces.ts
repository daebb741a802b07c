// Normalised events → one trace per session, as the learner sees it. Pure.
// - Tool calls come from pairToolCalls (core/pairing.ts) and are named by the vocabulary; calls the
//   vocabulary drops are left out.
// - Steps are ordered by start time, then end time (stable, so equal times keep the pairing order).
// - A step inside a subagent carries `agent` = its agent_type (agent_id when the type is missing).
//   subagentTraces() splits a trace into the main thread and one trace per agent type.
// - Slash commands come from UserPromptExpansion events with actor.kind === 'command' (or, when the
//   normalizer gave no actor, a slash_command expansion's command_name): zero-length steps.
// - prompts: UserPromptSubmit payload.prompt; stop_failures: StopFailure events; interrupts: calls
//   whose outcome is 'interrupted'.
import type { Actor, EventRecord, SessionTrace, Step } from '../core/types.js';
import { pairToolCalls } from '../core/pairing.js';
import { makeVocabulary, type Vocabulary, type VocabularyOptions } from './vocabulary.js';
import { sortTraces } from './encoded-log.js';

export interface TraceOptions {
  /** vocabulary options, or a ready vocabulary */
  vocabulary?: Partial<VocabularyOptions> | Vocabulary;
}

export function buildTraces(events: readonly EventRecord[], options: TraceOptions = {}): SessionTrace[] {
  const vocab = typeof options.vocabulary === 'function' ? options.vocabulary : makeVocabulary(options.vocabulary ?? {});
  const sessions = new Map<string, SessionTrace>();
  const sessionOf = (id: string): SessionTrace => {
    let t = sessions.get(id);
    if (!t) {
      t = { session_id: id, project: null, start_ms: Infinity, end_ms: -Infinity, steps: [], stop_failures: 0, interrupts: 0, prompts: [] };
      sessions.set(id, t);
    }
    return t;
  };

  // Session-level facts, in time order so that `project` and `prompts` come out in order.
  const ordered = [...events].sort((a, b) => (a.ts_ms !== b.ts_ms ? a.ts_ms - b.ts_ms : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const e of ordered) {
    const t = sessionOf(e.session_id);
    if (e.ts_ms < t.start_ms) t.start_ms = e.ts_ms;
    if (e.ts_ms > t.end_ms) t.end_ms = e.ts_ms;
    if (t.project === null && e.project !== null) t.project = e.project;
    if (e.event === 'StopFailure') t.stop_failures++;
    else if (e.event === 'UserPromptSubmit') {
      const prompt = payloadString(e.payload, 'prompt');
      if (prompt !== null) t.prompts.push(prompt);
    } else if (e.event === 'UserPromptExpansion') {
      const actor = commandActorOf(e);
      if (!actor) continue;
      const activity = vocab({ tool_name: null, actor, bash_kind: null });
      if (activity === null) continue;
      t.steps.push({
        activity,
        start_ms: e.ts_ms,
        end_ms: e.ts_ms,
        outcome: 'ok',
        tool_use_id: null,
        agent: e.agent_type ?? e.agent_id,
        test: null,
      });
    }
  }

  for (const call of pairToolCalls(events)) {
    const t = sessionOf(call.session_id);
    if (call.outcome === 'interrupted') t.interrupts++;
    const activity = vocab(call);
    if (activity === null) continue;
    t.steps.push({
      activity,
      start_ms: call.start_ms,
      end_ms: call.end_ms,
      outcome: call.outcome,
      tool_use_id: call.tool_use_id,
      agent: call.agent_type ?? call.agent_id,
      test: call.test,
    });
    if (call.start_ms < t.start_ms) t.start_ms = call.start_ms;
    if (call.end_ms > t.end_ms) t.end_ms = call.end_ms;
  }

  const traces: SessionTrace[] = [];
  for (const trace of sessions.values()) {
    trace.steps.sort(compareSteps); // Array.prototype.sort is stable
    traces.push(trace);
  }
  return sortTraces(traces);
}

function compareSteps(a: Step, b: Step): number {
  return a.start_ms !== b.start_ms ? a.start_ms - b.start_ms : a.end_ms - b.end_ms;
}

/**
 * One trace for the main thread (same session_id, keeps prompts and stop failures) and one per agent
 * type, with session_id "<session>/agent:<type>". Several runs of the same agent type in one session
 * share a trace, because a Step only knows the agent's type.
 */
export function subagentTraces(trace: SessionTrace): SessionTrace[] {
  const groups = new Map<string | null, Step[]>();
  for (const s of trace.steps) {
    let g = groups.get(s.agent);
    if (!g) groups.set(s.agent, (g = []));
    g.push(s);
  }
  const out: SessionTrace[] = [{ ...trace, steps: groups.get(null) ?? [] }];
  const agents = [...groups.keys()].filter((a): a is string => a !== null).sort();
  for (const agent of agents) {
    const steps = groups.get(agent)!;
    let start = Infinity;
    let end = -Infinity;
    let interrupts = 0;
    for (const s of steps) {
      start = Math.min(start, s.start_ms);
      end = Math.max(end, s.end_ms);
      if (s.outcome === 'interrupted') interrupts++;
    }
    out.push({
      session_id: `${trace.session_id}/agent:${agent}`,
      project: trace.project,
      start_ms: start,
      end_ms: end,
      steps,
      stop_failures: 0,
      interrupts,
      prompts: [],
    });
  }
  return out;
}

function commandActorOf(e: EventRecord): Actor | null {
  if (e.actor) return e.actor.kind === 'command' ? e.actor : null;
  // No actor from the normalizer: read the expansion itself.
  const p = parsePayload(e.payload);
  if (!p || p['expansion_type'] !== 'slash_command') return null;
  const name = p['command_name'];
  if (typeof name !== 'string' || name.length === 0) return null;
  return { kind: 'command', name: name.startsWith('/') ? name : `/${name}`, plugin: null, server: null };
}

function parsePayload(payload: string): Record<string, unknown> | null {
  try {
    const p = JSON.parse(payload) as unknown;
    return p !== null && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function payloadString(payload: string, field: string): string | null {
  const v = parsePayload(payload)?.[field];
  return typeof v === 'string' ? v : null;
}
