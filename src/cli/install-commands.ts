// install / uninstall: register our hooks in a Claude Code settings file, or remove exactly ours.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { setConfigValue } from '../config/load.js';
import { isRepoTop } from '../shell/learning-repo.js';
import { formatInstallReport, install, uninstall, type InstallScope } from '../install/install.js';
import { recordInstall } from '../install/install-record.js';
import { writeAutostart, writeCaptureRules } from '../shell/planner-context-writer.js';
import { packageRoot } from '../shell/package-root.js';
import { describeLearningRepo, learningRepo } from '../shell/paths.js';
import { effectiveConfig } from './config-command.js';
import type { CliContext } from './cli-context.js';
import { CliError, UsageError } from './errors.js';

const SCOPES: readonly InstallScope[] = ['user', 'project', 'local'];

function parseScope(value: string): InstallScope {
  if (!(SCOPES as readonly string[]).includes(value)) throw new UsageError(`--scope must be one of ${SCOPES.join(', ')}, got "${value}"`);
  return value as InstallScope;
}

/** --learning-repo must name the top of an existing git work tree: learning commits never make one the user named. */
function parseLearningRepo(value: string): string {
  const dir = path.resolve(value);
  if (!fs.existsSync(dir)) throw new UsageError(`--learning-repo: ${dir} does not exist (make it a repository first: git init ${dir})`);
  if (!isRepoTop(dir)) throw new UsageError(`--learning-repo: ${dir} is not the top of a git repository (git init ${dir})`);
  return dir;
}

interface Opts {
  scope: InstallScope;
  project?: string;
  dryRun?: boolean;
  json?: boolean;
  learningRepo?: string;
}

export function registerInstallCommands(program: Command, ctx: CliContext): void {
  for (const action of ['install', 'uninstall'] as const) {
    const command = program
      .command(action)
      .description(
        action === 'install'
          ? 'add the agentops-meta hooks to Claude Code settings (idempotent; keeps every other hook; writes a backup)'
          : 'remove exactly the agentops-meta hooks from Claude Code settings',
      )
      .requiredOption('--scope <scope>', 'user (~/.claude/settings.json), project (.claude/settings.json) or local (.claude/settings.local.json)', parseScope)
      .option('--project <dir>', 'project folder for the project and local scopes (default: the current folder)')
      .option('--dry-run', 'show what would change, change nothing')
      .option('--json', 'print the report as JSON');
    if (action === 'install') command.option('--learning-repo <dir>', 'commit what is learned into this git repository (recorded as nightly.repo in the config; default: <data>/library)', parseLearningRepo);
    command.action((opts: Opts) => {
      const common = {
        scope: opts.scope,
        projectDir: path.resolve(opts.project ?? process.cwd()),
        dryRun: opts.dryRun ?? false,
        home: os.homedir(),
      };
      const { config } = effectiveConfig(ctx, common.projectDir);
      const report = action === 'install' ? install({ ...common, root: packageRoot(), nodeBin: process.execPath, gate: config.gate.stop }) : uninstall(common);
      const written = report.ok && !common.dryRun;
      if (written) recordInstall(ctx.paths.home, report.settingsPath, action === 'install');
      if (action === 'install' && written) {
        writeCaptureRules(ctx.paths.context, config.privacy.exclude_entrypoints);
        writeAutostart(ctx.paths.context, config.daemon.autostart ? { node: process.execPath, cli: path.join(packageRoot(), 'bin', 'agentops-meta.js') } : null);
        if (opts.learningRepo) recordLearningRepo(ctx, opts.learningRepo);
      }
      // As learn --commit and the daemon resolve it: the data folder's config, no project layer.
      const repo = action === 'install' ? learningRepo(opts.learningRepo ?? effectiveConfig(ctx, null).config.nightly.repo, ctx.paths) : null;
      if (opts.json) ctx.json(repo ? { ...report, learning_repo: repo.dir } : report);
      else ctx.out(formatInstallReport(report) + (repo && report.ok ? `\n  learning commits go to ${describeLearningRepo(repo)}` : ''));
      if (!report.ok) throw new CliError(`${action} failed`, 1);
    });
  }
}

function recordLearningRepo(ctx: CliContext, dir: string): void {
  try {
    setConfigValue(ctx.paths.config, 'nightly.repo', dir);
  } catch (e) {
    throw new CliError(`cannot record --learning-repo in ${ctx.paths.config}: ${(e as Error).message}`, 1);
  }
}
