// The layering of ARCHITECTURE.md holds in the code (test/helpers/layers.ts), and the check catches a
// planted violation of each kind.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCheckout, formatViolation, layerOf, layersFromArchitecture } from './helpers/layers.js';
import { REPO_ROOT } from './helpers/paths.js';
import { tempDirs } from './helpers/temp-dirs.js';

const tempDir = tempDirs('am-layers-');

/** A copy of what the check reads: ARCHITECTURE.md, src/ and hooks/. */
function copyCheckout(): string {
  const dir = tempDir();
  for (const part of ['src', 'hooks']) fs.cpSync(path.join(REPO_ROOT, part), path.join(dir, part), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, 'ARCHITECTURE.md'), path.join(dir, 'ARCHITECTURE.md'));
  return dir;
}

const append = (dir: string, file: string, line: string): void => fs.appendFileSync(path.join(dir, file), `\n${line}\n`);

describe('layers (ARCHITECTURE.md is the single source)', () => {
  it('the code keeps the table: no upward import, no I/O in pure layers, no cycle, bundles import only node:*', async () => {
    const violations = await checkCheckout(REPO_ROOT);
    expect(violations.map(formatViolation)).toEqual([]);
  });

  it('reads the table: each file in the row with the longest matching path', () => {
    const layers = layersFromArchitecture(fs.readFileSync(path.join(REPO_ROOT, 'ARCHITECTURE.md'), 'utf8'));
    expect(layers.map((l) => l.id)).toEqual(['hooks', 'core', 'learner', 'planner', 'store', 'shell', 'cli']);
    expect(layerOf(layers, 'src/commit/library.ts')?.id).toBe('planner');
    expect(layerOf(layers, 'src/commit/git-commit.ts')?.id).toBe('shell');
    expect(layerOf(layers, 'src/learn/recipe.ts')?.id).toBe('learner');
    expect(layers.find((l) => l.id === 'core')!.packages).toEqual(['zod']);
  });

  it('names the rule a planted violation breaks', async () => {
    const dir = copyCheckout();
    append(dir, 'src/learn/recipe.ts', "import { dataPaths } from '../shell/paths.js';\nexport const planted = dataPaths;");
    append(dir, 'src/core/redact.ts', "import { readFileSync } from 'node:fs';\nexport const plantedRead = readFileSync;");
    append(dir, 'src/learn/stats.ts', "import { Interner } from './encoded-log.js';\nexport const plantedCycle = Interner;");
    fs.writeFileSync(path.join(dir, 'src', 'stray.ts'), 'export const stray = 1;\n');
    append(dir, 'hooks/agentops-plan.mjs', "import 'zod';");
    const found = (await checkCheckout(dir)).map(formatViolation);
    expect(found).toContain('upward: src/learn/recipe.ts imports src/shell/paths.ts');
    expect(found).toContain('forbidden-package: src/core/redact.ts imports node:fs');
    expect(found.some((v) => v.startsWith('cycle: ') && v.includes('src/learn/stats.ts') && v.includes('src/learn/encoded-log.ts'))).toBe(true);
    expect(found).toContain('unlisted: src/stray.ts is in no layer of the ARCHITECTURE.md table');
    expect(found).toContain('hook-bundle: hooks/agentops-plan.mjs imports zod');
  });
});
