// learn, patterns, plan: run the learner, show what it found, show what a session would be told.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { format } from 'date-fns';
import type { Config } from '../config/schema.js';
import type { SessionTrace } from '../core/types.js';
import type { AdviceEffect } from '../learn/advice-effect.js';
import type { AdviceDay } from '../report/advice-panel.js';
import type { LaterEvidence } from '../learn/prospective.js';
import type { LearnResult } from '../learn/types.js';
import { evaluateLearning } from '../shell/evaluate-run.js';
import { learningCommit, type LearningCommitReport } from '../shell/learning-commit.js';
import { scoreBm25 } from '../plan/bm25.js';
import { projectSlug, type ContextBundle } from '../plan/context-bundle.js';
import { selectForPrompt } from '../plan/select.js';
import { ingestSpool } from '../ingest/ingest.js';
import { writeCaptureRules, writeContext } from '../shell/planner-context-writer.js';
import { learningNotice, recordLearningNotice, withHealth } from '../shell/health.js';
import { runLearning } from '../shell/learn-run.js';
import { learnFromSharedStore, orgEvidenceId, type OrgScope } from '../org/learn-org.js';
import { remoteKey } from '../org/ship.js';
import { openPostgresStore } from '../store/postgres.js';
import { packageRoot } from '../shell/package-root.js';
import { effectiveConfig } from './config-command.js';
import type { CliContext } from './cli-context.js';
import { CliError, UsageError } from './errors.js';
import { POSTGRES_URL } from './ship-command.js';
import { parsePositiveInt } from './capture-commands.js';
import { table } from './table.js';

const pct = (x: number | null) => (x === null ? null : `${(x * 100).toFixed(0)}%`);

export function learnedFile(ctx: CliContext): string {
  return path.join(ctx.paths.home, 'learned.json');
}

/** Ingest, learn, precompute the planner context; returns the result (also cached for `patterns`). */
export interface LearnNow {
  result: LearnResult;
  ingested: number;
  sessions: number;
  traces: SessionTrace[];
  advice: AdviceEffect[];
  advice_days: AdviceDay[];
  as_of: number;
  /** what the sessions after each pattern's first report say, by prospectiveKey */
  later: Map<string, LaterEvidence>;
}

/** store.advice "shared": this machine's planner context is learned from the shared store, not by the local runs. */
export function adviceFromShared(config: Config): boolean {
  return config.store.advice === 'shared' && config.store.remote !== null;
}

function writePlannerContext(ctx: CliContext, config: Config, bundle: ContextBundle): void {
  writeContext({
    dir: ctx.paths.context,
    bundle,
    autostart: config.daemon.autostart ? { node: process.execPath, cli: path.join(packageRoot(), 'bin', 'agentops-meta.js') } : null,
  });
}

export function learnNow(ctx: CliContext, now = Date.now()): LearnNow {
  const { config } = effectiveConfig(ctx, null);
  return ctx.withStore((store) => {
    const ingest = withHealth(ctx.paths.context, () => ingestSpool({ paths: ctx.paths, store, maxFieldChars: config.privacy.max_field_chars }));
    const run = runLearning(store, config, now);
    if (!adviceFromShared(config)) writePlannerContext(ctx, config, run.bundle);
    writeCaptureRules(ctx.paths.context, config.privacy.exclude_entrypoints);
    const { evidence: _evidence, ...summary } = run.result;
    fs.writeFileSync(learnedFile(ctx), JSON.stringify({ learned_at: new Date(now).toISOString(), ...summary }), { mode: 0o600 });
    store.setMeta('last_learn', new Date(now).toISOString());
    return { result: run.result, ingested: ingest.inserted, sessions: run.traces.length, traces: run.traces, advice: run.advice, advice_days: run.advice_days, as_of: run.as_of, later: run.later };
  });
}

