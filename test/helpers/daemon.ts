// What the daemon tests share: waiting for a condition, telling whether a process still runs,
// removing test data folders with their daemons, and spooling a session that ran a passing test (so
// a learning run has something to commit).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { runningPid } from '../../src/daemon/daemon.js';
import { dataPaths } from '../../src/shell/paths.js';

/** Kills the daemon of each data folder (if one runs) and removes the folder; empties the list. */
export function removeDataFolders(homes: string[]): void {
  for (const home of homes.splice(0)) {
    const pid = runningPid(dataPaths({ AGENTOPS_META_HOME: home }));
    if (pid) process.kill(pid, 'SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
  }
}

export async function waitFor(check: () => boolean, ms = 20_000, what = 'a condition'): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** True while the process runs (a zombie nobody reaped has exited). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return fs.existsSync('/proc/self') ? false : true;
  }
}

/** The hook payloads of one session that ran `npx vitest run` and passed. */
export function testedSession(sessionId: string, cwd: string): { event: string; payload: Record<string, unknown> }[] {
  const base = { session_id: sessionId, cwd };
  const bash = { tool_name: 'Bash', tool_use_id: `${sessionId}-t1`, tool_input: { command: 'npx vitest run' } };
  return [
    { event: 'SessionStart', payload: { ...base, hook_event_name: 'SessionStart', source: 'startup' } },
    { event: 'PreToolUse', payload: { ...base, hook_event_name: 'PreToolUse', ...bash } },
    { event: 'PostToolUse', payload: { ...base, hook_event_name: 'PostToolUse', ...bash, tool_response: { stdout: 'Tests  3 passed (3)', stderr: '' } } },
    { event: 'SessionEnd', payload: { ...base, hook_event_name: 'SessionEnd', reason: 'exit' } },
  ];
}

/** Spools a tested session through the capture hook of `root`, as Claude Code would run it. */
export function captureTestedSession(root: string, env: NodeJS.ProcessEnv, sessionId: string, cwd = '/tmp'): void {
  const capture = path.join(root, 'hooks', 'agentops-capture.sh');
  for (const p of testedSession(sessionId, cwd)) {
    expect(spawnSync(capture, [p.event], { input: JSON.stringify(p.payload), env }).status).toBe(0);
  }
}
