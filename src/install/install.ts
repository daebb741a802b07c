// `agentops-meta install` / `uninstall`: the I/O shell around settings-merge.ts. Reads a Claude Code
// settings file, merges or removes our hook handlers, backs the old file up and writes the new one
// atomically. Never throws for expected failures (bad JSON, unwritable dir): it returns a report.

import fs from 'node:fs';
import path from 'node:path';
import { writeFileWhole } from '../shell/write-whole.js';
import { hookEntries } from './hook-spec.js';
import { formatSettingsJson, mergeHooks, removeHooks } from './settings-merge.js';

export type InstallScope = 'user' | 'project' | 'local';

export interface InstallOptions {
  scope: InstallScope;
  /** project root for the project and local scopes; defaults to the current directory */
  projectDir?: string;
  dryRun?: boolean;
  /** absolute path of the agentops-meta package: hook commands run `<root>/hooks/...` */
  root: string;
  /** the user's home directory (holds ~/.claude/settings.json) */
  home: string;
  /** names the backup file; defaults to the current time */
  now?: Date;
  /** node binary for the Node planner hook; the CLI passes its own absolute path, since Claude Code's PATH may lack node */
  nodeBin?: string;
  /** register the opt-in TDD gate on Stop */
  gate?: boolean;
}

/** `root` is not needed to uninstall: handlers of every install root are removed. */
export type UninstallOptions = Omit<InstallOptions, 'root'> & { root?: string };

interface ReportBase {
  action: 'install' | 'uninstall';
  scope: InstallScope;
  settingsPath: string;
  dryRun: boolean;
}

export type InstallReport =
  | (ReportBase & {
      ok: true;
      /** the settings changed (or would have, in a dry run) */
      changed: boolean;
      /** the settings file did not exist before */
      created: boolean;
      /** events whose handlers of ours were added or rewritten */
      added: string[];
      /** events from which handlers of ours were removed */
      removed: string[];
      /** handlers of other tools left in place */
      kept: number;
      /** copy of the previous file, when one was changed */
      backupPath: string | null;
      /** our slash commands (/orchestrate, /catalog) in the scope's commands folder */
      commands: CommandsReport;
    })
  | (ReportBase & { ok: false; error: string });

export interface CommandsReport {
  dir: string;
  /** written (or, in a dry run, to be written): new or out of date */
  written: string[];
  /** removed by uninstall */
  removed: string[];
  /** a file of that name that is not ours: left alone */
  kept: string[];
}

/** Slash commands `install` copies from the package's .claude/commands/ (the plugin ships them too). */
export const SLASH_COMMANDS = ['orchestrate.md', 'catalog.md'] as const;

/** Ours: the description line ends with "(agentops-meta)", as every command we ship does. */
function isOurCommandFile(text: string): boolean {
  return /^description: .*\(agentops-meta\)\s*$/m.test(text.split('\n---', 2)[0] ?? '');
}

/** Claude Code's commands folder of a scope: ~/.claude/commands, else <project>/.claude/commands. */
export function commandsDirFor(scope: InstallScope, home: string, projectDir: string): string {
  return scope === 'user' ? path.join(home, '.claude', 'commands') : path.join(projectDir, '.claude', 'commands');
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Copies (install) or removes (uninstall) our slash commands; never touches a file that is not ours. */
function syncCommands(action: 'install' | 'uninstall', opts: UninstallOptions): CommandsReport {
  const dir = commandsDirFor(opts.scope, opts.home, opts.projectDir ?? process.cwd());
  const report: CommandsReport = { dir, written: [], removed: [], kept: [] };
  for (const name of SLASH_COMMANDS) {
    const target = path.join(dir, name);
    const current = readOrNull(target);
    if (current !== null && !isOurCommandFile(current)) {
      report.kept.push(name);
      continue;
    }
    if (action === 'uninstall') {
      if (current === null) continue;
      if (!opts.dryRun) fs.rmSync(target, { force: true });
      report.removed.push(name);
      continue;
    }
    const text = readOrNull(path.join(opts.root!, '.claude', 'commands', name));
    if (text === null || text === current) continue;
    if (!opts.dryRun) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(target, text);
    }
    report.written.push(name);
  }
  // A commands folder only our files were in goes with them.
  if (report.removed.length && !opts.dryRun) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // not empty, or gone: leave it
    }
  }
  return report;
}

