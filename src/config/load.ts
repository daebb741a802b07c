// Loads the configuration layers from disk: the user's file in the data folder, then the project's.
import fs from 'node:fs';
import path from 'node:path';
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