/**
 * Learns from the shared store (src/org/learn-org.ts); the team gets the result through the
 * committed library (--commit). This machine's planner context is written from it only when
 * `plannerContext` (store.advice "shared", and this is store.remote): otherwise it is the local
 * runs'. learned.json stays the local runs'.
 */
async function learnShared(ctx: CliContext, config: Config, url: string, scope: OrgScope, now: number, plannerContext: boolean): Promise<LearnNow> {
  const store = await openPostgresStore({ url, maxConnections: 2 }).catch((e: unknown) => {
    throw new CliError(`cannot open the shared store at ${remoteKey(url)}: ${(e as Error).message}`, 1);
  });
  try {
    const run = await learnFromSharedStore(store, config, scope, now);
    if (plannerContext) writePlannerContext(ctx, config, run.bundle);
    return { result: run.result, ingested: 0, sessions: run.traces.length, traces: run.traces, advice: run.advice, advice_days: run.advice_days, as_of: run.as_of, later: run.later };
  } finally {
    await store.close();
  }
}

/**
 * The daemon's nightly step with store.advice "shared": this machine's planner context from the
 * shared store (store.team's sessions when set). Never throws: a store that cannot be read leaves
 * the advice the planner has. Returns the line for the daemon's log.
 */
export async function refreshSharedAdvice(ctx: CliContext, now = Date.now()): Promise<string> {
  const { config } = effectiveConfig(ctx, null);
  if (!adviceFromShared(config)) return '';
  const url = config.store.remote!;
  try {
    const run = await learnShared(ctx, config, url, { team: config.store.team ?? undefined }, now, true);
    return `advice: learned from ${run.sessions} sessions in the shared store ${remoteKey(url)}`;
  } catch (e) {
    return `advice: the shared store ${remoteKey(url)} could not be read (${(e as Error).message}); the planner keeps the advice it has`;
  }
}

/** Local date of a learning run, as the nightly schedule counts days. */
export function localDate(d: Date): string {
  return format(d, 'yyyy-MM-dd');
}

/** Evaluate next-activity prediction on held-out sessions, render the library and commit it. */
export async function commitNow(ctx: CliContext, run: LearnNow, now: Date, repo?: string, evidenceId?: string): Promise<LearningCommitReport> {
  const { config } = effectiveConfig(ctx, null);
  const { evaluation } = evaluateLearning(run.traces, config);
  const report = await learningCommit({ result: run.result, evaluation, advice: run.advice, advice_days: run.advice_days, later: run.later, date: localDate(now), config, paths: ctx.paths, repo, evidenceId });
  recordLearningNotice(ctx.paths.context, learningNotice(report));
  return report;
}

export function describeCommit(c: LearningCommitReport): string {
  const o = c.outcome;
  if (o.status === 'committed') return `learning commit ${o.sha.slice(0, 10)} in ${c.repo}: ${o.changed.length} files changed${o.warning ? ` (warning: ${o.warning})` : ''}`;
  if (o.status === 'unchanged') return `no learning commit: nothing changed in ${c.repo}`;
  if (o.status === 'skipped') return `no learning commit: ${o.reason}`;
  return `learning commit deferred: ${o.reason}`;
}

function printPatterns(ctx: CliContext, result: Pick<LearnResult, 'sequential' | 'parallel' | 'anti'>, kind: string | undefined, top: number): void {
  if (!kind || kind === 'sequential') {
    ctx.out('Sequential patterns that go with passing tests');
    ctx.out(table(['steps', 'sessions', 'pass', 'baseline', 'bound'], result.sequential.slice(0, top).map((p) => [p.steps.join(' → '), p.sessions, pct(p.pass_rate), pct(p.baseline), p.bound === null ? null : p.bound.toFixed(3)])));
  }
  if (!kind || kind === 'parallel') {
    ctx.out('\nParallel patterns');
    ctx.out(table(['members', 'kind', 'sessions', 'pass', 'baseline', 'saved'], result.parallel.slice(0, top).map((p) => [p.members.join(' + '), p.kind, p.sessions, pct(p.pass_rate), pct(p.baseline), p.saved_ms ? `${(p.saved_ms / 1000).toFixed(1)} s` : null])));
  }
  if (!kind || kind === 'anti') {
    ctx.out('\nAnti-patterns (go with failing tests)');
    ctx.out(table(['steps', 'sessions', 'pass', 'baseline', 'bound'], result.anti.slice(0, top).map((p) => [p.steps.join(' → '), p.sessions, pct(p.pass_rate), pct(p.baseline), p.bound === null ? null : p.bound.toFixed(3)])));
  }
}

