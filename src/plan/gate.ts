// The TDD gate's decision (opt-in, off by default): at Stop, were files edited after the last
// passing test run? Pure: the hook feeds it the session's tool calls in order.
import { parseTestRun } from '../core/test-output.js';

/** A completed tool call, as the transcript or the hooks report it. */
export interface GateCall {
  event: 'PostToolUse' | 'PostToolUseFailure';
  tool_name: string;
  tool_use_id: string | null;
  command: string | null;
  /** stdout + stderr, or the failure's error text */
  output: string;
}

export interface GateOptions {
  /** Claude Code sets stop_hook_active when it is already continuing because of a Stop hook */
  stopHookActive: boolean;
  /** block also when the session edited files but never ran tests */
  requireTests: boolean;
  /** tool_use_id of the edit the gate already blocked for: it blocks once per edit, never again */
  blockedForEdit: string | null;
}

export type GateDecision = { block: false; why: string } | { block: true; reason: string; edit: string | null };

const EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

export function gateDecision(calls: readonly GateCall[], options: GateOptions): GateDecision {
  if (options.stopHookActive) return { block: false, why: 'already continuing because of a Stop hook (loop guard)' };
  let lastEdit = -1;
  let lastEditId: string | null = null;
  let lastTest = -1;
  let lastTestPassed = false;
  let lastTestCommand: string | null = null;
  calls.forEach((c, i) => {
    if (EDIT_TOOLS.has(c.tool_name) && c.event === 'PostToolUse') {
      lastEdit = i;
      lastEditId = c.tool_use_id;
    } else if (c.tool_name === 'Bash' && c.command !== null) {
      const run = parseTestRun(c.command, c.output, c.event === 'PostToolUseFailure');
      if (run) {
        lastTest = i;
        lastTestPassed = run.passed;
        lastTestCommand = c.command;
      }
    }
  });
  if (lastEdit < 0) return { block: false, why: 'no files were edited' };
  if (lastEditId !== null && lastEditId === options.blockedForEdit) return { block: false, why: 'already blocked once for these edits' };
  if (lastTest < 0) {
    if (!options.requireTests) return { block: false, why: 'the session ran no tests (gate.require_tests is off)' };
    return { block: true, edit: lastEditId, reason: 'Files were edited but no tests were run in this session. Run the project\'s tests and make sure they pass before finishing.' };
  }
  if (lastTest > lastEdit && lastTestPassed) return { block: false, why: 'the last test run after the last edit passed' };
  const what = lastTest > lastEdit ? 'The last test run failed' : 'Files were edited after the last test run';
  return { block: true, edit: lastEditId, reason: `${what}. Run \`${lastTestCommand}\` again and make sure it passes before finishing (agentops-meta TDD gate).` };
}
