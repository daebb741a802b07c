// Loads the configuration layers from disk: the user's file in the data folder, then the project's.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileWhole } from '../shell/write-whole.js';
import { resolveConfig, type ConfigLayer, type ConfigResult } from './schema.js';

/** Project-level overrides live beside Claude Code's own project settings. */
export const PROJECT_CONFIG = path.join('.claude', 'agentops-meta.json');

export function configFiles(dataConfig: string, projectDir: string | null): string[] {
  return projectDir ? [dataConfig, path.join(projectDir, PROJECT_CONFIG)] : [dataConfig];
}

export function loadConfig(dataConfig: string, projectDir: string | null = null): ConfigResult {
  const layers: ConfigLayer[] = [];
  const errors: string[] = [];
  for (const file of configFiles(dataConfig, projectDir)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue; // a missing file is an empty layer
    }
    try {
      layers.push({ source: file, values: JSON.parse(text) });
    } catch (e) {
      errors.push(`${file}: not valid JSON: ${(e as Error).message}`);
    }
  }
  const result = resolveConfig(layers);
  if (errors.length) return { ok: false, errors: [...errors, ...(result.ok ? [] : result.errors)] };
  return result;
}

/**
 * Sets one `section.key` in a config file (install --learning-repo records nightly.repo this way),
 * keeping every other value and the file's validity. Throws with the reason when it cannot.
 */
export function setConfigValue(file: string, key: `${string}.${string}`, value: unknown): void {
  let values: Record<string, Record<string, unknown>> = {};
  try {
    values = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof values;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file} cannot be read or is not valid JSON (${(e as Error).message}); fix it first`);
  }
  const [section, field] = key.split('.') as [string, string];
  const next = { ...values, [section]: { ...(values[section] ?? {}), [field]: value } };
  const check = resolveConfig([{ source: file, values: next }]);
  if (!check.ok) throw new Error(check.errors.join('; '));
  writeFileWhole(file, `${JSON.stringify(next, null, 2)}\n`, { mkdir: true });
}
