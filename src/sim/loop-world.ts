// The loop world: ground truth for "does the advice change outcomes?" (issue 14). Pure: no node:*,
// no clock, no Math.random; every draw comes from seeded streams (rng.ts), one per session.
//
// Three recipes are drawn at random over the whole activity vocabulary of the recipe worlds
// (worlds.ts): distinct activities, 2-3 steps each.
//   - good: done right before a test run, it raises that run's chance to pass by `good_lift`;
//   - anti: anywhere in an episode, it lowers the chance by `anti_drop`;
//   - trap: anywhere in an episode, it changes the chance by `trap_effect` (<= 0: it does not help,
//     or hurts), but the agent uses it by habit mostly on EASY tasks, so in the history it goes
//     with passing tests (confounded by task difficulty), and a learner that reads histories will
//     name it as a recipe that works.
// A session is a task (easy with probability `easy_share`; easy and hard tasks pass at `easy_pass`
// and `hard_pass` before any recipe) worked in 1-2 episodes: some noise activities, then the
// agent's habitual recipe (good, anti or trap, or none), then a test run. The session's outcome is
// its last test run, as the learner reads it. The prompt the user types is drawn independently of
// the task's difficulty: advice chosen by prompt relevance then cannot select easy tasks, so the
// told-vs-holdout comparison stays unconfounded (a real user's prompts may well say how hard the
// task is; see the report of issue 14).
//
// Common random numbers: the uniform draws that decide test outcomes come from their own stream,
// so the same session with and without advice (the control run) differs only by what the agent did.
import type { TestRun } from '../core/types.js';
import { Rng, deriveSeed } from './rng.js';
import { simTestRun } from './simulate.js';
import { WORLD_TEST, WORLD_VOCABULARY } from './worlds.js';

export interface LoopWorldOptions {
  seed: number;
  easy_share: number;
  easy_pass: number;
  hard_pass: number;
  good_lift: number;
  anti_drop: number;
  /** <= 0: following the trap does not help (0) or hurts */
  trap_effect: number;
  /** habitual recipe shares of episodes: good and anti whatever the task, trap by difficulty */
  habit_good: number;
  habit_anti: number;
  habit_trap_easy: number;
  habit_trap_hard: number;
  episodes: readonly [number, number];
  noise: readonly [number, number];
}

export const DEFAULT_LOOP_WORLD: Readonly<Omit<LoopWorldOptions, 'seed'>> = {
  easy_share: 0.5,
  easy_pass: 0.8,
  hard_pass: 0.3,
  good_lift: 0.35,
  anti_drop: 0.3,
  trap_effect: -0.15,
  habit_good: 0.15,
  habit_anti: 0.2,
  habit_trap_easy: 0.5,
  habit_trap_hard: 0.05,
  episodes: [1, 2],
  noise: [0, 3],
};

export interface LoopTruth {
  good: string[];
  anti: string[];
  trap: string[];
}

export type Recipe = 'good' | 'anti' | 'trap' | 'none';

/** One unit of work: the steps before a test run, then the test run. */
export interface Episode {
  /** the activities before the recipe */
  noise: string[];
  /** the habitual recipe this episode ends with (its steps are the end of `steps`) */
  recipe: Recipe;
  /** noise, then the recipe's steps (no test run) */
  steps: string[];
}

export interface SessionTask {
  day: number;
  index: number;
  session_id: string;
  /** epoch ms of SessionStart */
  start_ms: number;
  /** microsecond digits of the session's clock (0..999): the SessionStart hook's holdout coin reads them */
  clock_us: number;
  easy: boolean;
  prompt: string;
  /** the agent's habitual plan, before any advice */
  habit: Episode[];
  /** uniform draws deciding each episode's test run (common to the advised and the control run) */
  draws: number[];
}

const PROMPTS: readonly string[] = [
  'Fix the failing case in the parser and make the tests pass',
  'Add an option to the exporter, with tests',
  'The nightly job crashes on empty input; fix it',
  'Refactor the config loader so it reads one file',
  'Implement the retry policy described in the issue',
  'Make the date formatting respect the locale',
];

