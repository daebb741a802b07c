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
  return new TranscriptConversion(sessionHint, options);
}

/** The state of one transcript's conversion: calls waiting for their result, sessions, subagents. */
class TranscriptConversion implements TranscriptConverter {
  private readonly counts: ConverterStats = { lines: 0, malformed: 0, skipped: 0, skipped_types: {}, payloads: 0, orphan_results: 0, unfinished_calls: 0 };
  private readonly pending = new Map<string, PendingCall>();
  private readonly sessions = new Map<string, SessionState>();
  /** agents keyed by agent id */
  private readonly agents = new Map<string, AgentState>();
  /** inline sidechain line uuid → its agent (old CLIs inline subagent lines in the session file) */
  private readonly chain = new Map<string, AgentState>();
  /** Agent/Task prompts not yet matched to a sidechain, to link inline subagents to their call */
  private readonly taskPrompts = new Map<string, string>();
  private lastTs: number | null = null;
  private lineNo = 0;

  constructor(
    private readonly sessionHint: string,
    private readonly options: ConverterOptions,
  ) {}

  private skip(type: string): void {
    this.counts.skipped++;
    this.counts.skipped_types[type] = (this.counts.skipped_types[type] ?? 0) + 1;
  }

  private emit(out: BackfillPayload[], id: string, ts_ms: number, value: Json): void {
    out.push({ id, ts_ms, value });
    this.counts.payloads++;
  }

