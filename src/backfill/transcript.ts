// Claude Code transcript lines → the hook payloads Claude Code would have sent for them, so that
// normalize() handles backfilled history exactly like live capture. Pure and streaming: lines go in
// one at a time, and only calls still waiting for their result (plus a few ids per running
// subagent) are held in memory, so a 700 MB transcript costs no more than a small one.
//
// Mapping (see /work/shared/docs/claude-code-hooks.md §5):
//   assistant tool_use block                → PreToolUse
//   user tool_result block + toolUseResult  → PostToolUse, or PostToolUseFailure when is_error
//   typed prompt                            → UserPromptSubmit
//   <command-name>/x</command-name> markup  → UserPromptExpansion (slash_command)
//   first / last main-thread line           → SessionStart (startup) / Stop
//   sidechain lines (subagents)             → their calls carry agent_id/agent_type, bracketed by
//                                             SubagentStart / SubagentStop

/** One synthesized hook payload, ready for normalize({id, ts_ms, source: 'backfill', value}). */
export interface BackfillPayload {
  id: string;
  ts_ms: number;
  value: Record<string, unknown>;
}

export interface ConverterOptions {
  /** the main session transcript, sent by hooks as transcript_path */
  transcriptPath?: string;
  /** agent id of a subagent file whose lines lack `agentId` (from its name, agent-<id>.jsonl) */
  agentId?: string;
  /** agent type of a subagent file, e.g. from its agent-<id>.meta.json */
  agentType?: string;
  /** path of this subagent file, sent by SubagentStop as agent_transcript_path */
  agentTranscriptPath?: string;
  /**
   * agentId → agent type, shared by all converters of one run: filled from a parent's Agent/Task
   * results (toolUseResult.agentId), read by the subagent files processed after it.
   */
  agentTypes?: Map<string, string>;
}

export interface ConverterStats {
  /** lines pushed */
  lines: number;
  /** not JSON, or not a JSON object */
  malformed: number;
  /** lines of types that carry no hook event (summary, system, progress, ...) or no timestamp */
  skipped: number;
  skipped_types: Record<string, number>;
  payloads: number;
  /** tool results whose tool_use was not in this file (e.g. cut by compaction) */
  orphan_results: number;
  /** tool calls that never got a result (session killed mid-call): PreToolUse only */
  unfinished_calls: number;
}

export interface TranscriptConverter {
  /** one parsed transcript line */
  push(line: unknown): BackfillPayload[];
  /** one raw transcript line; malformed JSON is counted and skipped */
  pushText(text: string): BackfillPayload[];
  /** end of file: closes subagents and sessions */
  finish(): BackfillPayload[];
  stats(): ConverterStats;
}

type Json = Record<string, unknown>;

interface AgentState {
  agent_id: string;
  agent_type: string;
  session: string;
  cwd: string | null;
  first_uuid: string;
  last_ts: number;
  /** Agent/Task call that launched it, when linked: its result closes the subagent */
  task_id: string | null;
  /** inline sidechain uuids owned by this agent, dropped when it closes */
  uuids: string[];
  /** CLI 2.0.x cache-warming agents ("Warmup") and internal forks: not real subagents, no Start/Stop */
  internal: boolean;
}

interface PendingCall {
  name: string;
  input: unknown;
  ts: number;
  session: string;
  agent: AgentState | null;
}

interface SessionState {
  last_uuid: string;
  last_ts: number;
  cwd: string | null;
}

const AGENT_TOOLS = new Set(['Agent', 'Task']);
/**
 * Agent ids of the CLI's internal forks (compaction, prompt suggestions, ...): `a<label>-<16 hex>`.
 * They write subagent transcripts but are not subagents anyone asked for.
 */
const INTERNAL_FORK = /^a(compact|prompt_suggestion|side_question|agent_summary|away_summary|auto_dream|extract_memories|rename|speculation)-[0-9a-f]{16}$/;
const INTERRUPT_MARK = '[Request interrupted by user';

/**
 * Built-in commands that run locally and expand into no prompt; the CLI fires no
 * UserPromptExpansion for them, so backfill does not invent one.
 */
const LOCAL_COMMANDS = new Set([
  'add-dir', 'agents', 'bug', 'clear', 'compact', 'config', 'context', 'cost', 'doctor', 'exit', 'export',
  'help', 'hooks', 'ide', 'login', 'logout', 'mcp', 'memory', 'model', 'output-style', 'permissions',
  'plugin', 'plugins', 'privacy-settings', 'quit', 'release-notes', 'resume', 'rewind', 'status',
  'statusline', 'terminal-setup', 'theme', 'todos', 'upgrade', 'usage', 'vim',
]);