export function loopOptions(options: Partial<LoopWorldOptions> & { seed: number }): LoopWorldOptions {
  return { ...DEFAULT_LOOP_WORLD, ...options };
}

/** The planted recipes of world `seed`: three disjoint draws of 2-3 activities. */
export function loopTruth(o: LoopWorldOptions): LoopTruth {
  const rng = new Rng(deriveSeed(o.seed, 0x7e11));
  const pool = rng.shuffle([...WORLD_VOCABULARY]);
  const good = pool.slice(0, rng.range(2, 3));
  const anti = pool.slice(good.length, good.length + rng.range(2, 3));
  const trap = pool.slice(good.length + anti.length, good.length + anti.length + rng.range(2, 3));
  return { good, anti, trap };
}

/** Session `index` of day `day` (day 0 starts at `day0_ms`, sessions spread over the working hours). */
export function sessionTask(o: LoopWorldOptions, truth: LoopTruth, day: number, index: number, perDay: number, day0Ms: number): SessionTask {
  const rng = new Rng(deriveSeed(o.seed, day * 100_003 + index + 1));
  const draws = new Rng(deriveSeed(o.seed ^ 0x0c0ffee, day * 100_003 + index + 1));
  const easy = rng.chance(o.easy_share);
  const slot = (10 * 3_600_000) / Math.max(1, perDay); // 08:00-18:00
  const start_ms = day0Ms + day * 86_400_000 + 8 * 3_600_000 + Math.floor(index * slot + rng.next() * slot * 0.5);
  const habit: Episode[] = [];
  const episodes = rng.range(...o.episodes);
  for (let e = 0; e < episodes; e++) {
    const noise: string[] = [];
    for (let k = rng.range(...o.noise); k > 0; k--) noise.push(rng.pick(WORLD_VOCABULARY));
    const u = rng.next();
    const trapShare = easy ? o.habit_trap_easy : o.habit_trap_hard;
    const recipe: Recipe = u < o.habit_good ? 'good' : u < o.habit_good + o.habit_anti ? 'anti' : u < o.habit_good + o.habit_anti + trapShare ? 'trap' : 'none';
    habit.push({ noise, recipe, steps: recipe === 'none' ? [...noise] : [...noise, ...truth[recipe]] });
  }
  return {
    day,
    index,
    session_id: `loop-${o.seed}-d${String(day).padStart(3, '0')}-s${String(index).padStart(3, '0')}`,
    start_ms,
    clock_us: rng.int(1000),
    easy,
    prompt: rng.pick(PROMPTS),
    habit,
    draws: habit.map(() => draws.next()),
  };
}

/** Does `seq` occur contiguously in `steps`, at the end only when `atEnd`? */
export function containsRun(steps: readonly string[], seq: readonly string[], atEnd = false): boolean {
  if (seq.length === 0 || seq.length > steps.length) return false;
  const from = atEnd ? steps.length - seq.length : 0;
  for (let i = from; i + seq.length <= steps.length; i++) {
    let ok = true;
    for (let j = 0; j < seq.length && ok; j++) ok = steps[i + j] === seq[j];
    if (ok) return true;
  }
  return false;
}

/** The chance that an episode's test run passes, from what the agent actually did in it. */
export function passChance(o: LoopWorldOptions, truth: LoopTruth, easy: boolean, steps: readonly string[]): number {
  let p = easy ? o.easy_pass : o.hard_pass;
  if (containsRun(steps, truth.good, true)) p += o.good_lift;
  if (containsRun(steps, truth.anti)) p -= o.anti_drop;
  if (containsRun(steps, truth.trap)) p += o.trap_effect;
  return Math.min(0.98, Math.max(0.02, p));
}

/** Test verdicts of the episodes the agent worked (its plan may differ from its habit). */
export function outcomes(o: LoopWorldOptions, truth: LoopTruth, task: SessionTask, episodes: readonly Episode[]): boolean[] {
  return episodes.map((e, i) => (task.draws[i] ?? 0.5) < passChance(o, truth, task.easy, e.steps));
}

