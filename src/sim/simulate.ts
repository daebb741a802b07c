// Seeded simulator of Claude Code sessions with planted patterns, for tests, benchmarks and the demo.
//
// One internal model per session (calls with start/end, subagents, turns) feeds two outputs:
//   - simulate(): realistic hook payloads (what the capture hook would have spooled), ordered by time;
//   - simulateTraces(): the SessionTraces the ingest + pairing path should derive from those payloads.
// Same options and seed give the same sessions in both, byte for byte. Pure: no node:*, no clock,
// no Math.random (the PRNG is in rng.ts; each session has its own derived stream).
//
// What is planted (activity names as the vocabulary spells them), see SimTruth:
//   - good sequence   Read → Edit → Bash:test, contiguous, in "good" sessions, which pass at good_pass_rate;
//   - anti-pattern    Edit → Edit → Edit, in "anti" sessions, which never Read on the main thread
//                     and pass at anti_pass_rate;
//   - concurrency     a Grep + Glob batch (overlapping intervals, random order) and two subagents
//                     (Agent:Explore ‖ Agent:code-reviewer) running at the same time;
//   - order-independent pair  Bash:lint and Bash:typecheck, directly after each other, 50/50 order;
//   - noise           random tools (Grep, Glob, WebSearch, WebFetch, TodoWrite, Bash:git, Bash:build,
//                     Skill:webapp-testing, mcp:github) between blocks, independent of the outcome;
//   - task kinds      each session works on a bug fix, feature, refactor, docs or investigation
//                     (task-kinds.ts), which shapes its noise mix and adds a few steps of that kind
//                     (Agent:Plan, Agent:debugger, Bash:format, Skill:docs-writer, ...) at fixed places;
//                     its prompts are written for that kind with probability prompt_signal, else for
//                     an independently drawn kind. Among sessions with tests the kind is independent
//                     of the style, so it carries no outcome signal.
// Neutral sessions pass at neutral_pass_rate; "no-test" sessions never run tests (outcome unknown).
// The outcome of a session is its LAST test run: the final full `npx vitest run`.
// Contiguity guarantees: Read, Edit and Bash:test never appear as noise; neutral work blocks start
// with Grep or Glob; so Read→Edit→Bash:test (contiguous, main thread) occurs only in good sessions
// and Edit→Edit→Edit only in anti sessions. Gapped occurrences can appear elsewhere.
//
// Where things are: options.ts (options, defaults, truth and output types), fixtures.ts (activity
// names, noise activities, projects), task-kinds.ts (kinds, their noise mix and steps, prompts),
// model.ts (the internal session model), builder.ts (one call's input, response and duration),
// plan-session.ts (what a session does), layout.ts (timestamps, turns, prompts, subagents),
// payloads.ts (hook payloads, traces, the merge by time), truth.ts (what was planted).

import type { SessionTrace } from '../core/types.js';
import type { SimulatedCorpus, SimulateOptions, SimPayload } from './options.js';
import { sessions } from './layout.js';
import { mergeByTime, payloadsOf, toTrace } from './payloads.js';
import { truthOf, truthRow, type TruthRow } from './truth.js';

export { ACT, SIM_TEST_RUNNER, simTestRun } from './fixtures.js';
export { DEFAULT_PLANTED, DEMO_SIMULATION } from './options.js';
export type { PlantedOptions, SessionStyle, SimPayload, SimTruth, SimulatedCorpus, SimulateOptions } from './options.js';
export { TASK_KINDS, type TaskKind } from './task-kinds.js';

function validate(o: SimulateOptions): void {
  if (!Number.isInteger(o.sessions) || o.sessions < 0) throw new Error('sessions must be a non-negative integer');
  if (!Number.isFinite(o.start_ms)) throw new Error('start_ms must be a number');
  if (o.days !== undefined && !(o.days > 0)) throw new Error('days must be positive');
}

/** Hook payloads of `sessions` simulated sessions, ordered by ts_ms, plus what was planted. */
export function simulate(o: SimulateOptions): SimulatedCorpus {
  validate(o);
  // Each session's model is dropped once its payloads exist: only the payloads stay in memory.
  const lists: SimPayload[][] = [];
  const rows: TruthRow[] = [];
  for (const s of sessions(o)) {
    lists.push(payloadsOf(s));
    rows.push(truthRow(s));
  }
  return { payloads: mergeByTime(lists), truth: truthOf(o, rows) };
}

/** The same sessions as simulate() with the same options, as SessionTraces (steps ordered by start). */
export function simulateTraces(o: SimulateOptions): SessionTrace[] {
  validate(o);
  const out: SessionTrace[] = [];
  for (const s of sessions(o)) out.push(toTrace(s));
  return out;
}

/** Both views at once (one model build): handy for tests comparing traces with truth. */
export function simulateBoth(o: SimulateOptions): SimulatedCorpus & { traces: SessionTrace[] } {
  validate(o);
  const lists: SimPayload[][] = [];
  const rows: TruthRow[] = [];
  const traces: SessionTrace[] = [];
  for (const s of sessions(o)) {
    lists.push(payloadsOf(s));
    rows.push(truthRow(s));
    traces.push(toTrace(s));
  }
  return { payloads: mergeByTime(lists), truth: truthOf(o, rows), traces };
}
