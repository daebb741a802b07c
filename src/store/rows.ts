// Mapping between EventRecord and its flat table row. Pure.
import type { Actor, ActorKind, BashKind, EventRecord, Outcome } from '../core/types.js';

export interface EventRow {
  id: string;
  session_id: string;
  event: string;
  ts_ms: number;
  tool_name: string | null;
  tool_use_id: string | null;
  actor_kind: string | null;
  actor_name: string | null;
  actor_plugin: string | null;
  actor_server: string | null;
  outcome: string | null;
  duration_ms: number | null;
  agent_id: string | null;
  agent_type: string | null;
  prompt_id: string | null;
  cwd: string | null;
  project: string | null;
  bash_kind: string | null;
  test: string | null;
  source: string;
  payload: string;
}

export function recordToRow(e: EventRecord): EventRow {
  return {
    id: e.id,
    session_id: e.session_id,
    event: e.event,
    ts_ms: e.ts_ms,
    tool_name: e.tool_name,
    tool_use_id: e.tool_use_id,
    actor_kind: e.actor?.kind ?? null,
    actor_name: e.actor?.name ?? null,
    actor_plugin: e.actor?.plugin ?? null,
    actor_server: e.actor?.server ?? null,
    outcome: e.outcome,
    duration_ms: e.duration_ms,
    agent_id: e.agent_id,
    agent_type: e.agent_type,
    prompt_id: e.prompt_id,
    cwd: e.cwd,
    project: e.project,
    bash_kind: e.bash_kind,
    test: e.test === null ? null : JSON.stringify(e.test),
    source: e.source,
    payload: e.payload,
  };
}

export function rowToRecord(r: EventRow): EventRecord {
  const actor: Actor | null =
    r.actor_kind === null
      ? null
      : { kind: r.actor_kind as ActorKind, name: r.actor_name ?? '', plugin: r.actor_plugin, server: r.actor_server };
  return {
    id: r.id,
    session_id: r.session_id,
    event: r.event,
    ts: new Date(r.ts_ms).toISOString(),
    ts_ms: r.ts_ms,
    tool_name: r.tool_name,
    tool_use_id: r.tool_use_id,
    actor,
    outcome: r.outcome as Outcome | null,
    duration_ms: r.duration_ms,
    agent_id: r.agent_id,
    agent_type: r.agent_type,
    prompt_id: r.prompt_id,
    cwd: r.cwd,
    project: r.project,
    bash_kind: r.bash_kind as BashKind | null,
    test: r.test === null ? null : JSON.parse(r.test),
    source: r.source === 'backfill' ? 'backfill' : 'hook',
    payload: r.payload,
  };
}