// ---- hook payloads ---------------------------------------------------------------------------

export interface LoopPayload {
  /** arrival time in ns (as the capture hook's clock would read it), for AGENTOPS_META_CLOCK_NS */
  ns: bigint;
  event: string;
  payload: Record<string, unknown>;
}

const MODEL = 'claude-sonnet-4-5-20250929';

function base(task: SessionTask, cwd: string, event: string): Record<string, unknown> {
  return { session_id: task.session_id, transcript_path: `/home/dev/.claude/projects/loop/${task.session_id}.jsonl`, cwd, hook_event_name: event };
}

const nsAt = (task: SessionTask, ms: number, k: number): bigint => BigInt(ms) * 1_000_000n + BigInt(task.clock_us) * 1000n + BigInt(k % 1000);

/** SessionStart and the first prompt: sent before the agent does anything (the planner speaks here). */
export function openingPayloads(task: SessionTask, cwd: string): LoopPayload[] {
  return [
    { ns: nsAt(task, task.start_ms, 0), event: 'SessionStart', payload: { ...base(task, cwd, 'SessionStart'), source: 'startup', model: MODEL } },
    { ns: nsAt(task, task.start_ms + 4_000, 1), event: 'UserPromptSubmit', payload: { ...base(task, cwd, 'UserPromptSubmit'), permission_mode: 'default', prompt: task.prompt } },
  ];
}

const BASH: Readonly<Record<string, string>> = {
  build: 'npm run build',
  typecheck: 'npx tsc --noEmit',
  lint: 'npm run lint',
  format: 'npx prettier --write src',
  git: 'git status',
  install: 'npm install',
  run: 'node scripts/seed.js',
  search: 'rg -n TODO src',
  file: 'ls -la src',
};

/** Tool name and input of one activity of the recipe vocabulary (as Claude Code would send them). */
function toolCall(activity: string, cwd: string): { tool_name: string; tool_input: Record<string, unknown>; mcp?: string } {
  const i = activity.indexOf(':');
  const kind = i < 0 ? activity : activity.slice(0, i);
  const name = i < 0 ? '' : activity.slice(i + 1);
  switch (kind) {
    case 'Bash':
      return { tool_name: 'Bash', tool_input: { command: BASH[name] ?? name, description: name } };
    case 'Agent':
      return { tool_name: 'Agent', tool_input: { description: `${name} task`, prompt: 'Look into it and report.', subagent_type: name } };
    case 'Skill':
      return { tool_name: 'Skill', tool_input: { skill: name } };
    case 'mcp':
      return { tool_name: `mcp__${name}__query`, tool_input: { q: 'status' }, mcp: name };
    case 'Read':
    case 'Edit':
    case 'Write':
    case 'MultiEdit':
    case 'NotebookEdit':
      return { tool_name: activity, tool_input: { file_path: `${cwd}/src/app.ts`, old_string: 'a', new_string: 'b', content: 'x' } };
    case 'Grep':
    case 'Glob':
      return { tool_name: activity, tool_input: { pattern: 'TODO' } };
    case 'WebFetch':
      return { tool_name: activity, tool_input: { url: 'https://example.com/docs', prompt: 'Summarise' } };
    case 'WebSearch':
      return { tool_name: activity, tool_input: { query: 'error message' } };
    default:
      return { tool_name: activity, tool_input: {} };
  }
}

function vitestOutput(cwd: string, run: TestRun): string {
  const total = run.counts.total ?? 0;
  const failed = run.counts.failed ?? 0;
  const head = ` RUN  v4.1.12 ${cwd}\n\n`;
  if (failed === 0) return `${head} ✓ test/app.test.ts (${total} tests)\n\n Test Files  1 passed (1)\n      Tests  ${total} passed (${total})\n   Duration  2.10s\n`;
  return `${head} ❯ test/app.test.ts (${total} tests | ${failed} failed)\n   × handles the edge case\n\n Test Files  1 failed (1)\n      Tests  ${failed} failed | ${total - failed} passed (${total})\n   Duration  2.10s\n`;
}

