// One hook payload in, one EventRecord (or a quarantine reason) out. Pure: the caller passes
// in how to find a project root, since that needs the file system.
import { commandActor, subagentActor, toolActor } from './actor.js';
import { classifyBash } from './bash-kind.js';
import { redactText } from './redact.js';
import { storedPayload } from './stored-payload.js';
import { validatePayload, type ToolPayload } from './schemas.js';
import { parseTestRun } from './test-output.js';
import type { Actor, BashKind, EventRecord, Outcome, TestRun } from './types.js';

export interface NormalizeInput {
  id: string;
  ts_ms: number;
  source: 'hook' | 'backfill';
  /** the parsed JSON payload */
  value: unknown;
  /** storedPayload(value) already made by another thread (the spool worker), to use as is */
  stored?: string;
}

export interface NormalizeContext {
  /** git root of a working directory, or null; memoised by the caller */
  projectOf: (cwd: string) => string | null;
  /** longest string kept in a stored payload */
  maxFieldChars: number;
}

export type NormalizeResult = { ok: true; record: EventRecord } | { ok: false; reason: string };

export function normalize(input: NormalizeInput, ctx: NormalizeContext): NormalizeResult {
  const valid = validatePayload(input.value);
  if (!valid.ok) return valid;
  const v = valid.value;
  const p = v.payload;

  let actor: Actor | null = null;
  let outcome: Outcome | null = null;
  let bashKind: BashKind | null = null;
  let test: TestRun | null = null;
  let toolName: string | null = null;
  let toolUseId: string | null = null;
  let duration: number | null = null;

  if (v.kind === 'tool') {
    const t = v.payload;
    toolName = t.tool_name;
    toolUseId = t.tool_use_id ?? null;
    // The tool's own run time; a negative one (no CLI sends it) would end a call before it started.
    duration = t.duration_ms != null && t.duration_ms >= 0 ? t.duration_ms : null;
    actor = toolActor(t.tool_name, namesRedacted(t.tool_input), t.mcp_server?.name ?? null);
    outcome = toolOutcome(t);
    if (t.tool_name === 'Bash') {
      const command = commandOf(t.tool_input);
      if (command !== null) {
        bashKind = classifyBash(command);
        // Parse test output before redaction and truncation: the summary sits at the end.
        if (t.hook_event_name === 'PostToolUse' || t.hook_event_name === 'PostToolUseFailure') {
          test = parseTestRun(command, bashOutput(t), t.hook_event_name === 'PostToolUseFailure');
        }
      }
    }
  } else if (v.kind === 'expansion') {
    if (v.payload.command_name) actor = commandActor(redactText(v.payload.command_name));
  } else if ((p.hook_event_name === 'SubagentStart' || p.hook_event_name === 'SubagentStop') && p.agent_type) {
    actor = subagentActor(redactText(p.agent_type));
  }

  // Names come from the model (skill names, subagent types, MCP tools): redacted like any text.
  if (actor) actor = { kind: actor.kind, name: redactText(actor.name), plugin: actor.plugin && redactText(actor.plugin), server: actor.server && redactText(actor.server) };
  const cwd = p.cwd ?? null;
  // agent_id is what marks an event inside a subagent. agent_type alone is the main thread of a
  // `claude --agent <type>` session (seen from 2.1.197 to 2.1.332): a session, not a subagent, so
  // its calls stay on the main thread (the stored payload keeps the type).
  const agentType = p.agent_id && p.agent_type ? p.agent_type : null;
  const record: EventRecord = {
    id: input.id,
    // Ids come from the client and are stored in their own columns: a secret pasted anywhere must not survive.
    session_id: redactText(p.session_id),
    event: redactText(p.hook_event_name),
    ts: new Date(input.ts_ms).toISOString(),
    ts_ms: input.ts_ms,
    tool_name: toolName === null ? null : redactText(toolName),
    tool_use_id: toolUseId === null ? null : redactText(toolUseId),
    actor,
    outcome,
    duration_ms: duration,
    agent_id: p.agent_id ? redactText(p.agent_id) : null,
    agent_type: agentType === null ? null : redactText(agentType),
    prompt_id: p.prompt_id ? redactText(p.prompt_id) : null,
    cwd: cwd === null ? null : redactText(cwd),
    project: cwd === null ? null : redactText(ctx.projectOf(cwd) ?? cwd),
    bash_kind: bashKind,
    test,
    source: input.source,
    payload: input.stored ?? storedPayload(input.value, ctx.maxFieldChars),
  };
  return { ok: true, record };
}

/**
 * The names an actor is read from, redacted whole before they are split at ":" — a secret cut in
 * two would escape every pattern. Only these keys: toolActor reads nothing else.
 */
function namesRedacted(input: unknown): Record<string, unknown> | null {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return null;
  const o = input as Record<string, unknown>;
  const names: Record<string, unknown> = {};
  for (const key of ACTOR_NAME_KEYS) if (typeof o[key] === 'string') names[key] = redactText(o[key]);
  return names;
}

const ACTOR_NAME_KEYS = ['subagent_type', 'skill', 'command'] as const;

function toolOutcome(t: ToolPayload): Outcome | null {
  switch (t.hook_event_name) {
    case 'PostToolUse':
      return isInterrupted(t.tool_response) ? 'interrupted' : 'ok';
    case 'PostToolUseFailure':
      return t.is_interrupt === true ? 'interrupted' : 'error';
    case 'PermissionDenied':
      return 'denied';
    default:
      return null; // PreToolUse, PermissionRequest: known once paired with what followed
  }
}

function isInterrupted(response: unknown): boolean {
  return response !== null && typeof response === 'object' && (response as Record<string, unknown>).interrupted === true;
}

function commandOf(input: unknown): string | null {
  if (input === null || typeof input !== 'object') return null;
  const c = (input as Record<string, unknown>).command;
  return typeof c === 'string' ? c : null;
}

/** What a Bash call printed: stdout and stderr on success, the `error` text ("Exit code N\n…") on failure. */
function bashOutput(t: ToolPayload): string {
  if (t.hook_event_name === 'PostToolUseFailure') return typeof t.error === 'string' ? t.error : '';
  const r = t.tool_response;
  if (typeof r === 'string') return r;
  if (r === null || typeof r !== 'object') return '';
  const o = r as Record<string, unknown>;
  const out = typeof o.stdout === 'string' ? o.stdout : '';
  const err = typeof o.stderr === 'string' ? o.stderr : '';
  return err ? `${out}\n${err}` : out;
}

