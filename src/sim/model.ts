// The simulator's internal model of a session: calls with start/end, subagents, turns, and the
// actions a plan is made of. One model feeds both outputs (payloads.ts). Types only.
import type { TestRun } from '../core/types.js';
import type { Project } from './fixtures.js';
import type { SessionStyle } from './options.js';
import type { TaskKind } from './task-kinds.js';

// ---- internal model ------------------------------------------------------------------------

export interface CallSpec {
  tool_name: string;
  activity: string;
  input: Record<string, unknown>;
  /** planned duration (ms); the final one is end - start after timestamps are made unique */
  duration: number;
  outcome: 'ok' | 'error' | 'interrupted';
  response: Record<string, unknown> | unknown[] | null;
  error: string | null;
  test: TestRun | null;
}

export interface SimAgent {
  id: string;
  type: string;
}

export interface SimCall {
  /** what was called; shared, never copied (copying ~10 fields per call dominated the run time) */
  spec: CallSpec;
  tool_use_id: string;
  agent: SimAgent | null;
  start: number;
  end: number;
  /** Agent calls: the subagent it launched */
  launched: SimAgent | null;
}

export type EventKind =
  | 'SessionStart'
  | 'UserPromptSubmit'
  | 'PreToolUse'
  | 'PostToolUse'
  | 'PostToolUseFailure'
  | 'SubagentStart'
  | 'SubagentStop'
  | 'Stop'
  | 'StopFailure'
  | 'SessionEnd';

export interface SimEvent {
  ts: number;
  kind: EventKind;
  /** prompt index the event belongs to, -1 before the first prompt / after the session */
  turn: number;
  call: SimCall | null;
  agent: SimAgent | null;
}

export interface SimSession {
  session_id: string;
  project: Project;
  style: SessionStyle;
  /** the kind of work the session does, and the kind its prompts were written for */
  kind: TaskKind;
  prompt_kind: TaskKind;
  passed: boolean | null;
  permission_mode: string;
  transcript_path: string;
  prompts: string[];
  prompt_ids: string[];
  events: SimEvent[];
  calls: SimCall[];
  stop_failures: number;
  interrupts: number;
}

export type Action =
  | { kind: 'call'; spec: CallSpec }
  | { kind: 'batch'; specs: CallSpec[] }
  | { kind: 'agents'; agents: AgentPlan[] };

export interface AgentPlan {
  type: string;
  description: string;
  prompt: string;
  inner: CallSpec[];
  tokens: number;
}
