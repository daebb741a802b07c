// Which hook commands agentops-meta registers, for which events. Pure data.

/** Events the capture hook records (issue #2). */
export const CAPTURE_EVENTS = [
  'SessionStart',
  'SessionEnd',
  'UserPromptSubmit',
  'UserPromptExpansion',
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'PostToolBatch',
  'SubagentStart',
  'SubagentStop',
  'Stop',
  'StopFailure',
  'PreCompact',
  'PostCompact',
  'Notification',
  'PermissionRequest',
  'PermissionDenied',
  'TaskCreated',
  'TaskCompleted',
] as const;

export type CaptureEvent = (typeof CAPTURE_EVENTS)[number];

/** One hook handler we register: event, optional matcher, the command and its timeout in seconds. */
export interface HookEntry {
  event: string;
  matcher?: string;
  command: string;
  timeout: number;
}

/** Capture timeout: the script takes a few ms; the bound only matters for a stuck stdin or disk. */
export const CAPTURE_TIMEOUT_S = 10;
/** Planner hooks read precomputed context; the bound keeps a broken install from stalling a prompt. */
export const PLANNER_TIMEOUT_S = 5;
/** The gate reads the session transcript; long sessions have long transcripts. */
export const GATE_TIMEOUT_S = 30;

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The hook entries for an install rooted at `root` (absolute path of the agentops-meta package,
 * or "${CLAUDE_PLUGIN_ROOT}" for the plugin form, which Claude Code substitutes itself).
 * Every command is synchronous: see ARCHITECTURE.md, "Why no async hooks".
 */
export interface HookOptions {
  /** register the opt-in TDD gate on Stop (config gate.stop); off: no cost at all on Stop */
  gate?: boolean;
}

export function hookEntries(root: string, nodeBin = 'node', options: HookOptions = {}): HookEntry[] {
  const dir = root === '${CLAUDE_PLUGIN_ROOT}' ? '"${CLAUDE_PLUGIN_ROOT}"' : shellQuote(root);
  const node = nodeBin === 'node' ? 'node' : shellQuote(nodeBin);
  const entries: HookEntry[] = CAPTURE_EVENTS.map((event) => ({
    event,
    command: `${dir}/hooks/agentops-capture.sh ${event}`,
    timeout: CAPTURE_TIMEOUT_S,
  }));
  entries.push({ event: 'SessionStart', command: `${dir}/hooks/agentops-session-start.sh`, timeout: PLANNER_TIMEOUT_S });
  // Prompt- and subagent-conditioned advice needs a relevance ranking: a small Node script over a
  // precomputed index (no database, no dependencies).
  for (const event of ['UserPromptSubmit', 'SubagentStart']) {
    entries.push({ event, command: `${node} ${dir}/hooks/agentops-plan.mjs ${event}`, timeout: PLANNER_TIMEOUT_S });
  }
  if (options.gate) entries.push({ event: 'Stop', command: `${node} ${dir}/hooks/agentops-gate.mjs`, timeout: GATE_TIMEOUT_S });
  return entries;
}

const OUR_SCRIPT = /\/hooks\/(agentops-[a-z-]+\.(?:sh|mjs))\b/;

/**
 * The script a settings command runs when it is one of ours ("agentops-capture.sh"), else null.
 * Install roots change between versions, so handlers are matched by script, never by full path.
 */
export function ourScriptName(command: string): string | null {
  return OUR_SCRIPT.exec(command)?.[1] ?? null;
}

/** True when a settings command string is one of ours (any install root). */
export function isOurCommand(command: string): boolean {
  return ourScriptName(command) !== null;
}
