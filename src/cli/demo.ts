// `demo` (and `start` when you have no data yet): installs the hooks into a scratch project, replays
// sample sessions through them as Claude Code would, ingests, learns, and shows what a new session
// would be told. The samples come from the seeded simulator (src/sim), so every run is the same.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { addDays } from 'date-fns';
import { replay } from '../demo/replay.js';
import { install } from '../install/install.js';
import { ingestSpool } from '../ingest/ingest.js';
import { packageRoot } from '../shell/package-root.js';
import { dataPaths } from '../shell/paths.js';
import { simulate } from '../sim/simulate.js';
import { defaultContext, type CliContext } from './cli-context.js';
import { CliError } from './errors.js';
import { commitNow, describeCommit, learnNow, sessionStartKey } from './learn-commands.js';
import { table } from './table.js';

export const DEMO_SEED = 20261129;
/** The machine id of the demo's data folder (shell/learning-commit.ts machineId reads it). */
export const DEMO_MACHINE_ID = 'dec0de00dec0de00';
export const DEMO_SESSIONS = 120;

export interface DemoOptions {
  dir?: string;
  sessions: number;
  json?: boolean;
  /** commit the learned library into this git repository (how this repository's patterns/ and metrics/ are made) */
  commitTo?: string;
}

function progress(label: string): (done: number, total: number) => void {
  if (!process.stderr.isTTY) return () => undefined;
  return (done, total) => {
    if (done % 50 !== 0 && done !== total) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

export async function runDemo(ctx: CliContext, opts: DemoOptions): Promise<Record<string, unknown>> {
  const root = opts.dir ? path.resolve(opts.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-meta-demo-'));
  const project = path.join(root, 'project');
  const home = path.join(root, 'home');
  const data = path.join(root, 'data');
  for (const d of [project, home, data]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  // Demo-sized evidence bar: a pattern needs 10 sessions (the default, 20, is for a real history).
  fs.writeFileSync(path.join(data, 'config.json'), `${JSON.stringify({ learn: { min_sessions: 10 }, daemon: { autostart: false } }, null, 2)}\n`);
  // The sample sessions come from one simulated machine, whichever machine runs the demo: a learning
  // commit's evidence file (metrics/evidence/<machine-id>.json) is then the same each time, instead of
  // adding another machine's copy of the same sessions to the team tables.
  fs.writeFileSync(path.join(data, 'machine-id'), `${DEMO_MACHINE_ID}\n`, { mode: 0o600 });

  const installed = install({ scope: 'project', projectDir: project, root: packageRoot(), home, nodeBin: process.execPath, now: new Date(0) });
  if (!installed.ok) throw new CliError(`demo: install failed: ${installed.error}`);

  const corpus = simulate({ seed: DEMO_SEED, sessions: opts.sessions, start_ms: Date.UTC(2026, 9, 1), days: 30, planted: { noise_mean: 6 } });
  // The samples were recorded elsewhere; they replay as if worked on in the scratch project.
  const payloads = corpus.payloads.map((p) => ({ ...p, payload: { ...p.payload, cwd: project } }));
  const env = { ...process.env, HOME: home, AGENTOPS_META_HOME: data };
  const replayed = await replay({ payloads, settingsFile: installed.settingsPath, projectDir: project, env, onProgress: progress('replaying sample sessions through the installed hooks') });

  const demoCtx: CliContext = { ...defaultContext(env), out: ctx.out, json: ctx.json };
  const paths = dataPaths(env);
  const pending = fs.readdirSync(paths.spool).filter((n) => n.endsWith('.json')).length;
  const captured = demoCtx.withStore((store) => {
    const report = ingestSpool({ paths, store });
    const events = store.events();
    const byEvent = new Map<string, number>();
    const byActor = new Map<string, number>();
    for (const e of events) {
      byEvent.set(e.event, (byEvent.get(e.event) ?? 0) + 1);
      if (e.actor && e.event !== 'PreToolUse') byActor.set(e.actor.kind, (byActor.get(e.actor.kind) ?? 0) + 1);
    }
    const tests = store.testRuns();
    return { report, byEvent, byActor, sessions: store.counts().sessions, tests: tests.length, passed: tests.filter((t) => t.passed).length };
  });
  const learned = learnNow(demoCtx, Date.UTC(2026, 10, 1));
  // The learning date of simulated data is the day after its last session, so reruns commit nothing new.
  const commit = opts.commitTo ? await commitNow(demoCtx, learned, addDays(learned.as_of, 1), path.resolve(opts.commitTo)) : null;

  const summary = {
    folder: root,
    hook_invocations: replayed.invocations,
    hook_failures: replayed.failures,
    spooled: pending,
    ingested: captured.report.inserted,
    quarantined: captured.report.quarantined,
    sessions: captured.sessions,
    events_by_hook: Object.fromEntries([...captured.byEvent].sort()),
    completed_calls_by_actor_kind: Object.fromEntries([...captured.byActor].sort()),
    test_runs: captured.tests,
    test_runs_passed: captured.passed,
    patterns: { sequential: learned.result.sequential.length, parallel: learned.result.parallel.length, anti: learned.result.anti.length },
    ...(commit ? { commit } : {}),
  };
  if (opts.json) return summary;

  ctx.out(`agentops-meta demo: ${opts.sessions} sample sessions replayed through the hooks installed in ${project}/.claude/settings.json\n`);
  ctx.out(`hook runs: ${replayed.invocations} (${replayed.failures} failed); payloads spooled: ${pending}; ingested: ${captured.report.inserted}; quarantined: ${captured.report.quarantined}\n`);
  ctx.out(table(['hook event', 'events'], [...captured.byEvent].sort((a, b) => b[1] - a[1])));
  ctx.out('');
  ctx.out(table(['completed calls by kind', 'count'], [...captured.byActor].sort((a, b) => b[1] - a[1])));
  ctx.out(`\ntest runs recognised: ${captured.tests} (${captured.passed} passed, ${captured.tests - captured.passed} failed) in ${captured.sessions} sessions\n`);
  const pct = (x: number | null) => (x === null ? '-' : `${Math.round(x * 100)}%`);
  ctx.out('What the learner found:');
  ctx.out(table(['kind', 'pattern', 'sessions', 'tests passed', 'baseline'], [
    ...learned.result.sequential.slice(0, 5).map((p) => ['do', p.steps.join(' → '), p.sessions, pct(p.pass_rate), pct(p.baseline)]),
    ...learned.result.parallel.filter((p) => p.kind === 'observed').slice(0, 3).map((p) => ['parallel', p.members.join(' + '), p.sessions, pct(p.pass_rate), pct(p.baseline)]),
    ...learned.result.anti.slice(0, 3).map((p) => ['avoid', p.steps.join(' → '), p.sessions, pct(p.pass_rate), pct(p.baseline)]),
  ]));
  // What the SessionStart hook would read for a new session in the scratch project.
  const startFile = path.join(paths.context, 'session-start', `${sessionStartKey(paths.context, project)}.ctx`);
  const start = fs.existsSync(startFile) ? (JSON.parse(fs.readFileSync(startFile, 'utf8')) as string) : '';
  ctx.out(`\nWhat a new session in the scratch project is told at SessionStart:\n\n${start ? start.replace(/^/gm, '  ') : '  (nothing: no pattern meets the evidence bar)'}\n`);
  if (commit) ctx.out(`${describeCommit(commit)}\n`);
  ctx.out(`Everything is in ${root} (data: ${data}). Explore it with:\n  AGENTOPS_META_HOME=${data} agentops-meta status | sessions | tests | patterns | plan`);
  return summary;
}

/** Is there anything of the user's own to learn from: a database with events, or a spool with payloads? */
function hasUserData(ctx: CliContext): boolean {
  const spooled = fs.existsSync(ctx.paths.spool) && fs.readdirSync(ctx.paths.spool).some((n) => n.endsWith('.json'));
  return spooled || (fs.existsSync(ctx.paths.db) && ctx.withStore((store) => store.counts().events > 0));
}

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('the main job: ingest and learn from your captured sessions and show the result; the demo when there are none yet')
    .option('--json', 'print a summary as JSON')
    .action(async (opts: { json?: boolean }) => {
      if (!hasUserData(ctx)) {
        if (!opts.json) ctx.out(`No captured sessions in ${ctx.paths.home} yet: running the demo on sample sessions.\n(Install the hooks with \`agentops-meta install --scope user\` and work as usual; then run this again.)\n`);
        const summary = await runDemo(ctx, { sessions: DEMO_SESSIONS, json: opts.json });
        if (opts.json) ctx.json({ demo: true, ...summary });
        return;
      }
      const { result, ingested, sessions } = learnNow(ctx);
      if (opts.json) return ctx.json({ demo: false, sessions, ingested, sequential: result.sequential.length, parallel: result.parallel.length, anti: result.anti.length });
      ctx.out(`learned from ${sessions} sessions (${ingested} new events ingested): ${result.sequential.length} sequential, ${result.parallel.length} parallel, ${result.anti.length} anti-patterns`);
      ctx.out('See them with `agentops-meta patterns`, and what a new session is told with `agentops-meta plan`.');
    });

  program
    .command('demo')
    .description('replay sample sessions through freshly installed hooks in a scratch folder, then ingest, learn and show the result')
    .option('--dir <dir>', 'scratch folder to use (default: a new temporary folder)')
    .option('--sessions <n>', 'number of sample sessions', (v) => Number(v), DEMO_SESSIONS)
    .option('--commit-to <repo>', 'commit the learned pattern library into this git repository')
    .option('--json', 'print a summary as JSON')
    .action(async (opts: DemoOptions) => {
      const summary = await runDemo(ctx, opts);
      if (opts.json) ctx.json(summary);
    });
}
