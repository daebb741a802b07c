// `config`: the effective configuration and where each value came from.
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { flatten, type Config } from '../config/schema.js';
import type { CliContext } from './cli-context.js';
import { CliError } from './errors.js';
import { table } from './table.js';

export function effectiveConfig(ctx: CliContext, projectDir: string | null): { config: Config; sources: Record<string, string> } {
  const result = loadConfig(ctx.paths.config, projectDir);
  if (!result.ok) throw new CliError(`invalid configuration:\n  ${result.errors.join('\n  ')}`, 1, 'fix the file named above; `agentops-meta config` lists every key');
  return result;
}

export function registerConfigCommand(program: Command, ctx: CliContext): void {
  program
    .command('config')
    .description(`show the effective configuration and where each value came from (${'<data>/config.json'}, then <project>/.claude/agentops-meta.json)`)
    .option('--project <dir>', 'project folder whose .claude/agentops-meta.json applies (default: the current folder)')
    .option('--json', 'print as JSON')
    .action((opts: { project?: string; json?: boolean }) => {
      const { config, sources } = effectiveConfig(ctx, path.resolve(opts.project ?? process.cwd()));
      if (opts.json) return ctx.json({ config, sources });
      ctx.out(table(['key', 'value', 'from'], Object.entries(flatten(config)).map(([k, v]) => [k, JSON.stringify(v), sources[k] ?? 'default'])));
    });
}