/** Markup lines that are output of local commands or shell mode, not prompts. */
const NOT_A_PROMPT = /^\s*<(local-command-stdout|local-command-stderr|local-command-caveat|bash-input|bash-stdout|bash-stderr|command-message|user-memory-input)>/;

export function createTranscriptConverter(sessionHint: string, options: ConverterOptions = {}): TranscriptConverter {
  const stats: ConverterStats = { lines: 0, malformed: 0, skipped: 0, skipped_types: {}, payloads: 0, orphan_results: 0, unfinished_calls: 0 };
  const pending = new Map<string, PendingCall>();
  const sessions = new Map<string, SessionState>();
  /** agents keyed by agent id */
  const agents = new Map<string, AgentState>();
  /** inline sidechain line uuid → its agent (old CLIs inline subagent lines in the session file) */
  const chain = new Map<string, AgentState>();
  /** Agent/Task prompts not yet matched to a sidechain, to link inline subagents to their call */
  const taskPrompts = new Map<string, string>();
  let lastTs: number | null = null;
  let lineNo = 0;

  function skip(type: string): void {
    stats.skipped++;
    stats.skipped_types[type] = (stats.skipped_types[type] ?? 0) + 1;
  }

  function emit(out: BackfillPayload[], id: string, ts_ms: number, value: Json): void {
    out.push({ id, ts_ms, value });
    stats.payloads++;
  }

  /** Fields every hook payload carries, in the order hooks send them. */
  function base(event: string, session: string, cwd: string | null, line: Json | null, agent: AgentState | null): Json {
    const v: Json = { session_id: session };
    if (options.transcriptPath !== undefined) v.transcript_path = options.transcriptPath;
    if (cwd !== null) v.cwd = cwd;
    const mode = line ? str(line.permissionMode) : null;
    if (mode !== null) v.permission_mode = mode;
    const promptId = line ? str(line.promptId) : null;
    if (promptId !== null) v.prompt_id = promptId;
    v.hook_event_name = event;
    if (agent !== null) {
      v.agent_id = agent.agent_id;
      v.agent_type = agent.agent_type;
    }
    return v;
  }

  function agentTypeFor(agentId: string | null): string {
    return options.agentType ?? (agentId !== null ? options.agentTypes?.get(agentId) : undefined) ?? 'unknown';
  }

  /** The subagent a sidechain line belongs to; a new one (with SubagentStart) for its first line. */
  function agentOf(line: Json, uuid: string, session: string, cwd: string | null, ts: number, out: BackfillPayload[]): AgentState {
    const explicitId = str(line.agentId) ?? options.agentId ?? null;
    const parent = str(line.parentUuid);
    let agent = explicitId !== null ? agents.get(explicitId) : parent !== null ? chain.get(parent) : undefined;
    if (agent === undefined) {
      const prompt = promptText(line);
      const taskId = prompt === null ? undefined : taskPrompts.get(prompt);
      const task = taskId === undefined ? undefined : pending.get(taskId);
      if (taskId !== undefined) taskPrompts.delete(prompt!);
      const fork = explicitId === null ? null : INTERNAL_FORK.exec(explicitId);
      agent = {
        agent_id: explicitId ?? `sidechain-${uuid}`,
        agent_type: task ? subagentTypeOf(task.input) : (fork?.[1] ?? agentTypeFor(explicitId)),
        session,
        cwd,
        first_uuid: uuid,
        last_ts: ts,
        task_id: taskId ?? null,
        uuids: [],
        internal: prompt === 'Warmup' || fork !== null,
      };
      agents.set(agent.agent_id, agent);
      if (!agent.internal) {
        emit(out, `bf-${session}-${uuid}-SubagentStart`, ts, base('SubagentStart', session, cwd, line, agent));
      }
    }
    if (explicitId === null) {
      chain.set(uuid, agent);
      agent.uuids.push(uuid);
    }
    agent.last_ts = ts;
    return agent;
  }

  function closeAgent(agent: AgentState, out: BackfillPayload[]): void {
    agents.delete(agent.agent_id);
    for (const u of agent.uuids) chain.delete(u);
    if (agent.internal) return;
    const v = base('SubagentStop', agent.session, agent.cwd, null, agent);
    v.stop_hook_active = false;
    if (options.agentTranscriptPath !== undefined) v.agent_transcript_path = options.agentTranscriptPath;
    // Keyed by the agent's first line, so a subagent file that grows later keeps one stop.
    emit(out, `bf-${agent.session}-${agent.first_uuid}-SubagentStop`, agent.last_ts, v);
  }

  function onToolUse(block: Json, line: Json, session: string, cwd: string | null, ts: number, agent: AgentState | null, out: BackfillPayload[]): void {
    const id = str(block.id);
    const name = str(block.name);
    if (id === null || name === null) return;
    const input = block.input ?? {};
    pending.set(id, { name, input, ts, session, agent });
    if (AGENT_TOOLS.has(name)) {
      const prompt = str((input as Json).prompt);
      if (prompt !== null) taskPrompts.set(prompt, id);
    }
    const v = base('PreToolUse', session, cwd, line, agent);
    v.tool_name = name;
    v.tool_input = input;
    v.tool_use_id = id;
    emit(out, `bf-${session}-${id}-PreToolUse`, ts, v);
  }

  function onToolResult(block: Json, line: Json, response: unknown, cwd: string | null, ts: number, out: BackfillPayload[]): void {
    const id = str(block.tool_use_id);
    const call = id === null ? undefined : pending.get(id);
    if (id === null || call === undefined) {
      stats.orphan_results++;
      return;
    }
    pending.delete(id);
    const failed = block.is_error === true;
    if (AGENT_TOOLS.has(call.name)) {
      const prompt = str((call.input as Json).prompt);
      if (prompt !== null && taskPrompts.get(prompt) === id) taskPrompts.delete(prompt);
      const launched = isObject(response) ? str(response.agentId) : null;
      if (launched !== null) options.agentTypes?.set(launched, str((response as Json).agentType) ?? subagentTypeOf(call.input));
      // Hooks fire SubagentStop just before the Agent call's PostToolUse.
      for (const agent of agents.values()) {
        if (agent.task_id === id) {
          closeAgent(agent, out);
          break;
        }
      }
    }
    const event = failed ? 'PostToolUseFailure' : 'PostToolUse';
    const v = base(event, call.session, cwd, line, call.agent);
    v.tool_name = call.name;
    v.tool_input = call.input;
    if (failed) {
      const text = errorText(block.content, response);
      v.error = text;
      v.is_interrupt = text.includes(INTERRUPT_MARK);
    } else {
      v.tool_response = response;
    }
    v.tool_use_id = id;
    v.duration_ms = Math.max(0, ts - call.ts);
    emit(out, `bf-${call.session}-${id}-${event}`, ts, v);
  }

  function onPrompt(line: Json, uuid: string, session: string, cwd: string | null, ts: number, out: BackfillPayload[]): void {
    const text = promptText(line);
    if (text === null || text.trim() === '' || text.startsWith(INTERRUPT_MARK)) return;
    const command = parseSlashCommand(text);
    if (command !== null) {
      if (LOCAL_COMMANDS.has(command.name)) return;
      const v = base('UserPromptExpansion', session, cwd, line, null);
      v.expansion_type = 'slash_command';
      v.command_name = command.name;
      v.command_args = command.args;
      v.prompt = command.args ? `/${command.name} ${command.args}` : `/${command.name}`;
      emit(out, `bf-${session}-${uuid}-UserPromptExpansion`, ts, v);
      return;
    }
    if (NOT_A_PROMPT.test(text)) return;
    const v = base('UserPromptSubmit', session, cwd, line, null);
    v.prompt = text;
    emit(out, `bf-${session}-${uuid}-UserPromptSubmit`, ts, v);
  }

  function push(line: unknown): BackfillPayload[] {
    stats.lines++;
    lineNo++;
    if (!isObject(line)) {
      stats.malformed++;
      return [];
    }
    const type = str(line.type) ?? '(no type)';
    if (type !== 'user' && type !== 'assistant') {
      skip(type);
      return [];
    }
    const ts = parseTimestamp(line.timestamp) ?? lastTs;
    if (ts === null) {
      skip('(no timestamp)');
      return [];
    }
    lastTs = ts;
    const out: BackfillPayload[] = [];
    const session = str(line.sessionId) ?? sessionHint;
    const uuid = str(line.uuid) ?? `L${lineNo}`;
    const cwd = str(line.cwd);
    const message = isObject(line.message) ? line.message : null;
    const content = message ? message.content : undefined;

    let agent: AgentState | null = null;
    if (line.isSidechain === true) {
      agent = agentOf(line, uuid, session, cwd, ts, out);
    } else {
      const s = sessions.get(session);
      if (s === undefined) {
        const v = base('SessionStart', session, cwd, line, null);
        v.source = 'startup';
        emit(out, `bf-${session}-${uuid}-SessionStart`, ts, v);
        sessions.set(session, { last_uuid: uuid, last_ts: ts, cwd });
      } else {
        s.last_uuid = uuid;
        s.last_ts = ts;
        if (cwd !== null) s.cwd = cwd;
      }
    }

    if (type === 'assistant') {
      if (Array.isArray(content)) {
        for (const block of content) {
          if (isObject(block) && block.type === 'tool_use') onToolUse(block, line, session, cwd, ts, agent, out);
        }
      }
      return out;
    }

    const results = Array.isArray(content) ? content.filter((b): b is Json => isObject(b) && b.type === 'tool_result') : [];
    if (results.length > 0) {
      // toolUseResult describes the line's one result; with several, fall back to each block's content.
      const single = results.length === 1 && 'toolUseResult' in line;
      for (const block of results) onToolResult(block, line, single ? line.toolUseResult : block.content, cwd, ts, out);
      return out;
    }
    // A sidechain's own "prompt" is the Agent call's prompt, not something the user typed.
    if (agent === null && line.isMeta !== true && line.isCompactSummary !== true) onPrompt(line, uuid, session, cwd, ts, out);
    return out;
  }

  return {
    push,
    pushText(text: string): BackfillPayload[] {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        stats.lines++;
        lineNo++;
        stats.malformed++;
        return [];
      }
      return push(value);
    },
    finish(): BackfillPayload[] {
      const out: BackfillPayload[] = [];
      for (const agent of [...agents.values()]) closeAgent(agent, out);
      stats.unfinished_calls += pending.size;
      pending.clear();
      taskPrompts.clear();
      for (const [session, s] of sessions) {
        const v = base('Stop', session, s.cwd, null, null);
        v.stop_hook_active = false;
        emit(out, `bf-${session}-${s.last_uuid}-Stop`, s.last_ts, v);
      }
      sessions.clear();
      return out;
    },
    stats: () => ({ ...stats, skipped_types: { ...stats.skipped_types } }),
  };
}

