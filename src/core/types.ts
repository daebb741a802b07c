// Shared data shapes. Pure: no imports from node:* or the database.
// Every layer speaks these types; only the store maps them to tables.

/** What kind of thing Claude used. */
export type ActorKind =
  | 'tool' // built-in tool: Read, Edit, Bash, ...
  | 'subagent' // Agent / legacy Task, name = subagent_type
  | 'skill' // Skill, name = tool_input.skill
  | 'command' // slash command, name = "/review"
  | 'mcp'; // MCP tool, name = the tool, server = the server

export interface Actor {
  kind: ActorKind;
  /** e.g. "Read", "code-reviewer", "pdf", "/review", "get-library-docs" */
  name: string;
  /** plugin that provides it, from "plugin:agent", "plugin:skill" or "mcp__plugin_<p>_<s>__tool" */
  plugin: string | null;
  /** MCP server name */
  server: string | null;
}

export type Outcome = 'ok' | 'error' | 'interrupted' | 'blocked' | 'denied';

/** Coarse kinds of Bash commands; the learner turns them into activities such as "Bash:test". */
export type BashKind =
  | 'test'
  | 'build'
  | 'typecheck'
  | 'lint'
  | 'format'
  | 'git'
  | 'install'
  | 'run'
  | 'search'
  | 'file'
  | 'other';

export interface TestCounts {
  passed: number | null;
  failed: number | null;
  skipped: number | null;
  total: number | null;
}

/** One recognised test-runner invocation and what its output said. */
export interface TestRun {
  /** "vitest", "jest", "pytest", "go", "cargo", "npm", ... */
  runner: string;
  passed: boolean;
  counts: TestCounts;
}

/** One normalized hook event: the unit stored in the events table. */
export interface EventRecord {
  /** Unique, stable id: the spool file name for hook payloads, a derived key for backfill. */
  id: string;
  session_id: string;
  /** hook_event_name, e.g. "PreToolUse" */
  event: string;
  /** arrival time, ISO 8601 with milliseconds */
  ts: string;
  ts_ms: number;
  tool_name: string | null;
  tool_use_id: string | null;
  actor: Actor | null;
  /** known once the event says so (Post*, PermissionDenied); pairing fills in the rest */
  outcome: Outcome | null;
  duration_ms: number | null;
  agent_id: string | null;
  agent_type: string | null;
  prompt_id: string | null;
  cwd: string | null;
  /** git root of cwd when there is one, else cwd */
  project: string | null;
  bash_kind: BashKind | null;
  test: TestRun | null;
  /** "hook" for live capture, "backfill" for transcripts */
  source: 'hook' | 'backfill';
  /** The payload after redaction and truncation, as JSON text. */
  payload: string;
}

/** A payload that could not be parsed or validated, kept raw (redacted when it is text). */
export interface QuarantineRecord {
  id: string;
  ts_ms: number;
  /** event name from the spool file name, when known */
  event: string | null;
  reason: string;
  size: number;
  raw: string;
}

// ---- learner input -------------------------------------------------------------

/** One step of a session trace: a paired tool call, a subagent, a skill, a slash command. */
export interface Step {
  /** activity name from the vocabulary: "Read", "Bash:test", "Agent:code-reviewer", "Skill:pdf", "mcp:github", "/review" */
  activity: string;
  start_ms: number;
  end_ms: number;
  outcome: Outcome;
  tool_use_id: string | null;
  /** subagent this step ran inside (agent_type), null on the main thread */
  agent: string | null;
  /** test run result when this step ran tests */
  test: TestRun | null;
}

/** A session as the learner sees it: steps ordered by start time. */
export interface SessionTrace {
  session_id: string;
  project: string | null;
  start_ms: number;
  end_ms: number;
  steps: Step[];
  /** StopFailure or interrupts seen: secondary outcome signals */
  stop_failures: number;
  interrupts: number;
  /** prompts typed in this session (redacted), for prompt-relevance ranking; never committed */
  prompts: string[];
}
