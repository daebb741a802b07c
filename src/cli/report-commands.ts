// report, catalog, doctor: see what was learned, what is installed and used, and whether the install
// is healthy. This file gathers the inputs (store, spool, files, git); src/report, src/catalog and
// src/doctor compute and render.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { joinCatalog } from '../catalog/join.js';
import { scanInstalled } from '../catalog/scan.js';
import type { Catalog, CatalogRow } from '../catalog/types.js';
import type { Config } from '../config/schema.js';
import type { Injection } from '../learn/advice-effect.js';
import type { SessionTrace } from '../core/types.js';
import { firstIssue } from '../core/zod-issue.js';
import { formatDoctor, runDoctor } from '../doctor/doctor.js';
import { loadLatency } from '../doctor/latency.js';
import { evalHistory } from '../shell/learning-repo.js';
import { spoolState } from '../doctor/state-checks.js';
import { buildTraces } from '../learn/traces.js';
import type { LearnResult } from '../learn/types.js';
import { buildReport, evalPoint, type EvalPoint, type LearnedPatterns } from '../report/build-report.js';
import { renderHtml, type HtmlInput } from '../report/html.js';
import { planPanelData, type PlanPanel } from '../report/plan-panel.js';
import type { QualityDoc } from '../report/power.js';
import { renderTerminal } from '../report/terminal.js';
import { ago, pct, textTable } from '../report/text-charts.js';
import { usageIndex } from '../report/usage.js';
import { evaluateLearning } from '../shell/evaluate-run.js';
import { injectionsOf, learnAll, readAdviceStops } from '../shell/learn-run.js';
import { packageRoot } from '../shell/package-root.js';
import { learningRepo } from '../shell/paths.js';
import { effectiveConfig } from './config-command.js';
import type { CliContext } from './cli-context.js';
import { CliError, UsageError } from './errors.js';
import { learnedFile, localDate } from './learn-commands.js';
import { formatBytes } from './table.js';

/** Fewer sessions than this and a held-out evaluation says nothing: the test split would be a handful. */
const MIN_SESSIONS_TO_EVALUATE = 8;

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(env: NodeJS.ProcessEnv = process.env, stream: { isTTY?: boolean } = process.stdout): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

interface Stored {
  traces: SessionTrace[];
  /** the planner hooks' records of what advice went into which session (and the holdout) */
  injections: Injection[];
  /** advice stopped on earlier nights: stays stopped in the panel as in the planner */
  advice_stops: Map<string, number>;
  testRuns: { ts_ms: number; passed: boolean }[];
  events: number;
  quarantined: number;
  last_ingest: string | null;
  last_learn: string | null;
}

function readStore(ctx: CliContext): Stored {
  return ctx.withStore((store) => {
    const counts = store.counts();
    const events = store.events();
    return {
      traces: buildTraces(events),
      injections: injectionsOf(events),
      advice_stops: readAdviceStops(store),
      testRuns: store.testRuns().map((r) => ({ ts_ms: r.ts_ms, passed: r.passed })),
      events: counts.events,
      quarantined: counts.quarantined,
      last_ingest: store.getMeta('last_ingest'),
      last_learn: store.getMeta('last_learn'),
    };
  });
}

/** The last learning run (learned.json), else patterns learned now in memory (nothing is written). */
function learnedPatterns(ctx: CliContext, traces: SessionTrace[], config: Config, now: number): LearnedPatterns | null {
  const file = learnedFile(ctx);
  if (fs.existsSync(file)) {
    try {
      const j = JSON.parse(fs.readFileSync(file, 'utf8')) as Omit<LearnResult, 'evidence'> & { learned_at?: string };
      return { sequential: j.sequential ?? [], parallel: j.parallel ?? [], anti: j.anti ?? [], stats: j.stats ?? null, learned_at: j.learned_at ?? null };
    } catch {
      // unreadable: learn again below
    }
  }
  if (traces.length === 0) return null;
  const r = learnAll(traces, config, asOf(traces, now));
  return { sequential: r.sequential, parallel: r.parallel, anti: r.anti, stats: r.stats, learned_at: null };
}

/** As the learner weighs evidence: at the end of the newest session. */
function asOf(traces: SessionTrace[], fallback: number): number {
  const newest = traces.reduce((m, t) => Math.max(m, t.end_ms), -Infinity);
  return Number.isFinite(newest) ? newest : fallback;
}

/**
 * Committed metrics/eval.json versions, and the newest one's plan evaluation; else an evaluation of
 * the current data (not committed).
 */
