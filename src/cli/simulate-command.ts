// `simulate`: weeks of use in a scratch folder (issue 14). Every simulated day runs its sessions
// through the installed hooks, with an agent that reads the advice, then the daemon's nightly run
// (ingest, learn, planner context, learning commit into a scratch repository); a control run of the
// same world runs without the product. See src/shell/loop-run.ts.
import type { Command } from 'commander';
import { DEFAULT_ADHERENCE } from '../sim/agent-policy.js';
import { runLoop, type LoopResult, type Nightly } from '../shell/loop-run.js';
import { parsePositiveInt } from './capture-commands.js';
import { defaultContext, type CliContext } from './cli-context.js';
import { UsageError } from './errors.js';
import { commitNow, learnNow } from './learn-commands.js';
import { table } from './table.js';

/** The nightly run the daemon does (daemon-command.ts): learn, then commit the library. */
export const productNightly: Nightly = async (env, now) => {
  const ctx: CliContext = { ...defaultContext(env), out: () => undefined, json: () => undefined };
  const run = learnNow(ctx, now.getTime());
  const report = await commitNow(ctx, run, now);
  return { advice: run.advice, committed: report.outcome.status === 'committed' };
};

function share(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`expected a number from 0 to 1, got "${value}"`);
  return n;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${Math.round(x * 100)}%`);
const pts = (x: number | null) => (x === null ? '-' : `${x >= 0 ? '+' : ''}${Math.round(x * 100)}`);

export interface SimulateOptions {
  days: number;
  sessionsPerDay: number;
  seed: number;
  adherence: number;
  holdout?: number;
  withhold?: number;
  historyDays?: number;
  dir?: string;
  json?: boolean;
}

/** The JSON document of a run: the issue's keys first, then the rest of the result. */
export function simulationJson(r: LoopResult): Record<string, unknown> {
  return {
    days: r.days,
    advice: r.advice,
    truth: r.truth,
    milestones: r.milestones,
    since_good: r.since_good,
    seed: r.seed,
    adherence: r.adherence,
    holdout_share: r.holdout_share,
    withhold_share: r.withhold_share,
    commits: r.commits,
    folder: r.folder,
  };
}

export function printSimulation(ctx: CliContext, r: LoopResult): void {
  ctx.out(`SIMULATION (seed ${r.seed}, adherence ${r.adherence}): ${r.days.length} days of ${r.days[0]?.sessions ?? 0} sessions through the installed hooks, learned and committed every night in ${r.folder}\n`);
  ctx.out(`planted: good ${r.truth.good.join(' → ')}; anti ${r.truth.anti.join(' → ')}; trap ${r.truth.trap.join(' → ')} (used on easy tasks, does not help)\n`);
  ctx.out(table(['day', 'sessions', 'advised', 'withheld 1', 'holdout', 'pass advised', 'pass holdout', 'pass control'], r.days.map((d) => [d.day, d.sessions, d.advised, d.withheld, d.holdout, pct(d.pass_advised), pct(d.pass_holdout), pct(d.pass_control)])));
  ctx.out('\nDid the advice help? (anytime-valid 95% confidence sequences: told vs holdout, and told vs the sessions it alone was withheld from)');
  const interval = (lo: number | null, hi: number | null) => (lo === null || hi === null ? '-' : `${pts(lo)} .. ${pts(hi)}`);
  ctx.out(table(['advice', 'planted', 'first day', 'last day', 'vs holdout', 'interval', 'on its own', 'interval', 'judged by', 'state', 'stopped day'], r.advice.map((a) => [
    `${a.kind === 'avoid' ? 'avoid ' : ''}${a.steps.join(a.kind === 'parallel' ? ' + ' : ' → ')}`,
    a.truth ?? '-',
    a.first_day ?? '-',
    a.last_day ?? '-',
    pts(a.uplift),
    interval(a.lower, a.upper),
    pts(a.own_uplift),
    interval(a.own_lower, a.own_upper),
    a.judged_by,
    a.state,
    a.stopped_day ?? '-',
  ])));
  const m = r.milestones;
  ctx.out(`\ngood recipe first advised: day ${m.good_advised ?? '-'}; anti: day ${m.anti_advised ?? '-'}; trap: day ${m.trap_advised ?? '-'}, last advised: day ${m.trap_last_advised ?? '-'}, stopped: ${m.trap_stopped === null ? 'no' : `day ${m.trap_stopped}, by ${m.trap_stopped_by}`}`);
  if (r.since_good) {
    const s = r.since_good;
    ctx.out(`from day ${m.good_advised}: advised ${pct(s.advised)} of ${s.advised_n}, holdout ${pct(s.holdout)} of ${s.holdout_n}, control ${pct(s.control)} of ${s.control_n} sessions`);
  }
}

export function registerSimulateCommand(program: Command, ctx: CliContext): void {
  program
    .command('simulate')
    .description('simulate weeks of use in a scratch folder: sessions through the installed hooks with an agent that reads the advice, the nightly learning run, and a control run without the product')
    .option('--days <n>', 'simulated days', parsePositiveInt, 60)
    .option('--sessions-per-day <n>', 'sessions a day', parsePositiveInt, 20)
    .option('--seed <n>', 'world seed', parsePositiveInt, 1)
    .option('--adherence <q>', 'chance that the agent follows (or avoids) each piece of advice', share, DEFAULT_ADHERENCE)
    .option('--holdout <share>', 'planner.holdout_share in the scratch config (default: the product default)', share)
    .option('--withhold <share>', 'planner.withhold_share in the scratch config (default: the product default)', share)
    .option('--history-days <n>', 'days of habitual sessions before the first nightly run, as if backfilled when the product was installed', parsePositiveInt)
    .option('--dir <dir>', 'scratch folder (default: a new temporary folder)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: SimulateOptions) => {
      const progress = !opts.json && process.stderr.isTTY;
      const result = await runLoop({
        days: opts.days,
        sessions_per_day: opts.sessionsPerDay,
        seed: opts.seed,
        adherence: opts.adherence,
        holdout_share: opts.holdout,
        withhold_share: opts.withhold,
        history_days: opts.historyDays,
        dir: opts.dir,
        nightly: productNightly,
        onDay: progress ? (d) => process.stderr.write(`\rday ${d.day}/${opts.days}`) : undefined,
      });
      if (progress) process.stderr.write('\n');
      if (opts.json) return ctx.json(simulationJson(result));
      printSimulation(ctx, result);
    });
}