export function registerLearnCommands(program: Command, ctx: CliContext): void {
  program
    .command('learn')
    .description('ingest, mine patterns, and precompute what new sessions are told; with --commit, commit the pattern library to git')
    .option('--commit', 'render patterns/ and metrics/ and commit them to the learning repository')
    .option('--repo <dir>', 'learning repository for --commit (default: config nightly.repo, else <data>/library)')
    .option('--store <url>', 'learn from the shared PostgreSQL store (postgres://…) instead of this machine\'s: every shipped machine\'s sessions')
    .option('--project <name>', 'with --store: only this project\'s sessions (its folder, or the folder\'s last segment)')
    .option('--team <label>', 'with --store: only the events shipped with this store.team label')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean; commit?: boolean; repo?: string; store?: string; project?: string; team?: string }) => {
      if (opts.repo && !opts.commit) throw new UsageError('--repo goes with --commit');
      if ((opts.project !== undefined || opts.team !== undefined) && !opts.store) throw new UsageError('--project and --team go with --store');
      if (opts.store && !POSTGRES_URL.test(opts.store)) throw new UsageError(`--store must be a postgres:// URL, got "${remoteKey(opts.store)}"`);
      const scope: OrgScope = { project: opts.project, team: opts.team };
      const { config } = effectiveConfig(ctx, null);
      // store.advice "shared": learning from this machine's store.remote is also where its advice comes from
      const plannerContext = opts.store !== undefined && adviceFromShared(config) && remoteKey(opts.store) === remoteKey(config.store.remote!);
      const run = opts.store ? await learnShared(ctx, config, opts.store, scope, Date.now(), plannerContext) : learnNow(ctx);
      const { result, ingested, sessions } = run;
      // From the shared store, the evidence is the org's (every shipping machine's), named so it replaces the machines' files.
      const commit = opts.commit ? await commitNow(ctx, run, new Date(), opts.repo, opts.store ? orgEvidenceId(scope) : undefined) : null;
      if (opts.json) {
        const { evidence: _e, ...rest } = result;
        return ctx.json({ ingested, sessions, ...rest, ...(commit ? { commit } : {}) });
      }
      if (commit) ctx.out(describeCommit(commit));
      ctx.out(`learned from ${sessions} sessions (${result.stats.events} steps, ${result.stats.known_sessions} with test results); ingested ${ingested} new events`);
      ctx.out(`${result.sequential.length} sequential, ${result.parallel.length} parallel, ${result.anti.length} anti-patterns\n`);
      printPatterns(ctx, result, undefined, 5);
    });

  program
    .command('patterns')
    .description('the patterns of the last learning run, with their evidence')
    .option('--kind <kind>', 'sequential, parallel or anti')
    .option('--top <n>', 'at most N of each kind', parsePositiveInt, 10)
    .option('--json', 'print as JSON')
    .action((opts: { kind?: string; top: number; json?: boolean }) => {
      if (opts.kind && !['sequential', 'parallel', 'anti'].includes(opts.kind)) throw new UsageError(`--kind must be sequential, parallel or anti, got "${opts.kind}"`);
      const file = learnedFile(ctx);
      const learned = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as LearnResult) : learnNow(ctx).result;
      const pick = <T>(k: string, list: T[]) => (!opts.kind || opts.kind === k ? list.slice(0, opts.top) : []);
      const shown = { sequential: pick('sequential', learned.sequential), parallel: pick('parallel', learned.parallel), anti: pick('anti', learned.anti) };
      if (opts.json) return ctx.json(shown);
      printPatterns(ctx, shown, opts.kind, opts.top);
    });

  program
    .command('plan')
    .description('print exactly what would be injected into a session, and why each item was chosen')
    .option('--event <event>', 'SessionStart, UserPromptSubmit or SubagentStart', 'SessionStart')
    .option('--prompt <text>', 'the prompt (UserPromptSubmit)')
    .option('--agent <type>', 'the subagent type (SubagentStart)')
    .option('--cwd <dir>', 'project folder (default: the current folder)')
    .option('--json', 'print as JSON')
    .action((opts: { event: string; prompt?: string; agent?: string; cwd?: string; json?: boolean }) => {
      const dir = ctx.paths.context;
      const read = <T>(name: string): T | null => (fs.existsSync(path.join(dir, name)) ? (JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as T) : null);
      let plan: { event: string; source: string; text: string; ids: string[]; why: string[] };
      if (opts.event === 'SessionStart') {
        const key = sessionStartKey(dir, path.resolve(opts.cwd ?? process.cwd()));
        const text = read<string>(`session-start/${key}.ctx`) ?? '';
        const ids = read<string[]>(`session-start/${key}.ids`) ?? [];
        const why = [key === 'global' ? 'no project-specific advice for this folder: global advice' : `advice learned from this project's own sessions (${key})`, 'ranked by the lower confidence bound of the uplift in test pass rate; cut to the character budget'];
        plan = { event: 'SessionStart', source: key, text, ids, why };
      } else if (opts.event === 'UserPromptSubmit') {
        if (!opts.prompt) throw new UsageError('--prompt is required with --event UserPromptSubmit');
        const prompt = read<ContextBundle['prompt']>('prompt.json');
        const rendered = prompt ? selectForPrompt(prompt, opts.prompt, new Set()) : { text: '', ids: [] };
        const scores = prompt ? scoreBm25(prompt.index, opts.prompt) : [];
        const why = rendered.ids.map((id) => `${id}: relevance ${scores.find((s) => s.id === id)?.score.toFixed(2)} (BM25 over the prompts of the sessions it occurred in; threshold ${prompt?.min_relevance})`);
        plan = { event: 'UserPromptSubmit', source: 'prompt.json', text: rendered.text, ids: rendered.ids, why };
      } else if (opts.event === 'SubagentStart') {
        if (!opts.agent) throw new UsageError('--agent is required with --event SubagentStart');
        const r = read<ContextBundle['subagents']>('subagents.json')?.[opts.agent];
        plan = { event: 'SubagentStart', source: 'subagents.json', text: r?.text ?? '', ids: r?.ids ?? [], why: [`patterns learned from the tool calls of "${opts.agent}" subagents`] };
      } else {
        throw new UsageError(`--event must be SessionStart, UserPromptSubmit or SubagentStart, got "${opts.event}"`);
      }
      if (opts.json) return ctx.json(plan);
      if (!plan.text) return ctx.out(`nothing would be injected at ${plan.event}: no pattern meets the evidence bar yet (run \`agentops-meta learn\` after more sessions)`);
      ctx.out(`At ${plan.event} (${plan.text.length} characters):\n\n${plan.text}\n\nWhy:\n${plan.why.map((w) => `- ${w}`).join('\n')}`);
    });
}

/**
 * The advice file the SessionStart hook would read for a folder: the folder's own, else that of the
 * nearest folder above it that has one (projects are learned by git root), else the global one.
 */
export function sessionStartKey(contextDir: string, folder: string): string {
  for (let d = folder; ; d = path.dirname(d)) {
    const slug = projectSlug(d);
    if (fs.existsSync(path.join(contextDir, 'session-start', `${slug}.ctx`))) return slug;
    if (path.dirname(d) === d) return 'global';
  }
}
