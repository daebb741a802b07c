// `agentops-meta orchestrate "TASK" [--project DIR] [--json] [--budget CHARS]`: drafts a workflow for
// a task from the history the last learning run precomputed (context/orchestrate.json). It never
// opens the database or runs the learner. bin/agentops-meta.js runs it from its own small bundle
// (dist/orchestrate.js: no commander, no SQLite, no git), so it starts in about one node start; the
// full CLI registers it too, for --help.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { BUILTIN_AGENTS, BUILTIN_COMMANDS, kindOfActivity } from '../catalog/join.js';
import { scanInstalled } from '../catalog/scan.js';
import { draftPlan, type Plan } from '../orchestrate/draft.js';
import { HISTORY_VERSION, type OrchestrateHistory } from '../orchestrate/history.js';
import { DEFAULT_BUDGET, renderPlan } from '../orchestrate/render.js';
import { dataPaths } from '../shell/paths.js';
import type { CliContext } from './cli-context.js';
import { CliError, EXIT, UsageError } from './errors.js';

export interface OrchestrateOptions {
  task: string;
  project?: string;
  json?: boolean;
  budget?: number;
}

export interface OrchestrateIo {
  out: (text: string) => void;
  /** folder holding orchestrate.json (<data>/context) */
  contextDir: string;
  /** the user's home, for the catalog of installed things */
  home: string;
  cwd: string;
}

export const ORCHESTRATE_USAGE = 'usage: agentops-meta orchestrate "TASK" [--project DIR] [--json] [--budget CHARS]';

export function parseBudget(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 200) throw new UsageError(`--budget must be a whole number of characters, at least 200; got "${value}"`);
  return n;
}

function readHistory(contextDir: string): OrchestrateHistory | null {
  const file = path.join(contextDir, 'orchestrate.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not valid JSON`, EXIT.failure, 'run `agentops-meta learn` to write it again');
  }
  const h = parsed as Partial<OrchestrateHistory> | null;
  // The shape, checked where it is cheap: the version, and the first session and prompt document.
  const shaped = !!h && h.version === HISTORY_VERSION && Array.isArray(h.sessions) && Array.isArray(h.activities) && Array.isArray(h.activity_stats) &&
    !!h.totals && !!h.prompts && Array.isArray(h.prompts.docs) && Array.isArray(h.prompts.lens) && Array.isArray(h.patterns) &&
    (h.sessions.length === 0 || typeof h.sessions[0]?.a === 'string') && (h.prompts.docs.length === 0 || typeof h.prompts.docs[0] === 'string');
  if (!shaped) {
    throw new CliError(`${file} is from another version of agentops-meta`, EXIT.failure, 'run `agentops-meta learn` to write it again');
  }
  return h as OrchestrateHistory;
}

/** false when the catalog does not find a subagent, skill, MCP server or command installed; null for built-in tools. */
export function installedLookup(home: string, projectDir: string): (activity: string) => boolean | null {
  // Scanned on the first question about an agent, skill, MCP server or command: a plan of built-in tools needs no scan.
  let installed: Set<string> | null = null;
  return (activity) => {
    const kind = kindOfActivity(activity);
    if (kind === null) return null;
    installed ??= new Set(scanInstalled({ home, projectDir }).items.flatMap((it) => (it.activity ? [it.activity] : [])));
    if (installed.has(activity)) return true;
    if (kind === 'agent' && BUILTIN_AGENTS.has(activity.slice('Agent:'.length))) return true;
    if (kind === 'command' && BUILTIN_COMMANDS.has(activity)) return true;
    return false;
  };
}

export function orchestrate(opts: OrchestrateOptions, io: OrchestrateIo): Plan {
  const task = opts.task.trim();
  if (!task) throw new UsageError('the task is empty: say what you want to do', ORCHESTRATE_USAGE);
  const projectDir = path.resolve(io.cwd, opts.project ?? '.');
  if (opts.project !== undefined && !fs.existsSync(projectDir)) throw new UsageError(`--project: ${projectDir} does not exist`);
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const history = readHistory(io.contextDir);
  let plan: Plan;
  if (!history) {
    plan = { task, basis: { sessions: 0, similar: 0, green: 0, scope: 'none' }, phases: [], order: [], avoid: [], not_installed: [], notes: ['nothing learned yet: run `agentops-meta learn` (or let the daemon run) after some sessions; no steps are suggested'] };
  } else {
    plan = draftPlan(history, task, { project: projectDir, installed: installedLookup(io.home, projectDir) });
  }
  if (opts.json) io.out(`${JSON.stringify(plan, null, 2)}\n`);
  else io.out(`${renderPlan(plan, budget)}\n`);
  return plan;
}

/** The lean entry bin/agentops-meta.js runs for `orchestrate`: arguments by hand, no commander. */
export async function orchestrateMain(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = (text: string) => process.stdout.write(text);
  try {
    const opts: Partial<OrchestrateOptions> = {};
    const words: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      const value = (name: string) => {
        const v = argv[++i];
        if (v === undefined) throw new UsageError(`${name} needs a value`, ORCHESTRATE_USAGE);
        return v;
      };
      if (a === '-h' || a === '--help') {
        out(`${ORCHESTRATE_USAGE}\n\nDrafts a workflow for TASK from the past sessions most like it that ended green: phases, steps with\ntheir evidence, parallel groups, test gates, what to avoid. Reads what the last learning run precomputed.\n  --project DIR    the task's project folder (default: the current folder)\n  --json           print the plan as JSON\n  --budget CHARS   longest text to print (default ${DEFAULT_BUDGET})\n`);
        return EXIT.ok;
      } else if (a === '--json') opts.json = true;
      else if (a === '--project') opts.project = value(a);
      else if (a.startsWith('--project=')) opts.project = a.slice('--project='.length);
      else if (a === '--budget') opts.budget = parseBudget(value(a));
      else if (a.startsWith('--budget=')) opts.budget = parseBudget(a.slice('--budget='.length));
      else if (a === '--') words.push(...argv.slice(i + 1)), (i = argv.length);
      else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`, ORCHESTRATE_USAGE);
      else words.push(a);
    }
    if (!words.length) throw new UsageError('say what the task is', ORCHESTRATE_USAGE);
    orchestrate({ ...opts, task: words.join(' ') }, { out, contextDir: dataPaths(env).context, home: os.homedir(), cwd: process.cwd() });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`agentops-meta: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
      return e.exitCode;
    }
    process.stderr.write(`agentops-meta: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.failure;
  }
}

/** The same command in the full CLI (its --help, and programs that call main()). */
export function registerOrchestrateCommand(program: Command, ctx: CliContext): void {
  program
    .command('orchestrate')
    .description('draft a workflow for a task from the past sessions most like it that ended green: phases, steps with evidence, parallel groups, test gates')
    .argument('<task...>', 'the task, in a few words')
    .option('--project <dir>', "the task's project folder (default: the current folder)")
    .option('--json', 'print the plan as JSON')
    .option('--budget <chars>', `longest text to print (default ${DEFAULT_BUDGET})`, parseBudget)
    .action((task: string[], opts: { project?: string; json?: boolean; budget?: number }) => {
      orchestrate({ ...opts, task: task.join(' ') }, { out: (t) => ctx.out(t), contextDir: ctx.paths.context, home: os.homedir(), cwd: process.cwd() });
    });
}