  /** Fields every hook payload carries, in the order hooks send them. */
  private base(event: string, session: string, cwd: string | null, line: Json | null, agent: AgentState | null): Json {
    const v: Json = { session_id: session };
    if (this.options.transcriptPath !== undefined) v.transcript_path = this.options.transcriptPath;
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

  private agentTypeFor(agentId: string | null): string {
    return this.options.agentType ?? (agentId !== null ? this.options.agentTypes?.get(agentId) : undefined) ?? 'unknown';
  }

  /** The subagent a sidechain line belongs to; a new one (with SubagentStart) for its first line. */
  private agentOf(line: Json, uuid: string, session: string, cwd: string | null, ts: number, out: BackfillPayload[]): AgentState {
    const explicitId = str(line.agentId) ?? this.options.agentId ?? null;
    const parent = str(line.parentUuid);
    let agent = explicitId !== null ? this.agents.get(explicitId) : parent !== null ? this.chain.get(parent) : undefined;
    if (agent === undefined) {
      const prompt = promptText(line);
      const taskId = prompt === null ? undefined : this.taskPrompts.get(prompt);
      const task = taskId === undefined ? undefined : this.pending.get(taskId);
      if (taskId !== undefined) this.taskPrompts.delete(prompt!);
      const fork = explicitId === null ? null : INTERNAL_FORK.exec(explicitId);
      agent = {
        agent_id: explicitId ?? `sidechain-${uuid}`,
        agent_type: task ? subagentTypeOf(task.input) : (fork?.[1] ?? this.agentTypeFor(explicitId)),
        session,
        cwd,
        first_uuid: uuid,
        last_ts: ts,
        task_id: taskId ?? null,
        uuids: [],
        internal: prompt === 'Warmup' || fork !== null,
      };
      this.agents.set(agent.agent_id, agent);
      if (!agent.internal) {
        this.emit(out, `bf-${session}-${uuid}-SubagentStart`, ts, this.base('SubagentStart', session, cwd, line, agent));
      }
    }
    if (explicitId === null) {
      this.chain.set(uuid, agent);
      agent.uuids.push(uuid);
    }
    agent.last_ts = ts;
    return agent;
  }

  private closeAgent(agent: AgentState, out: BackfillPayload[]): void {
    this.agents.delete(agent.agent_id);
    for (const u of agent.uuids) this.chain.delete(u);
    if (agent.internal) return;
    const v = this.base('SubagentStop', agent.session, agent.cwd, null, agent);
    v.stop_hook_active = false;
    if (this.options.agentTranscriptPath !== undefined) v.agent_transcript_path = this.options.agentTranscriptPath;
    // Keyed by the agent's first line, so a subagent file that grows later keeps one stop.
    this.emit(out, `bf-${agent.session}-${agent.first_uuid}-SubagentStop`, agent.last_ts, v);
  }

  private onToolUse(block: Json, line: Json, session: string, cwd: string | null, ts: number, agent: AgentState | null, out: BackfillPayload[]): void {
    const id = str(block.id);
    const name = str(block.name);
    if (id === null || name === null) return;
    const input = block.input ?? {};
    this.pending.set(id, { name, input, ts, session, agent });
    if (AGENT_TOOLS.has(name)) {
      const prompt = str((input as Json).prompt);
      if (prompt !== null) this.taskPrompts.set(prompt, id);
    }
    const v = this.base('PreToolUse', session, cwd, line, agent);
    v.tool_name = name;
    v.tool_input = input;
    v.tool_use_id = id;
    this.emit(out, `bf-${session}-${id}-PreToolUse`, ts, v);
  }

  private onToolResult(block: Json, line: Json, response: unknown, cwd: string | null, ts: number, out: BackfillPayload[]): void {
    const id = str(block.tool_use_id);
    const call = id === null ? undefined : this.pending.get(id);
    if (id === null || call === undefined) {
      this.counts.orphan_results++;
      return;
    }
    this.pending.delete(id);
    const failed = block.is_error === true;
    if (AGENT_TOOLS.has(call.name)) this.onAgentResult(id, call, response, out);
    const event = failed ? 'PostToolUseFailure' : 'PostToolUse';
    const v = this.base(event, call.session, cwd, line, call.agent);
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
    this.emit(out, `bf-${call.session}-${id}-${event}`, ts, v);
  }

  /** An Agent/Task call's result: remembers the agent type it launched and closes its subagent. */
  private onAgentResult(id: string, call: PendingCall, response: unknown, out: BackfillPayload[]): void {
    const prompt = str((call.input as Json).prompt);
    if (prompt !== null && this.taskPrompts.get(prompt) === id) this.taskPrompts.delete(prompt);
    const launched = isObject(response) ? str(response.agentId) : null;
    if (launched !== null) this.options.agentTypes?.set(launched, str((response as Json).agentType) ?? subagentTypeOf(call.input));
    // Hooks fire SubagentStop just before the Agent call's PostToolUse.
    for (const agent of this.agents.values()) {
      if (agent.task_id === id) {
        this.closeAgent(agent, out);
        break;
      }
    }
  }

  private onPrompt(line: Json, uuid: string, session: string, cwd: string | null, ts: number, out: BackfillPayload[]): void {
    const text = promptText(line);
    if (text === null || text.trim() === '' || text.startsWith(INTERRUPT_MARK)) return;
    const command = parseSlashCommand(text);
    if (command !== null) {
      if (LOCAL_COMMANDS.has(command.name)) return;
      const v = this.base('UserPromptExpansion', session, cwd, line, null);
      v.expansion_type = 'slash_command';
      v.command_name = command.name;
      v.command_args = command.args;
      v.prompt = command.args ? `/${command.name} ${command.args}` : `/${command.name}`;
      this.emit(out, `bf-${session}-${uuid}-UserPromptExpansion`, ts, v);
      return;
    }
    if (NOT_A_PROMPT.test(text)) return;
    const v = this.base('UserPromptSubmit', session, cwd, line, null);
    v.prompt = text;
    this.emit(out, `bf-${session}-${uuid}-UserPromptSubmit`, ts, v);
  }

  /** A main-thread line: SessionStart for the session's first, else it moves the session's last line. */
  private onMainLine(line: Json, uuid: string, session: string, cwd: string | null, ts: number, out: BackfillPayload[]): void {
    const s = this.sessions.get(session);
    if (s === undefined) {
      const v = this.base('SessionStart', session, cwd, line, null);
      v.source = 'startup';
      this.emit(out, `bf-${session}-${uuid}-SessionStart`, ts, v);
      this.sessions.set(session, { last_uuid: uuid, last_ts: ts, cwd });
    } else {
      s.last_uuid = uuid;
      s.last_ts = ts;
      if (cwd !== null) s.cwd = cwd;
    }
  }

  push(line: unknown): BackfillPayload[] {
    this.counts.lines++;
    this.lineNo++;
    if (!isObject(line)) {
      this.counts.malformed++;
      return [];
    }
    const type = str(line.type) ?? '(no type)';
    if (type !== 'user' && type !== 'assistant') {
      this.skip(type);
      return [];
    }
    const ts = parseTimestamp(line.timestamp) ?? this.lastTs;
    if (ts === null) {
      this.skip('(no timestamp)');
      return [];
    }
    this.lastTs = ts;
    const out: BackfillPayload[] = [];
    const session = str(line.sessionId) ?? this.sessionHint;
    const uuid = str(line.uuid) ?? `L${this.lineNo}`;
    const cwd = str(line.cwd);
    const message = isObject(line.message) ? line.message : null;
    const content = message ? message.content : undefined;

    let agent: AgentState | null = null;
    if (line.isSidechain === true) agent = this.agentOf(line, uuid, session, cwd, ts, out);
    else this.onMainLine(line, uuid, session, cwd, ts, out);

    if (type === 'assistant') {
      if (Array.isArray(content)) {
        for (const block of content) {
          if (isObject(block) && block.type === 'tool_use') this.onToolUse(block, line, session, cwd, ts, agent, out);
        }
      }
      return out;
    }

    const results = Array.isArray(content) ? content.filter((b): b is Json => isObject(b) && b.type === 'tool_result') : [];
    if (results.length > 0) {
      // toolUseResult describes the line's one result; with several, fall back to each block's content.
      const single = results.length === 1 && 'toolUseResult' in line;
      for (const block of results) this.onToolResult(block, line, single ? line.toolUseResult : block.content, cwd, ts, out);
      return out;
    }
    // A sidechain's own "prompt" is the Agent call's prompt, not something the user typed.
    if (agent === null && line.isMeta !== true && line.isCompactSummary !== true) this.onPrompt(line, uuid, session, cwd, ts, out);
    return out;
  }

  pushText(text: string): BackfillPayload[] {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.counts.lines++;
      this.lineNo++;
      this.counts.malformed++;
      return [];
    }
    return this.push(value);
  }

  finish(): BackfillPayload[] {
    const out: BackfillPayload[] = [];
    for (const agent of [...this.agents.values()]) this.closeAgent(agent, out);
    this.counts.unfinished_calls += this.pending.size;
    this.pending.clear();
    this.taskPrompts.clear();
    for (const [session, s] of this.sessions) {
      const v = this.base('Stop', session, s.cwd, null, null);
      v.stop_hook_active = false;
      this.emit(out, `bf-${session}-${s.last_uuid}-Stop`, s.last_ts, v);
    }
    this.sessions.clear();
    return out;
  }

  stats(): ConverterStats {
    return { ...this.counts, skipped_types: { ...this.counts.skipped_types } };
  }
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