/** Where Claude Code reads settings for each scope (docs §3.2). */
export function settingsPathFor(scope: InstallScope, home: string, projectDir: string): string {
  switch (scope) {
    case 'user':
      return path.join(home, '.claude', 'settings.json');
    case 'project':
      return path.join(projectDir, '.claude', 'settings.json');
    case 'local':
      return path.join(projectDir, '.claude', 'settings.local.json');
  }
}

/** "2025-07-01T12-30-05-123Z": sortable and valid in file names on every OS. */
function backupStamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

type Loaded = { ok: true; exists: boolean; settings: unknown } | { ok: false; error: string };

function load(file: string): Loaded {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, exists: false, settings: {} };
    return { ok: false, error: `cannot read ${file}: ${errorMessage(e)}` };
  }
  // An empty file is what `touch` leaves; Claude Code treats it as no settings.
  if (text.trim() === '') return { ok: true, exists: true, settings: {} };
  try {
    return { ok: true, exists: true, settings: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: `${file} is not valid JSON (${errorMessage(e)}); fix it by hand, it was left unchanged` };
  }
}

/** Copies the current file to `<name>.bak-<stamp>` beside it; never overwrites an earlier backup. */
function backup(file: string, now: Date): string {
  const base = `${file}.bak-${backupStamp(now)}`;
  for (let n = 0; ; n += 1) {
    const candidate = n === 0 ? base : `${base}-${n}`;
    try {
      fs.copyFileSync(file, candidate, fs.constants.COPYFILE_EXCL);
      return candidate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

type Edit = { ok: true; settings: unknown; added: string[]; removed: string[]; kept: number } | { ok: false; error: string };

function apply(
  action: 'install' | 'uninstall',
  opts: UninstallOptions,
  edit: (settings: unknown) => Edit,
): InstallReport {
  const settingsPath = settingsPathFor(opts.scope, opts.home, opts.projectDir ?? process.cwd());
  const base: ReportBase = { action, scope: opts.scope, settingsPath, dryRun: opts.dryRun === true };
  const loaded = load(settingsPath);
  if (!loaded.ok) return { ...base, ok: false, error: loaded.error };
  const edited = edit(loaded.settings);
  if (!edited.ok) return { ...base, ok: false, error: `${settingsPath}: ${edited.error}; it was left unchanged` };

  // Compared as data, not text: a file formatted differently but already right is left alone.
  const changed = JSON.stringify(edited.settings) !== JSON.stringify(loaded.settings);
  const result = {
    ...base,
    ok: true as const,
    commands: { dir: '', written: [], removed: [], kept: [] } as CommandsReport,
    changed,
    created: !loaded.exists && changed,
    added: edited.added,
    removed: edited.removed,
    kept: edited.kept,
    backupPath: null as string | null,
  };
  try {
    if (changed && !base.dryRun) {
      fs.mkdirSync(path.dirname(settingsPath), { recursive: true });
      if (loaded.exists) result.backupPath = backup(settingsPath, opts.now ?? new Date());
      // Whole (Claude Code's settings watcher never reads half a file); a symlinked settings file
      // (dotfile managers) is written through, not replaced, and keeps its permissions.
      writeFileWhole(settingsPath, formatSettingsJson(edited.settings), { keep: true, mode: 0o644, fsync: true });
    }
  } catch (e) {
    return { ...base, ok: false, error: `cannot write ${settingsPath}: ${errorMessage(e)}` };
  }
  let commands: CommandsReport;
  try {
    commands = syncCommands(action, opts);
  } catch (e) {
    return { ...base, ok: false, error: `hooks ${action === 'install' ? 'installed' : 'removed'}, but the slash commands could not be ${action === 'install' ? 'written' : 'removed'}: ${errorMessage(e)}` };
  }
  return { ...result, commands };
}

/** Registers the agentops-meta hooks in the settings file of `opts.scope`. */
export function install(opts: InstallOptions): InstallReport {
  const capture = path.join(opts.root, 'hooks', 'agentops-capture.sh');
  if (!path.isAbsolute(opts.root) || !fs.existsSync(capture)) {
    const settingsPath = settingsPathFor(opts.scope, opts.home, opts.projectDir ?? process.cwd());
    return {
      action: 'install',
      scope: opts.scope,
      settingsPath,
      dryRun: opts.dryRun === true,
      ok: false,
      error: `package root must be an absolute path holding hooks/agentops-capture.sh; got ${opts.root}`,
    };
  }
  const entries = hookEntries(opts.root, opts.nodeBin, { gate: opts.gate });
  return apply('install', opts, (settings) => {
    const r = mergeHooks(settings, entries);
    return r.ok ? { ...r } : { ok: false, error: r.error.message };
  });
}

/** Removes every agentops-meta hook handler from the settings file of `opts.scope`. */
export function uninstall(opts: UninstallOptions): InstallReport {
  return apply('uninstall', opts, (settings) => {
    const r = removeHooks(settings);
    return r.ok ? { ...r, added: [], kept: 0 } : { ok: false, error: r.error.message };
  });
}

function eventList(events: readonly string[]): string {
  return `${events.length} event${events.length === 1 ? '' : 's'} (${events.join(', ')})`;
}

/** Human-readable lines for the CLI. */
export function formatInstallReport(report: InstallReport): string {
  const where = `${report.settingsPath} (${report.scope} scope)`;
  if (!report.ok) return `agentops-meta ${report.action} failed: ${report.error}`;
  const c = report.commands;
  const commandLines = [
    ...(c.written.length ? [`  slash commands ${report.dryRun ? 'would be written' : 'written'} to ${c.dir}: ${c.written.map((n) => `/${n.replace(/\.md$/, '')}`).join(', ')}`] : []),
    ...(c.removed.length ? [`  slash commands ${report.dryRun ? 'would be removed' : 'removed'} from ${c.dir}: ${c.removed.map((n) => `/${n.replace(/\.md$/, '')}`).join(', ')}`] : []),
    ...(c.kept.length ? [`  left alone (not ours): ${c.kept.map((n) => path.join(c.dir, n)).join(', ')}`] : []),
  ];
  if (!report.changed) {
    return [
      report.action === 'install'
        ? `agentops-meta hooks are already installed in ${where}; nothing changed.`
        : `No agentops-meta hooks in ${where}; nothing changed.`,
      ...commandLines,
    ].join('\n');
  }
  const would = report.dryRun ? 'would be ' : '';
  const lines: string[] = [];
  if (report.action === 'install') {
    lines.push(`${report.dryRun ? 'Dry run: would install' : 'Installed'} agentops-meta hooks in ${where}.`);
    if (report.added.length > 0) lines.push(`  added or updated: ${eventList(report.added)}`);
    if (report.removed.length > 0) lines.push(`  stale hooks ${would}removed: ${eventList(report.removed)}`);
    lines.push(`  other hooks left as they were: ${report.kept}`);
  } else {
    lines.push(`${report.dryRun ? 'Dry run: would remove' : 'Removed'} agentops-meta hooks from ${where}.`);
    lines.push(`  removed: ${eventList(report.removed)}`);
  }
  if (report.created) lines.push(`  ${report.dryRun ? 'would create' : 'created'} ${report.settingsPath}`);
  if (report.backupPath !== null) lines.push(`  previous file saved as ${report.backupPath}`);
  lines.push(...commandLines);
  if (report.dryRun) lines.push('  nothing was written.');
  return lines.join('\n');
}
