// Planner hook for UserPromptSubmit and SubagentStart, bundled by build.mjs into
// hooks/agentops-plan.mjs (committed, so the plugin form works without a build). It loads only
// precomputed JSON from the data folder: no database, no dependencies. Whatever goes wrong, it
// exits 0 and prints nothing, so Claude Code carries on as if it were not there.
import fs from 'node:fs';
import path from 'node:path';
import { dataPaths } from '../shell/paths.js';
import { writeFileWhole } from '../shell/write-whole.js';
import type { ContextBundle } from '../plan/context-bundle.js';
import type { Rendered } from '../plan/render.js';
import { selectForPrompt } from '../plan/select.js';

interface SessionState {
  holdout: boolean;
  ids: string[];
  /** the item the SessionStart hook withheld from this session: never told later either */
  withheld?: string[];
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/**
 * The arrival time in ns, like the capture hook's (sub-microsecond digits are lost to float
 * precision); AGENTOPS_META_CLOCK_NS overrides it as it does for the shell hooks (replays, the loop).
 */
function arrivalNs(): bigint {
  const fixed = process.env.AGENTOPS_META_CLOCK_NS;
  if (fixed && /^[0-9]{1,30}$/.test(fixed)) return BigInt(fixed);
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
}

function record(home: string, sessionId: string, hook: string, ids: string[], holdout: boolean): void {
  const ns = arrivalNs();
  const name = `${ns}-${process.pid}-AgentopsInjection`;
  const body = JSON.stringify({ session_id: sessionId, hook_event_name: 'AgentopsInjection', hook, holdout, ids });
  const tmp = path.join(home, 'spool', '.tmp', name);
  fs.mkdirSync(path.dirname(tmp), { recursive: true, mode: 0o700 });
  fs.writeFileSync(tmp, body, { mode: 0o600 });
  fs.renameSync(tmp, path.join(home, 'spool', `${name}.json`));
}

/** Observer isolation, as in the shell hooks: excluded sessions get no advice. */
function excluded(ctx: string): boolean {
  if (process.env.AGENTOPS_META_DISABLE) return true;
  const entrypoint = process.env.CLAUDE_CODE_ENTRYPOINT;
  if (!entrypoint) return false;
  try {
    return fs.readFileSync(path.join(ctx, 'exclude-entrypoints'), 'utf8').trim().split(',').includes(entrypoint);
  } catch {
    return false;
  }
}

export function runPlanHook(event: string, stdin: string): string {
  const home = dataPaths(process.env).home;
  if (excluded(path.join(home, 'context'))) return '';
  const payload = JSON.parse(stdin) as Record<string, unknown>;
  const sessionId = typeof payload.session_id === 'string' && /^[A-Za-z0-9_.-]+$/.test(payload.session_id) ? payload.session_id : null;
  if (!sessionId) return '';
  const ctx = path.join(home, 'context');
  const stateFile = path.join(ctx, 'sessions', `${sessionId}.json`);
  const state = readJson<SessionState>(stateFile) ?? { holdout: false, ids: [] };
  if (state.holdout) return '';

  let rendered: Rendered | null = null;
  if (event === 'UserPromptSubmit' && typeof payload.prompt === 'string') {
    const prompt = readJson<ContextBundle['prompt']>(path.join(ctx, 'prompt.json'));
    if (prompt) rendered = selectForPrompt(prompt, payload.prompt, new Set([...state.ids, ...(state.withheld ?? [])]));
  } else if (event === 'SubagentStart' && typeof payload.agent_type === 'string') {
    const subagents = readJson<ContextBundle['subagents']>(path.join(ctx, 'subagents.json'));
    rendered = subagents?.[payload.agent_type] ?? null;
  }
  if (!rendered || rendered.ids.length === 0) return '';
  // Key order matters: the SessionStart shell hook reads this file by prefix ('{"holdout":false').
  if (event === 'UserPromptSubmit') writeFileWhole(stateFile, JSON.stringify({ holdout: false, ids: [...state.ids, ...rendered.ids], withheld: state.withheld ?? [] }), { mkdir: true });
  record(home, sessionId, event, rendered.ids, false);
  return JSON.stringify({ hookSpecificOutput: { hookEventName: event, additionalContext: rendered.text } });
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const out = runPlanHook(process.argv[2] ?? '', Buffer.concat(chunks).toString('utf8'));
  if (out) process.stdout.write(`${out}\n`);
}

if (process.argv[1] && /agentops-plan\.mjs$/.test(process.argv[1])) {
  main().catch(() => undefined).finally(() => process.exit(0));
}
