// The `export` command run in-process against a given store, its output collected: what the export
// tests (file formats and OTLP) drive it with.
import { Command } from 'commander';
import type { CliContext } from '../../src/cli/cli-context.js';
import { registerExportCommand } from '../../src/cli/export-command.js';
import { dataPaths } from '../../src/shell/paths.js';
import type { EventStore } from '../../src/store/port.js';

/** `run(...args)` parses `export <leading> <args>`; `leading` fixes options every call shares (e.g. --format otlp). */
export function exportCli(store: EventStore, leading: readonly string[] = []) {
  const out: string[] = [];
  const ctx: CliContext = {
    paths: dataPaths({ AGENTOPS_META_HOME: '/nonexistent-agentops-home' }),
    out: (t) => out.push(t.endsWith('\n') ? t : `${t}\n`),
    json: (v) => out.push(`${JSON.stringify(v)}\n`),
    withStore: (fn) => fn(store),
  };
  const program = new Command('agentops-meta').exitOverride();
  registerExportCommand(program, ctx);
  const run = (...args: string[]) => program.parseAsync(['export', ...leading, ...args], { from: 'user' });
  return { run, out, text: () => out.join('') };
}
