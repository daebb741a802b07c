// Weeks of use, simulated (issue 14): does the advice change outcomes? The shell of the loop: a
// scratch project with the hooks installed, a scratch data folder, and for every simulated day
//   1. sessions of the loop world (src/sim/loop-world.ts), run one at a time each (a day's sessions
//      in parallel, as several Claude Code windows would): SessionStart and the first prompt go
//      through the INSTALLED hook commands exactly as Claude Code runs them (`bash -c`, payload on
//      stdin, CLAUDE_PROJECT_DIR set); the simulated agent (src/sim/agent-policy.ts) reads what the
//      planner hooks printed and decides its steps; the steps, test runs, Stop and SessionEnd go
//      through the capture hooks;
//   2. the product's nightly run (passed in: the daemon's ingest + learn + commit, into a learning
//      repository inside the scratch folder).
// The control run is the same world's sessions with the product not installed: the agent's habit,
// the same draws for the test outcomes (common random numbers), no hooks.
//
// Every hook takes its time from AGENTOPS_META_CLOCK_NS (how the demo replays sessions), so the
// records they spool carry the simulated time, as a live session's would carry its own.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandsByEvent } from '../demo/replay.js';
import { install } from '../install/install.js';
import type { AdviceEffect } from '../learn/advice-effect.js';
import { decide, DEFAULT_ADHERENCE, parseHookOutputs, type ParsedAdvice } from '../sim/agent-policy.js';
import { containsRun, loopOptions, loopTruth, openingPayloads, outcomes, sessionTask, workPayloads, type LoopTruth, type LoopWorldOptions, type SessionTask } from '../sim/loop-world.js';
import { deriveSeed } from '../sim/rng.js';
import { WORLD_TEST } from '../sim/worlds.js';
import { packageRoot } from './package-root.js';
import { dataPaths } from './paths.js';

export interface NightlyResult {
  advice: readonly AdviceEffect[];
  /** the learning commit went in */
  committed: boolean;
}

/** The product's nightly run on the data folder of `env` (ingest, learn, planner context, commit). */
export type Nightly = (env: NodeJS.ProcessEnv, now: Date) => Promise<NightlyResult>;

export interface LoopOptions {
  days: number;
  sessions_per_day: number;
  seed: number;
  adherence?: number;
  /** planner.holdout_share in the scratch data folder's config (default: the product's default) */
  holdout_share?: number;
  /** planner.withhold_share in the scratch config (default: the product's default) */
  withhold_share?: number;
  /** learn.min_sessions in the scratch config (default: the product's default) */
  min_sessions?: number;
  /**
   * days at the start with no nightly run, so nothing is learned or advised yet: a history the
   * agent made by habit, as if backfilled from transcripts when the product was installed
   */
  history_days?: number;
  /** scratch folder (default: a new temporary folder) */
  dir?: string;
  concurrency?: number;
  world?: Partial<Omit<LoopWorldOptions, 'seed'>>;
  nightly: Nightly;
  onDay?: (day: LoopDay) => void;
}

export interface LoopDay {
  day: number;
  sessions: number;
  advised: number;
  holdout: number;
  pass_advised: number | null;
  pass_holdout: number | null;
  pass_control: number | null;
  /** advised sessions that had one item withheld */
  withheld: number;
  /** the control run's pass rate of the advised sessions' twins (the same tasks without the product) */
  pass_advised_twins: number | null;
  /** sessions before any advice existed (neither advised nor held out) */
  pass_unadvised: number | null;
}

