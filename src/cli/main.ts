// The agentops-meta command line: parse arguments, run one command, turn errors into a clear
// message and an exit code. Exit codes: 0 success, 1 failure, 2 bad arguments.
import { Command, CommanderError } from 'commander';
import { registerBackfillCommand } from './backfill-command.js';
import { registerCaptureCommands } from './capture-commands.js';
import { registerConfigCommand } from './config-command.js';
import { defaultContext } from './cli-context.js';
import { registerDaemonCommand } from './daemon-command.js';
import { registerDemoCommand } from './demo.js';
import { registerExportCommand } from './export-command.js';
import { registerInstallCommands } from './install-commands.js';
import { registerLearnCommands } from './learn-commands.js';
import { registerOrchestrateCommand } from './orchestrate-command.js';
import { registerReportCommands } from './report-commands.js';
import { registerShipCommand } from './ship-command.js';
import { registerSimulateCommand } from './simulate-command.js';
import { CliError, EXIT } from './errors.js';

export async function main(argv: string[]): Promise<number> {
  const ctx = defaultContext();
  const program = new Command('agentops-meta')
    .description('Learns which Claude Code patterns go with green tests, and tells new sessions about them.')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nExit codes: 0 success, 1 failure, 2 bad arguments.\nData folder: $AGENTOPS_META_HOME, default ~/.agentops-meta.');
  registerCaptureCommands(program, ctx);
  registerInstallCommands(program, ctx);
  registerConfigCommand(program, ctx);
  registerLearnCommands(program, ctx);
  registerOrchestrateCommand(program, ctx);
  registerDemoCommand(program, ctx);
  registerBackfillCommand(program, ctx);
  registerDaemonCommand(program, ctx);
  registerExportCommand(program, ctx);
  registerReportCommands(program, ctx);
  registerSimulateCommand(program, ctx);
  registerShipCommand(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CliError) {
      process.stderr.write(`agentops-meta: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
      return e.exitCode;
    }
    process.stderr.write(`agentops-meta: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.failure;
  }
}