function evaluations(ctx: CliContext, traces: SessionTrace[], config: Config, now: number, repo?: string): { points: EvalPoint[]; plan: PlanPanel | null } {
  let versions: ReturnType<typeof evalHistory> = [];
  try {
    versions = evalHistory(learningRepo(config.nightly.repo, ctx.paths, repo).dir);
  } catch {
    versions = [];
  }
  const history = versions.flatMap((v) => evalPoint(v.json, v.at, v.sha) ?? []);
  const plan = versions.reduceRight<PlanPanel | null>((found, v) => found ?? planPanelData(v.json, v.at, v.sha), null);
  if (history.length || traces.length < MIN_SESSIONS_TO_EVALUATE) return { points: history, plan };
  const evaluation = evaluateLearning(traces, config, asOf(traces, now)).evaluation;
  const at = new Date(now).toISOString();
  const current = evalPoint(evaluation, at, null);
  return { points: current ? [current] : [], plan: plan ?? planPanelData(evaluation, at, null) };
}

const share = z.number().min(0).max(1);
const sweepRowSchema = z.object({
  kind: z.string().min(1),
  sessions: z.number().int().positive(),
  worlds: z.number().int().nonnegative(),
  good_top3: share,
  anti_flagged: share,
  good_sub_or_super: share,
  anti_sub_or_super: share,
  any_report: share,
  learn_ms_median: z.number().nonnegative(),
  learn_ms_max: z.number().nonnegative(),
});
/** metrics/quality.json as bench/quality.mjs writes it (src/sim/world-sweep.ts SweepRow per setting). */
const qualityDocSchema = z.object({
  generated_by: z.string(),
  node_e0_ms: z.number(),
  worlds_per_setting: z.number().int().positive(),
  settings: z.array(sweepRowSchema).min(1),
});

/** The benchmark file shipped with the package: the report's power curve reads it. */
export function shippedQualityFile(): string {
  return path.join(packageRoot(), 'metrics', 'quality.json');
}

/** The simulated worlds' benchmark, or why the report goes without it (one line). Never throws. */
export function loadQuality(file: string): { doc: QualityDoc; note: null } | { doc: null; note: string } {
  const without = (why: string) => ({ doc: null, note: `no power curve in the report: ${file} ${why} (\`npm run bench -- quality\` writes it)` });
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return without((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return without('is not JSON');
  }
  const parsed = qualityDocSchema.safeParse(json);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    return without(`is not a quality benchmark${issue ? ` (${issue})` : ''}`);
  }
  return { doc: parsed.data, note: null };
}

export function gatherCatalog(projectDir: string, traces: SessionTrace[], learned: LearnedPatterns | null, home: string): Catalog {
  return joinCatalog(scanInstalled({ home, projectDir }), usageIndex(traces), learned);
}

export interface ReportFlags {
  html?: string;
  json?: boolean;
  project?: string;
  repo?: string;
}

export function gatherReport(ctx: CliContext, flags: ReportFlags, now = Date.now(), home = os.homedir(), qualityFile?: string): HtmlInput {
  const projectDir = path.resolve(flags.project ?? process.cwd());
  const { config } = effectiveConfig(ctx, projectDir);
  const stored = readStore(ctx);
  const learned = learnedPatterns(ctx, stored.traces, config, now);
  const spool = spoolState(ctx.paths);
  let quality: ReturnType<typeof loadQuality>;
  try {
    quality = loadQuality(qualityFile ?? shippedQualityFile());
  } catch (e) {
    quality = { doc: null, note: `no power curve in the report: ${(e as Error).message}` };
  }
  const evaluated = evaluations(ctx, stored.traces, config, now, flags.repo);
  const report = buildReport({
    traces: stored.traces,
    testRuns: stored.testRuns,
    events: stored.events,
    learned,
    health: {
      pending_spool: spool.pending,
      oldest_pending_ms: spool.oldest_ms,
      partial_writes: spool.partial,
      quarantined: stored.quarantined,
      last_ingest: stored.last_ingest,
      last_learn: stored.last_learn,
    },
    latency: loadLatency(ctx.paths),
    catalog: gatherCatalog(projectDir, stored.traces, learned, home),
    evaluations: evaluated.points,
    now,
    dayOf: (ms) => localDate(new Date(ms)),
    quality: quality.doc,
    quality_note: quality.note,
    injections: stored.injections,
    advice_stops: stored.advice_stops,
    max_gap: config.learn.max_gap,
  });
  return { ...report, plan_eval: evaluated.plan };
}

function writeHtml(file: string, html: string): void {
  const target = path.resolve(file);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw new UsageError(`--html needs a file name, and ${file} is a folder`, `e.g. --html ${path.join(file, 'report.html')}`);
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, html);
  } catch (e) {
    throw new CliError(`cannot write ${target}: ${(e as Error).message}`);
  }
}

