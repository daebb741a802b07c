// Which settings files `install` put our hooks into, kept in the data folder the hooks feed
// (installs.json). The daemon serving that folder reads it to notice that its hooks are gone
// (uninstalled, removed by hand, or pointing at a package folder that was deleted) and exits.
// Shell: reads and writes files.
import fs from 'node:fs';
import path from 'node:path';
import { ourHandlers } from '../doctor/install-check.js';
import { writeFileWhole } from '../shell/write-whole.js';

const RECORD = 'installs.json';

interface InstallRecord {
  /** absolute paths of settings files holding our hooks, as of the last install/uninstall */
  settings: string[];
}

function recordFile(dataHome: string): string {
  return path.join(dataHome, RECORD);
}

/** The recorded settings files; empty when nothing was installed through `install` (plugin, by hand). */
export function recordedInstalls(dataHome: string): string[] {
  try {
    const record = JSON.parse(fs.readFileSync(recordFile(dataHome), 'utf8')) as Partial<InstallRecord>;
    return Array.isArray(record.settings) ? record.settings.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

/** Adds (install) or removes (uninstall) a settings file in the record. */
export function recordInstall(dataHome: string, settingsPath: string, installed: boolean): void {
  const others = recordedInstalls(dataHome).filter((s) => s !== settingsPath);
  const settings = installed ? [...others, settingsPath].sort() : others;
  writeFileWhole(recordFile(dataHome), `${JSON.stringify({ settings } satisfies InstallRecord, null, 2)}\n`, { mkdir: true });
}

/** True when the settings file has a capture hook of ours whose script exists. */
function hasWorkingCapture(settingsPath: string): boolean {
  try {
    const handlers = ourHandlers(JSON.parse(fs.readFileSync(settingsPath, 'utf8')) as unknown);
    return handlers.some((h) => h.script === 'agentops-capture.sh' && h.scriptPath !== null && fs.existsSync(h.scriptPath));
  } catch {
    // unreadable or being rewritten: not evidence that the hooks are gone
    return fs.existsSync(settingsPath);
  }
}

/**
 * A watch over the recorded installs for the daemon: returns why the hooks are gone, or null. Only
 * a disappearance counts: a daemon started where no recorded install ever worked (a plugin install,
 * a daemon started by hand) is left alone.
 */
export function hooksWatch(dataHome: string): () => string | null {
  let seen = false;
  return () => {
    const recorded = recordedInstalls(dataHome);
    if (recorded.some(hasWorkingCapture)) {
      seen = true;
      return null;
    }
    return seen ? 'its hooks are no longer installed (uninstalled, or their scripts were removed)' : null;
  };
}