/**
 * The rest of the session once the agent has decided: each episode's steps and its test run as
 * PreToolUse/PostToolUse(Failure) pairs (a slash command as a UserPromptExpansion), then Stop and
 * SessionEnd. Times continue from the opening payloads.
 */
export function workPayloads(task: SessionTask, cwd: string, episodes: readonly Episode[], passed: readonly boolean[]): LoopPayload[] {
  const out: LoopPayload[] = [];
  let t = task.start_ms + 10_000;
  let k = 2;
  let n = 0;
  const common = (event: string) => ({ ...base(task, cwd, event), permission_mode: 'default' });
  const call = (activity: string, ok: boolean, response: unknown, error: string | null): void => {
    if (activity.startsWith('/')) {
      out.push({ ns: nsAt(task, t, k++), event: 'UserPromptExpansion', payload: { ...common('UserPromptExpansion'), expansion_type: 'slash_command', command_name: activity.slice(1), prompt: activity } });
      t += 1_000;
      return;
    }
    const c = toolCall(activity, cwd);
    const tool_use_id = `toolu_${task.session_id.replace(/[^A-Za-z0-9]/g, '')}_${n++}`;
    const extra = c.mcp ? { mcp_server: { name: c.mcp, source: 'user' } } : {};
    out.push({ ns: nsAt(task, t, k++), event: 'PreToolUse', payload: { ...common('PreToolUse'), tool_name: c.tool_name, tool_input: c.tool_input, tool_use_id, ...extra } });
    t += 1_500;
    const post = ok
      ? { ...common('PostToolUse'), tool_name: c.tool_name, tool_input: c.tool_input, tool_response: response, tool_use_id, duration_ms: 1_500, ...extra }
      : { ...common('PostToolUseFailure'), tool_name: c.tool_name, tool_input: c.tool_input, tool_use_id, error, duration_ms: 1_500, ...extra };
    out.push({ ns: nsAt(task, t, k++), event: ok ? 'PostToolUse' : 'PostToolUseFailure', payload: post });
    t += 2_000;
  };
  episodes.forEach((e, i) => {
    for (const a of e.steps) call(a, true, a.startsWith('Bash') ? { stdout: '', stderr: '', interrupted: false, isImage: false } : { ok: true }, null);
    const ok = passed[i] === true;
    const run = simTestRun(ok ? 40 : 38, ok ? 0 : 2);
    const text = vitestOutput(cwd, run);
    const test = { command: 'npx vitest run', description: 'Run the tests' };
    const tool_use_id = `toolu_${task.session_id.replace(/[^A-Za-z0-9]/g, '')}_${n++}`;
    out.push({ ns: nsAt(task, t, k++), event: 'PreToolUse', payload: { ...common('PreToolUse'), tool_name: 'Bash', tool_input: test, tool_use_id } });
    t += 3_000;
    out.push({
      ns: nsAt(task, t, k++),
      event: ok ? 'PostToolUse' : 'PostToolUseFailure',
      payload: ok
        ? { ...common('PostToolUse'), tool_name: 'Bash', tool_input: test, tool_response: { stdout: text, stderr: '', interrupted: false, isImage: false }, tool_use_id, duration_ms: 3_000 }
        : { ...common('PostToolUseFailure'), tool_name: 'Bash', tool_input: test, tool_use_id, error: `Exit code 1\n${text}`, duration_ms: 3_000 },
    });
    t += 2_000;
  });
  out.push({ ns: nsAt(task, t, k++), event: 'Stop', payload: { ...common('Stop'), stop_hook_active: false, last_assistant_message: 'Done.' } });
  t += 30_000;
  out.push({ ns: nsAt(task, t, k++), event: 'SessionEnd', payload: { ...base(task, cwd, 'SessionEnd'), reason: 'prompt_input_exit' } });
  return out;
}

/** The activities a learner should read back from workPayloads (test runs included). */
export function expectedActivities(episodes: readonly Episode[]): string[] {
  return episodes.flatMap((e) => [...e.steps, WORLD_TEST]);
}
