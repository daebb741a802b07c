// What the simulated sessions are made of: activity names, the noise activities, projects with their
// files, and the inputs the calls draw from (the prompts and the mix per task kind are in
// task-kinds.ts). Data only (plus the test-run record). Pure.
import type { TestRun } from '../core/types.js';

// ---- activity names (as the vocabulary calls them) ------------------------------------------

export const ACT = {
  read: 'Read',
  edit: 'Edit',
  write: 'Write',
  grep: 'Grep',
  glob: 'Glob',
  webSearch: 'WebSearch',
  webFetch: 'WebFetch',
  todo: 'TodoWrite',
  test: 'Bash:test',
  lint: 'Bash:lint',
  typecheck: 'Bash:typecheck',
  build: 'Bash:build',
  git: 'Bash:git',
  skill: 'Skill:webapp-testing',
  mcp: 'mcp:github',
  explore: 'Agent:Explore',
  reviewer: 'Agent:code-reviewer',
  general: 'Agent:general-purpose',
  // steps only some task kinds take (task-kinds.ts)
  format: 'Bash:format',
  plan: 'Agent:Plan',
  debugger: 'Agent:debugger',
  docsSkill: 'Skill:docs-writer',
} as const;

/** Activities drawn as noise between the planted blocks; their weights depend on the task kind (task-kinds.ts NOISE_MIX). */
export const NOISE: readonly string[] = [
  ACT.grep, ACT.glob, ACT.webSearch, ACT.webFetch, ACT.todo, ACT.git, ACT.build, ACT.skill, ACT.mcp,
];

/** The test runner and counts the simulated vitest output stands for (one place to adjust). */
export const SIM_TEST_RUNNER = 'vitest';
export function simTestRun(passed: number, failed: number): TestRun {
  return {
    runner: SIM_TEST_RUNNER,
    passed: failed === 0,
    // As core/test-output.ts reads a vitest summary: counts it does not mention are 0.
    counts: { passed, failed, skipped: 0, total: passed + failed },
  };
}

// ---- projects ------------------------------------------------------------------------------

export interface Project {
  name: string;
  cwd: string;
  slug: string;
  files: string[];
  tests: number;
}

export const PROJECTS: readonly Project[] = [
  project('billing-api', ['src/invoice.ts', 'src/tax.ts', 'src/currency.ts', 'src/routes/invoices.ts'], 48),
  project('web-dashboard', ['src/App.tsx', 'src/hooks/useFilters.ts', 'src/components/Chart.tsx', 'src/api/client.ts'], 112),
  project('cli-tools', ['src/cli.ts', 'src/config.ts', 'src/commands/sync.ts', 'src/util/paths.ts'], 23),
];

function project(name: string, files: string[], tests: number): Project {
  const cwd = `/home/dev/projects/${name}`;
  return { name, cwd, slug: cwd.replace(/[^A-Za-z0-9]/g, '-'), files, tests };
}

export const EDITS: readonly [string, string][] = [
  ['return Math.round(total)', 'return Math.round(total * 100) / 100'],
  ['if (!items) return 0;', 'if (!items || items.length === 0) return 0;'],
  ["const dir = path.join(home, '.config')", 'const dir = configDir(home)'],
  ['useEffect(() => {', 'useLayoutEffect(() => {'],
  ['retries: Infinity', 'retries: 3'],
];
export const SEARCHES = ['roundCurrency', 'TODO', 'export function', 'useFilters', 'retry', 'configDir', 'invoiceTotal'];
export const GLOBS = ['**/*.ts', 'src/**/*.tsx', 'test/**/*.test.ts', '**/package.json'];
export const QUERIES = ['vitest mock timers example', 'EU VAT reverse charge rules', 'react chart flicker on rerender'];
export const ERRORS = ['TypeError: Cannot read properties of undefined', 'ENOENT: no such file or directory', 'RangeError: Invalid currency code'];
export const DOCS = ['docs/api.md', 'docs/config.md', 'README.md'];
export const URLS = ['https://vitest.dev/api/vi.html', 'https://react.dev/reference/react/useLayoutEffect'];
