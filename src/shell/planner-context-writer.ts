// Writes the precomputed planner context where the hooks read it. Every file is written whole
// (tmp + rename), so a hook never reads half of one.
import fs from 'node:fs';
import path from 'node:path';
import type { ContextBundle } from '../plan/context-bundle.js';
import type { OrchestrateHistory } from '../orchestrate/history.js';
import { writeFileWhole } from './write-whole.js';

export interface ContextWriteOptions {
  dir: string;
  /** with `orchestrate`, the history `agentops-meta orchestrate` drafts from (context/orchestrate.json) */
  bundle: ContextBundle & { orchestrate?: OrchestrateHistory };
  /** node binary and CLI the SessionStart hook uses to start the daemon; null turns autostart off */
  autostart: { node: string; cli: string } | null;
}

export function writeContext({ dir, bundle, autostart }: ContextWriteOptions): void {
  const sessionStart = path.join(dir, 'session-start');
  fs.mkdirSync(sessionStart, { recursive: true, mode: 0o700 });
  const keep = new Set<string>();
  for (const [key, rendered] of Object.entries(bundle.session_start)) {
    // One line each: the hook reads them with the shell's `read`, no fork. JSON.stringify escapes newlines.
    writeFileWhole(path.join(sessionStart, `${key}.ctx`), `${JSON.stringify(rendered.text)}\n`);
    writeFileWhole(path.join(sessionStart, `${key}.ids`), `${JSON.stringify(rendered.ids)}\n`);
    keep.add(`${key}.ctx`).add(`${key}.ids`);
    // The variants with one item withheld: <key>.w<j>.* for j = 1..<key>.items (see plan/context-bundle.ts).
    const variants = bundle.withheld?.[key] ?? [];
    variants.forEach((v, i) => {
      const stem = `${key}.w${i + 1}`;
      writeFileWhole(path.join(sessionStart, `${stem}.ctx`), `${JSON.stringify(v.text)}\n`);
      writeFileWhole(path.join(sessionStart, `${stem}.ids`), `${JSON.stringify(v.ids)}\n`);
      writeFileWhole(path.join(sessionStart, `${stem}.withheld`), `${JSON.stringify([v.withheld])}\n`);
      keep.add(`${stem}.ctx`).add(`${stem}.ids`).add(`${stem}.withheld`);
    });
    writeFileWhole(path.join(sessionStart, `${key}.items`), `${variants.length}\n`);
    keep.add(`${key}.items`);
  }
  for (const name of fs.readdirSync(sessionStart)) if (!keep.has(name)) fs.rmSync(path.join(sessionStart, name), { force: true });
  writeFileWhole(path.join(dir, 'prompt.json'), JSON.stringify(bundle.prompt));
  writeFileWhole(path.join(dir, 'subagents.json'), JSON.stringify(bundle.subagents));
  writeFileWhole(path.join(dir, 'holdout-percent'), `${bundle.holdout_percent}\n`);
  writeFileWhole(path.join(dir, 'withhold-percent'), `${bundle.withhold_percent ?? 0}\n`);
  if (bundle.orchestrate) writeOrchestrateHistory(dir, bundle.orchestrate);
  writeAutostart(dir, autostart);
}

export const ORCHESTRATE_FILE = 'orchestrate.json';

/** What `orchestrate` reads instead of running the learner: local like prompt.json, never committed. */
export function writeOrchestrateHistory(dir: string, history: OrchestrateHistory): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileWhole(path.join(dir, ORCHESTRATE_FILE), JSON.stringify(history));
}

/**
 * The node binary and CLI the SessionStart hook uses to start a daemon that is not running; null
 * turns autostart off. Written by install too, so the first session after installing starts it.
 */
export function writeAutostart(dir: string, autostart: { node: string; cli: string } | null): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'autostart');
  if (autostart) writeFileWhole(file, `${autostart.node}\n${autostart.cli}\n`);
  else fs.rmSync(file, { force: true });
}

/**
 * What the hooks need from the configuration, as one-line files they read with the shell's `read`:
 * the entrypoints whose sessions are not captured (observer isolation). Written by install, learn
 * and the daemon, so a config change takes effect without waiting for a learning run.
 */
export function writeCaptureRules(dir: string, excludeEntrypoints: readonly string[]): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'exclude-entrypoints');
  const list = excludeEntrypoints.filter((e) => /^[A-Za-z0-9_.-]+$/.test(e));
  if (list.length) writeFileWhole(file, `${list.join(',')}\n`);
  else fs.rmSync(file, { force: true });
}

/** Session state files (holdout decision, ids injected) are only needed while a session runs. */
export function pruneSessionState(dir: string, now: number, maxAgeMs = 7 * 86_400_000): number {
  const sessions = path.join(dir, 'sessions');
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(sessions);
  } catch {
    return 0;
  }
  for (const name of names) {
    const file = path.join(sessions, name);
    try {
      if (now - fs.statSync(file).mtimeMs > maxAgeMs) {
        fs.rmSync(file, { force: true });
        removed++;
      }
    } catch {
      // gone already
    }
  }
  return removed;
}