export interface LoopAdvice {
  id: string;
  kind: string;
  steps: string[];
  /** which planted recipe following (or avoiding) it amounts to, or null */
  truth: 'good' | 'anti' | 'trap' | null;
  /** day a planner hook first printed it */
  first_day: number | null;
  /** told − holdout (the advice as shown, together) and its anytime-valid 95% interval */
  uplift: number | null;
  lower: number | null;
  upper: number | null;
  /** told − withheld (this item on its own) and its interval */
  own_uplift: number | null;
  own_lower: number | null;
  own_upper: number | null;
  judged_by: string;
  state: string;
  /** first night the advice test stopped it, or null */
  stopped_day: number | null;
  /** last day a planner hook printed it */
  last_day: number | null;
  told: number;
  holdout: number;
  withheld: number;
}

export interface LoopResult {
  folder: string;
  seed: number;
  adherence: number;
  holdout_share: number | null;
  withhold_share: number | null;
  days: LoopDay[];
  advice: LoopAdvice[];
  truth: { good: string[]; anti: string[]; trap: string[] };
  /**
   * first day each planted recipe was advised (exactly or as a part that works); the day from which
   * the trap was no longer advised and what stopped it: the advice test (its own comparison said it
   * does not help; `trap_stopped` is that night) or the learner itself (it stopped naming the
   * pattern, once the agent's choices changed the history: the day after it was last advised); null
   * while it is still advised on the last day
   */
  milestones: {
    good_advised: number | null;
    anti_advised: number | null;
    trap_advised: number | null;
    trap_stopped: number | null;
    trap_stopped_by: 'advice test' | 'learner' | null;
    trap_last_advised: number | null;
  };
  /** pooled pass rates from the day the good recipe was first advised */
  since_good: { days: number; advised: number | null; holdout: number | null; control: number | null; advised_n: number; holdout_n: number; control_n: number } | null;
  commits: number;
}

const DAY0 = Date.UTC(2026, 0, 5);

interface SessionRun {
  advised: boolean;
  holdout: boolean;
  withheld: boolean;
  passed: boolean;
  control: boolean;
  ids: string[];
}

