// Stop hook for the opt-in TDD gate, bundled by build.mjs into hooks/agentops-gate.mjs (committed).
// It reads the session's transcript (streamed, so any size works), rebuilds its tool calls with the
// backfill converter, and asks gateDecision(). Whatever goes wrong, it exits 0 and prints nothing.
import fs from 'node:fs';
import path from 'node:path';
import { dataPaths } from '../shell/paths.js';
import { writeFileWhole } from '../shell/write-whole.js';
import { createTranscriptConverter, type BackfillPayload } from '../backfill/transcript.js';
import { gateDecision, type GateCall } from '../plan/gate.js';

function gateConfig(files: string[]): { stop: boolean; require_tests: boolean } {
  const gate = { stop: false, require_tests: false };
  for (const file of files) {
    try {
      const g = (JSON.parse(fs.readFileSync(file, 'utf8')) as { gate?: Partial<typeof gate> }).gate;
      if (typeof g?.stop === 'boolean') gate.stop = g.stop;
      if (typeof g?.require_tests === 'boolean') gate.require_tests = g.require_tests;
    } catch {
      // no file, or not JSON: `agentops-meta config` reports that; the gate keeps its defaults
    }
  }
  return gate;
}

function toCall(p: BackfillPayload): GateCall | null {
  const v = p.value;
  if ((v.hook_event_name !== 'PostToolUse' && v.hook_event_name !== 'PostToolUseFailure') || typeof v.tool_name !== 'string') return null;
  if (v.agent_id) return null; // a subagent's calls are its own business
  const input = (v.tool_input ?? {}) as Record<string, unknown>;
  const response = (v.tool_response ?? {}) as Record<string, unknown>;
  const output = v.hook_event_name === 'PostToolUseFailure' ? String(v.error ?? '') : `${String(response.stdout ?? '')}\n${String(response.stderr ?? '')}`;
  return {
    event: v.hook_event_name,
    tool_name: v.tool_name === 'Task' ? 'Agent' : v.tool_name,
    tool_use_id: typeof v.tool_use_id === 'string' ? v.tool_use_id : null,
    command: typeof input.command === 'string' ? input.command : null,
    output,
  };
}

/** The session's completed main-thread calls, from its transcript, streamed in 1 MiB chunks. */
function callsFromTranscript(file: string, sessionId: string): GateCall[] {
  const converter = createTranscriptConverter(sessionId, { transcriptPath: file });
  const calls: GateCall[] = [];
  const take = (ps: BackfillPayload[]) => {
    for (const p of ps) {
      const c = toCall(p);
      if (c) calls.push(c);
    }
  };
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let rest = '';
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const lines = (rest + buf.toString('utf8', 0, n)).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) take(converter.pushText(line));
    }
    if (rest.trim()) take(converter.pushText(rest));
  } finally {
    fs.closeSync(fd);
  }
  take(converter.finish());
  return calls;
}

export function runGateHook(stdin: string): string {
  const payload = JSON.parse(stdin) as Record<string, unknown>;
  const home = dataPaths(process.env).home;
  const projectDir = process.env.CLAUDE_PROJECT_DIR;
  const gate = gateConfig([path.join(home, 'config.json'), ...(projectDir ? [path.join(projectDir, '.claude', 'agentops-meta.json')] : [])]);
  const sessionId = typeof payload.session_id === 'string' && /^[A-Za-z0-9_.-]+$/.test(payload.session_id) ? payload.session_id : null;
  if (!gate.stop || !sessionId || typeof payload.transcript_path !== 'string') return '';
  const stateFile = path.join(home, 'context', 'sessions', `${sessionId}.gate`);
  let blockedForEdit: string | null = null;
  try {
    blockedForEdit = fs.readFileSync(stateFile, 'utf8').trim() || null;
  } catch {
    // never blocked in this session
  }
  const decision = gateDecision(callsFromTranscript(payload.transcript_path, sessionId), {
    stopHookActive: payload.stop_hook_active === true,
    requireTests: gate.require_tests,
    blockedForEdit,
  });
  if (!decision.block) return '';
  writeFileWhole(stateFile, `${decision.edit ?? ''}\n`, { mkdir: true });
  return JSON.stringify({ decision: 'block', reason: decision.reason });
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const out = runGateHook(Buffer.concat(chunks).toString('utf8'));
  if (out) process.stdout.write(`${out}\n`);
}

if (process.argv[1] && /agentops-gate\.mjs$/.test(process.argv[1])) {
  main().catch(() => undefined).finally(() => process.exit(0));
}
