// Mapping between EventRecord and its flat table row. Pure.
import type { Actor, ActorKind, BashKind, EventRecord, Outcome } from '../core/types.js';
import { LEAN_CALLS, LEAN_KEEP } from './port.js';

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

/** Column order of an events insert, shared by the SQL adapters; rowValues() follows it. */
export const EVENT_COLUMNS = [
  'id', 'session_id', 'event', 'ts_ms', 'tool_name', 'tool_use_id', 'actor_kind', 'actor_name', 'actor_plugin', 'actor_server',
  'outcome', 'duration_ms', 'agent_id', 'agent_type', 'prompt_id', 'cwd', 'project', 'bash_kind', 'test', 'source', 'payload',
] as const satisfies readonly (keyof EventRow)[];

export function rowValues(r: EventRow): (string | number | null)[] {
  return EVENT_COLUMNS.map((c) => r[c]);
}

/**
 * The row whose EVENT_COLUMNS values start at `at` in `v` (a raw SQL row): rowValues' inverse. Rows
 * read as arrays and made here cost a large read about half of what rows read as objects do.
 */
export function rowFromValues(v: readonly unknown[], at = 0): EventRow {
  return {
    id: v[at] as string,
    session_id: v[at + 1] as string,
    event: v[at + 2] as string,
    ts_ms: v[at + 3] as number,
    tool_name: v[at + 4] as string | null,
    tool_use_id: v[at + 5] as string | null,
    actor_kind: v[at + 6] as string | null,
    actor_name: v[at + 7] as string | null,
    actor_plugin: v[at + 8] as string | null,
    actor_server: v[at + 9] as string | null,
    outcome: v[at + 10] as string | null,
    duration_ms: v[at + 11] as number | null,
    agent_id: v[at + 12] as string | null,
    agent_type: v[at + 13] as string | null,
    prompt_id: v[at + 14] as string | null,
    cwd: v[at + 15] as string | null,
    project: v[at + 16] as string | null,
    bash_kind: v[at + 17] as string | null,
    test: v[at + 18] as string | null,
    source: v[at + 19] as string,
    payload: v[at + 20] as string,
  };
}

const sqlSet = (names: ReadonlySet<string>) => [...names].map((n) => `'${n}'`).join(', ');

/**
 * The columns of a lean read in standard SQL (SQLite and PostgreSQL alike): the payload only where
 * the learner reads it (port.ts, learnerNeedsPayload), "{}" elsewhere.
 */
export const LEAN_COLUMNS = `id, session_id, event, ts_ms, tool_name, tool_use_id, actor_kind, actor_name, actor_plugin, actor_server,
  outcome, duration_ms, agent_id, agent_type, prompt_id, cwd, project, bash_kind, test, source,
  CASE WHEN event IN (${sqlSet(LEAN_KEEP)}) OR (tool_use_id IS NULL AND event IN (${sqlSet(LEAN_CALLS)})) THEN payload ELSE '{}' END AS payload`;

/** Every column of a full read, in the port's order. */
export const FULL_COLUMNS = EVENT_COLUMNS.join(', ');

/**
 * The sessions pruneOldest deletes: the oldest first (by last event, then id, as `sizes` is
 * ordered) until at most `keep_fraction` of the events remain.
 */
export function oldestSessionsToDrop(sizes: readonly { session_id: string; n: number }[], keep_fraction: number): string[] {
  const total = sizes.reduce((s, r) => s + r.n, 0);
  const target = Math.floor(total * Math.min(1, Math.max(0, keep_fraction)));
  const drop: string[] = [];
  let remaining = total;
  for (const s of sizes) {
    if (remaining <= target) break;
    drop.push(s.session_id);
    remaining -= s.n;
  }
  return drop;
}