function runCommand(command: string, input: string, env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { env, cwd, stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', () => resolve(''));
    child.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** Which planted recipe following (sequence) or avoiding (avoid) these steps amounts to. */
export function truthOf(kind: string, steps: readonly string[], truth: LoopTruth): LoopAdvice['truth'] {
  const bare = steps.filter((a) => a !== WORLD_TEST);
  if (kind === 'sequence') {
    if (containsRun(bare, truth.good, true)) return 'good';
    if (containsRun(bare, truth.trap)) return 'trap';
    return null;
  }
  if (kind === 'avoid') return containsRun([...truth.anti, WORLD_TEST], steps) ? 'anti' : null;
  return null;
}

function keysOf(advice: ParsedAdvice): string[] {
  return [...advice.follow.map((s) => `sequence:${s.join('>')}`), ...advice.avoid.map((s) => `avoid:${s.join('>')}`)];
}

const rate = (passed: number, n: number): number | null => (n > 0 ? passed / n : null);

export async function runLoop(options: LoopOptions): Promise<LoopResult> {
  const adherence = options.adherence ?? DEFAULT_ADHERENCE;
  const world = loopOptions({ ...options.world, seed: options.seed });
  const truth = loopTruth(world);
  const root = options.dir ? path.resolve(options.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-meta-loop-'));
  const project = path.join(root, 'project');
  const home = path.join(root, 'home');
  const data = path.join(root, 'data');
  for (const d of [project, home, data]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  const config: Record<string, Record<string, unknown>> = { daemon: { autostart: false } };
  const planner: Record<string, unknown> = {};
  if (options.holdout_share !== undefined) planner.holdout_share = options.holdout_share;
  if (options.withhold_share !== undefined) planner.withhold_share = options.withhold_share;
  if (Object.keys(planner).length) config.planner = planner;
  if (options.min_sessions !== undefined) config.learn = { min_sessions: options.min_sessions };
  fs.writeFileSync(path.join(data, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const installed = install({ scope: 'project', projectDir: project, root: packageRoot(), home, nodeBin: process.execPath, now: new Date(0) });
  if (!installed.ok) throw new Error(`loop: install failed: ${installed.error}`);
  const commands = commandsByEvent(installed.settingsPath);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, AGENTOPS_META_HOME: data, CLAUDE_PROJECT_DIR: project };
  delete env.AGENTOPS_META_DISABLE;
  delete env.CLAUDE_CODE_ENTRYPOINT;
  const paths = dataPaths(env);

  const hooks = async (event: string, payload: Record<string, unknown>, ns: bigint): Promise<string[]> => {
    const out: string[] = [];
    const input = JSON.stringify(payload);
    for (const command of commands.get(event) ?? []) out.push(await runCommand(command, input, { ...env, AGENTOPS_META_CLOCK_NS: `${ns}` }, project));
    return out;
  };

  const firstDay = new Map<string, number>();
  const lastDay = new Map<string, number>();
  const stoppedDay = new Map<string, number>();

  const runSession = async (task: SessionTask): Promise<SessionRun> => {
    const stdouts: string[] = [];
    const [start, prompt] = openingPayloads(task, project) as [ReturnType<typeof openingPayloads>[number], ReturnType<typeof openingPayloads>[number]];
    stdouts.push(...(await hooks(start.event, start.payload, start.ns)));
    let state = '';
    try {
      state = fs.readFileSync(path.join(paths.context, 'sessions', `${task.session_id}.json`), 'utf8');
    } catch {
      // no advice existed when the session started: no coin was tossed
    }
    stdouts.push(...(await hooks(prompt.event, prompt.payload, prompt.ns)));
    const advice = parseHookOutputs(stdouts);
    const decision = decide(task.habit, advice, adherence, deriveSeed(options.seed ^ 0xad0e, task.day * 100_003 + task.index + 1));
    const passed = outcomes(world, truth, task, decision.episodes);
    for (const p of workPayloads(task, project, decision.episodes, passed)) await hooks(p.event, p.payload, p.ns);
    const ids = keysOf(advice);
    return {
      advised: ids.length > 0,
      holdout: state.startsWith('{"holdout":true'),
      withheld: /"withheld":\["/.test(state),
      passed: passed.at(-1) === true,
      control: outcomes(world, truth, task, task.habit).at(-1) === true,
      ids,
    };
  };

  const days: LoopDay[] = [];
  let commits = 0;
  let last: readonly AdviceEffect[] = [];
  for (let day = 0; day < options.days; day++) {
    const tasks = Array.from({ length: options.sessions_per_day }, (_, i) => sessionTask(world, truth, day, i, options.sessions_per_day, DAY0));
    const runs: SessionRun[] = new Array(tasks.length);
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) {
        const i = next++;
        runs[i] = await runSession(tasks[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
    for (const r of runs) for (const id of r.ids) {
      if (!firstDay.has(id)) firstDay.set(id, day);
      lastDay.set(id, day);
    }
    const count = (f: (r: SessionRun) => boolean) => runs.filter(f).length;
    const row: LoopDay = {
      day: day + 1,
      sessions: runs.length,
      advised: count((r) => r.advised && !r.holdout),
      holdout: count((r) => r.holdout),
      withheld: count((r) => r.withheld && !r.holdout),
      pass_advised: rate(count((r) => r.advised && !r.holdout && r.passed), count((r) => r.advised && !r.holdout)),
      pass_holdout: rate(count((r) => r.holdout && r.passed), count((r) => r.holdout)),
      pass_control: rate(count((r) => r.control), runs.length),
      pass_advised_twins: rate(count((r) => r.advised && !r.holdout && r.control), count((r) => r.advised && !r.holdout)),
      pass_unadvised: rate(count((r) => !r.advised && !r.holdout && r.passed), count((r) => !r.advised && !r.holdout)),
    };
    days.push(row);
    options.onDay?.(row);
    if (day + 1 < (options.history_days ?? 0)) continue;
    // The night: the daemon's nightly run, after the day's last session.
    const night = await options.nightly(env, new Date(DAY0 + day * 86_400_000 + 23 * 3_600_000));
    if (night.committed) commits++;
    last = night.advice;
    for (const a of last) if (a.state === 'stopped' && !stoppedDay.has(a.id)) stoppedDay.set(a.id, day + 1);
  }
  const advice: LoopAdvice[] = last.map((a) => {
    const i = a.id.indexOf(':');
    const kind = a.id.slice(0, i);
    const steps = a.id.slice(i + 1).split(kind === 'parallel' ? '+' : '>');
    const first = firstDay.get(a.id);
    return {
      id: a.id,
      kind,
      steps,
      truth: truthOf(kind, steps, truth),
      first_day: first === undefined ? null : first + 1,
      uplift: a.effect,
      lower: a.effect_lower,
      upper: a.effect_upper,
      own_uplift: a.own_effect,
      own_lower: a.own_lower,
      own_upper: a.own_upper,
      judged_by: a.judged_by,
      state: a.state,
      stopped_day: stoppedDay.get(a.id) ?? null,
      last_day: lastDay.has(a.id) ? lastDay.get(a.id)! + 1 : null,
      told: a.known,
      holdout: a.holdout_known,
      withheld: a.withheld_known,
    };
  });
  const daysOf = (days: ReadonlyMap<string, number>, t: LoopAdvice['truth']): number[] =>
    [...days]
      .filter(([id]) => {
        const i = id.indexOf(':');
        return truthOf(id.slice(0, i), id.slice(i + 1).split('>'), truth) === t;
      })
      .map(([, d]) => d + 1);
  const firstOf = (t: LoopAdvice['truth']): number | null => {
    const ds = daysOf(firstDay, t);
    return ds.length ? Math.min(...ds) : null;
  };
  const trapLast = daysOf(lastDay, 'trap');
  const trapStops = advice.filter((a) => a.truth === 'trap' && a.stopped_day !== null).map((a) => a.stopped_day!);
  const lastTrap = trapLast.length ? Math.max(...trapLast) : null;
  const dropped = lastTrap !== null && lastTrap < options.days ? lastTrap + 1 : null;
  const milestones: LoopResult['milestones'] = {
    good_advised: firstOf('good'),
    anti_advised: firstOf('anti'),
    trap_advised: firstOf('trap'),
    trap_stopped: trapStops.length ? Math.min(...trapStops) : dropped,
    trap_stopped_by: trapStops.length ? 'advice test' : dropped !== null ? 'learner' : null,
    trap_last_advised: lastTrap,
  };
  const since = milestones.good_advised === null ? null : days.filter((d) => d.day >= milestones.good_advised!);
  const pooled = (rows: LoopDay[], n: (d: LoopDay) => number, p: (d: LoopDay) => number | null) => {
    let total = 0;
    let passed = 0;
    for (const d of rows) {
      const r = p(d);
      if (r === null) continue;
      total += n(d);
      passed += r * n(d);
    }
    return { rate: total ? passed / total : null, n: total };
  };
  let sinceGood: LoopResult['since_good'] = null;
  if (since) {
    const a = pooled(since, (d) => d.advised, (d) => d.pass_advised);
    const h = pooled(since, (d) => d.holdout, (d) => d.pass_holdout);
    const c = pooled(since, (d) => d.sessions, (d) => d.pass_control);
    sinceGood = { days: since.length, advised: a.rate, holdout: h.rate, control: c.rate, advised_n: a.n, holdout_n: h.n, control_n: c.n };
  }
  return {
    folder: root,
    seed: options.seed,
    adherence,
    holdout_share: options.holdout_share ?? null,
    withhold_share: options.withhold_share ?? null,
    days,
    advice,
    truth: { good: truth.good, anti: truth.anti, trap: truth.trap },
    milestones,
    since_good: sinceGood,
    commits,
  };
}