function catalogText(c: Catalog, now: number, width: number): string {
  const status = (r: CatalogRow) => (r.builtin ? 'built-in' : !r.installed ? 'not found' : r.usage.calls === 0 ? 'never used' : '');
  const from = (r: CatalogRow) => (r.kind === 'plugin' ? (r.enabled === false ? 'disabled' : r.version ? `v${r.version}` : '') : r.plugin ? `plugin ${r.plugin}` : (r.source ?? ''));
  const headers = ['kind', 'name', 'from', 'calls', 'sessions', 'errors', 'green', 'last used', 'patterns', 'description'];
  const rows = c.rows.map((r) => [
    r.kind,
    r.name,
    from(r),
    String(r.usage.calls),
    String(r.usage.sessions),
    pct(r.usage.error_rate),
    pct(r.usage.pass_rate),
    r.usage.last_used_ms === null ? status(r) || '-' : ago(r.usage.last_used_ms, now),
    String(r.patterns.length),
    r.description ?? (status(r) === 'not found' ? '(used, but not found installed)' : ''),
  ]);
  // The description takes what is left of the line.
  const fixed = headers.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const room = Math.max(20, width - fixed.reduce((s, w) => s + w + 2, 2));
  for (const r of rows) if (r[9]!.length > room) r[9] = `${r[9]!.slice(0, room - 1)}…`;
  const out = [textTable(headers, rows, ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left', 'right', 'left'], '')];
  if (c.marketplaces.length) {
    out.push('', 'Marketplaces:');
    for (const m of c.marketplaces) out.push(`  ${m.name}${m.source ? `  ${m.source}` : ''}${m.plugins !== null ? `  (${m.plugins} plugins offered)` : ''}`);
  }
  if (c.warnings.length) out.push('', 'Could not read:', ...c.warnings.map((w) => `  ${w}`));
  return out.join('\n');
}

export interface ReportCommandOptions {
  /** the user's home folder, holding ~/.claude (default os.homedir(); tests pass a sandbox) */
  home?: () => string;
  /** the simulated worlds' benchmark for the power curve (default: metrics/quality.json in the package) */
  qualityFile?: () => string;
}

export function registerReportCommands(program: Command, ctx: CliContext, options: ReportCommandOptions = {}): void {
  const home = () => options.home?.() ?? os.homedir();
  program
    .command('report')
    .description('what was captured and learned: activity, test pass trend, top patterns with evidence, capture health')
    .option('--html <file>', 'also write a self-contained HTML dashboard (charts, the directly-follows graph) to FILE')
    .option('--project <dir>', 'project folder whose installed agents, skills and MCP servers are listed (default: the current folder)')
    .option('--repo <dir>', 'learning repository whose metrics/eval.json history is charted (default: as `learn --commit` chooses)')
    .option('--json', 'print the report data as JSON')
    .action((flags: ReportFlags) => {
      const data = gatherReport(ctx, flags, Date.now(), home(), options.qualityFile?.());
      if (flags.html) {
        const html = renderHtml(data);
        writeHtml(flags.html, html);
        if (!flags.json) ctx.out(`wrote ${path.resolve(flags.html)} (${formatBytes(Buffer.byteLength(html))}); open it in a browser`);
        if (!flags.json && data.power_note) ctx.out(data.power_note);
      }
      if (flags.json) return ctx.json(data);
      if (!flags.html) ctx.out(renderTerminal(data, { colour: useColour(), width: process.stdout.columns ?? 100 }));
    });

  program
    .command('catalog')
    .description('installed plugins, subagents, skills, slash commands and MCP servers, with how often each was used and how those sessions went')
    .option('--project <dir>', 'project folder (default: the current folder)')
    .option('--json', 'print as JSON')
    .action((flags: { project?: string; json?: boolean }) => {
      const projectDir = path.resolve(flags.project ?? process.cwd());
      const { config } = effectiveConfig(ctx, projectDir);
      const stored = readStore(ctx);
      const learned = learnedPatterns(ctx, stored.traces, config, Date.now());
      const catalog = gatherCatalog(projectDir, stored.traces, learned, home());
      if (flags.json) return ctx.json(catalog);
      if (!catalog.rows.length) return ctx.out(`Nothing installed in ${path.join(home(), '.claude')} or ${path.join(projectDir, '.claude')}, and no agent, skill, command or MCP use captured yet.`);
      ctx.out(catalogText(catalog, Date.now(), process.stdout.columns ?? 160));
    });

  program
    .command('doctor')
    .description('check the install in every settings scope, time the capture hook, and look at the daemon, spool, database, learning repository and config; exit 1 on a problem')
    .option('--project <dir>', 'project folder for the project and local settings scopes (default: the current folder)')
    .option('--json', 'print as JSON')
    .action((flags: { project?: string; json?: boolean }) => {
      const report = runDoctor({ paths: ctx.paths, home: home(), projectDir: path.resolve(flags.project ?? process.cwd()), packageRoot: packageRoot() });
      if (flags.json) ctx.json(report);
      else ctx.out(formatDoctor(report, useColour()));
      if (!report.ok) throw new CliError(`doctor found ${report.problems} problem${report.problems === 1 ? '' : 's'}`, 1, flags.json ? undefined : 'each problem above says how to fix it');
    });
}
