// `agentops-meta backfill [PATH...] [--archive DIR] [--json]`: import past Claude Code transcripts.
import fs from 'node:fs';
import type { Command } from 'commander';
import { backfill, defaultTranscriptRoot, type BackfillReport } from '../backfill/backfill.js';
import type { CliContext } from './cli-context.js';
import { UsageError } from './errors.js';
import { formatBytes } from './table.js';

interface BackfillFlags {
  archive?: string;
  json?: boolean;
}

export function registerBackfillCommand(program: Command, ctx: CliContext): void {
  program
    .command('backfill')
    .description('import past Claude Code transcripts as if the hooks had captured them (idempotent)')
    .argument('[paths...]', 'transcript files or folders (default: ~/.claude/projects)')
    .option('--archive <dir>', "first copy each transcript into DIR, same layout, so it outlives Claude Code's 30-day cleanup")
    .option('--json', 'print the report as JSON')
    .action((paths: string[], opts: BackfillFlags) => {
      const roots = checkPaths(paths);
      if (opts.archive !== undefined) checkArchive(opts.archive);
      const bar = process.stderr.isTTY ? progressPrinter((text) => process.stderr.write(text)) : undefined;
      let report: BackfillReport;
      try {
        report = ctx.withStore((store) => backfill({ paths: roots, store, archiveDir: opts.archive, onProgress: bar?.update }));
      } finally {
        bar?.done();
      }
      if (opts.json) return ctx.json(report);
      ctx.out(summaryLine(report));
    });
}

function checkPaths(paths: string[]): string[] {
  if (paths.length === 0) {
    const root = defaultTranscriptRoot();
    if (!fs.existsSync(root)) {
      throw new UsageError(`no Claude Code transcripts at ${root}`, 'pass the folder or .jsonl files to import: agentops-meta backfill PATH...');
    }
    return [root];
  }
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
  }
  return paths;
}

function checkArchive(dir: string): void {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UsageError(`--archive must be a folder, and ${dir} is a file`);
}

export function summaryLine(r: BackfillReport): string {
  return (
    `backfilled ${r.files} transcript${r.files === 1 ? '' : 's'} (${formatBytes(r.bytes)}, ${r.lines} lines) in ${r.ms.toFixed(0)} ms: ` +
    `${r.payloads} events, ${r.inserted} stored, ${r.duplicates} already stored` +
    (r.hook_covered ? `, ${r.hook_covered} already captured by hooks` : '') +
    (r.quarantined ? `, ${r.quarantined} quarantined` : '') +
    (r.skipped_lines ? `, ${r.skipped_lines} lines skipped (${r.malformed_lines} malformed)` : '') +
    (r.archived ? `, ${r.archived} transcripts archived` : '')
  );
}

/** A one-line bar: `[########------------]  40%  12.0 MiB / 30.0 MiB`. Pure. */
export function progressBar(done: number, total: number, width = 30): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * width);
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct}  ${formatBytes(done)} / ${formatBytes(total)}`;
}

/** Redraws the bar in place at most once per whole percent, and erases it when done. */
function progressPrinter(write: (text: string) => void): { update: (done: number, total: number) => void; done: () => void } {
  let lastPct = -1;
  let drawn = false;
  return {
    update(done, total) {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (pct === lastPct) return;
      lastPct = pct;
      drawn = true;
      write(`\r${progressBar(done, total)}\u001b[K`);
    },
    done() {
      if (drawn) write('\r\u001b[K');
    },
  };
}
