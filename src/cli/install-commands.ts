// install / uninstall: register our hooks in a Claude Code settings file, or remove exactly ours.
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { formatInstallReport, install, uninstall, type InstallScope } from '../install/install.js';
import { writeAutostart, writeCaptureRules } from '../shell/context-writer.js';
import { packageRoot } from '../shell/package-root.js';
import { effectiveConfig } from './config-command.js';
import type { CliContext } from './context.js';
import { CliError, UsageError } from './errors.js';

const SCOPES: readonly InstallScope[] = ['user', 'project', 'local'];

function parseScope(value: string): InstallScope {
  if (!(SCOPES as readonly string[]).includes(value)) throw new UsageError(`--scope must be one of ${SCOPES.join(', ')}, got "${value}"`);
  return value as InstallScope;
}

interface Opts {
  scope: InstallScope;
  project?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function registerInstallCommands(program: Command, ctx: CliContext): void {
  for (const action of ['install', 'uninstall'] as const) {
    program
      .command(action)
      .description(
        action === 'install'
          ? 'add the agentops-meta hooks to Claude Code settings (idempotent; keeps every other hook; writes a backup)'
          : 'remove exactly the agentops-meta hooks from Claude Code settings',
      )
      .requiredOption('--scope <scope>', 'user (~/.claude/settings.json), project (.claude/settings.json) or local (.claude/settings.local.json)', parseScope)
      .option('--project <dir>', 'project folder for the project and local scopes (default: the current folder)')
      .option('--dry-run', 'show what would change, change nothing')
      .option('--json', 'print the report as JSON')
      .action((opts: Opts) => {
        const common = {
          scope: opts.scope,
          projectDir: path.resolve(opts.project ?? process.cwd()),
          dryRun: opts.dryRun ?? false,
          home: os.homedir(),
        };
        const { config } = effectiveConfig(ctx, common.projectDir);
        const report = action === 'install' ? install({ ...common, root: packageRoot(), nodeBin: process.execPath, gate: config.gate.stop }) : uninstall(common);
        if (action === 'install' && report.ok && !common.dryRun) {
          writeCaptureRules(ctx.paths.context, config.privacy.exclude_entrypoints);
          writeAutostart(ctx.paths.context, config.daemon.autostart ? { node: process.execPath, cli: path.join(packageRoot(), 'bin', 'agentops-meta.js') } : null);
        }
        if (opts.json) ctx.json(report);
        else ctx.out(formatInstallReport(report));
        if (!report.ok) throw new CliError(`${action} failed`, 1);
      });
  }
}