// ---- helpers -------------------------------------------------------------------

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

export function parseTimestamp(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
}

/** subagent_type of an Agent/Task input; very old CLIs omitted it and ran their default agent. */
function subagentTypeOf(input: unknown): string {
  return (isObject(input) ? str(input.subagent_type) : null) ?? 'general-purpose';
}

/** The text a user line carries: a string, or text blocks (a prompt with pasted images). */
function promptText(line: Json): string | null {
  const message = isObject(line.message) ? line.message : null;
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const texts: string[] = [];
  for (const b of content) {
    if (!isObject(b)) return null;
    if (b.type === 'text' && typeof b.text === 'string') texts.push(b.text);
    else if (b.type !== 'image') return null;
  }
  return texts.length > 0 ? texts.join('\n') : null;
}

/** Text of a tool_result's content: a string or an array of text blocks. */
export function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((b): b is Json => isObject(b) && b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text as string)
    .join('\n');
}

/** The `error` a PostToolUseFailure hook would carry ("Exit code 1\n…" for Bash on current CLIs). */
function errorText(content: unknown, toolUseResult: unknown): string {
  let text = resultText(content);
  if (text === '' && typeof toolUseResult === 'string') text = toolUseResult.replace(/^Error: /, '');
  const wrapped = /^\s*<tool_use_error>([\s\S]*)<\/tool_use_error>\s*$/.exec(text);
  return wrapped ? wrapped[1]! : text;
}

/** `<command-name>/x</command-name> … <command-args>…</command-args>` → {name: 'x', args}. */
export function parseSlashCommand(text: string): { name: string; args: string } | null {
  const name = /<command-name>\s*\/?([^<]*?)\s*<\/command-name>/.exec(text);
  if (!name || !name[1]) return null;
  const args = /<command-args>([\s\S]*?)<\/command-args>/.exec(text);
  return { name: name[1], args: (args?.[1] ?? '').trim() };
}
