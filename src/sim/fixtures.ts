// What the simulated sessions are made of: activity names, the noise mix, projects with their files
// and prompts, and the inputs the calls draw from. Data only (plus the test-run record). Pure.
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
} as const;

export const NOISE: readonly { activity: string; weight: number }[] = [
  { activity: ACT.grep, weight: 3 },
  { activity: ACT.glob, weight: 2 },
  { activity: ACT.webSearch, weight: 1 },
  { activity: ACT.webFetch, weight: 1 },
  { activity: ACT.todo, weight: 2 },
  { activity: ACT.git, weight: 2 },
  { activity: ACT.build, weight: 1 },
  { activity: ACT.skill, weight: 0.7 },
  { activity: ACT.mcp, weight: 0.7 },
];
export const NOISE_WEIGHTS = NOISE.map((n) => n.weight);

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
  prompts: string[];
}

export const PROJECTS: readonly Project[] = [
  project('billing-api', ['src/invoice.ts', 'src/tax.ts', 'src/currency.ts', 'src/routes/invoices.ts'], 48, [
    'Fix the rounding bug in {file}: totals are off by one cent',
    'Add VAT support for reverse-charge invoices in {file}',
    'The invoice route returns 500 for an empty cart, please fix',
    'Refactor {file} so currency conversion is done in one place',
  ]),
  project(
    'web-dashboard',
    ['src/App.tsx', 'src/hooks/useFilters.ts', 'src/components/Chart.tsx', 'src/api/client.ts'],
    112,
    [
      'The chart in {file} flickers when filters change, fix it',
      'Add a date-range filter and wire it into {file}',
      'Why does the API client retry forever on 401?',
      'Write tests for {file} and make them pass',
    ],
  ),
  project('cli-tools', ['src/cli.ts', 'src/config.ts', 'src/commands/sync.ts', 'src/util/paths.ts'], 23, [
    'sync should skip hidden files; change {file}',
    'Add a --dry-run flag to the sync command',
    'Config loading breaks on Windows paths, see {file}',
    'Explain how {file} resolves the config directory',
  ]),
];

function project(name: string, files: string[], tests: number, prompts: string[]): Project {
  const cwd = `/home/dev/projects/${name}`;
  return { name, cwd, slug: cwd.replace(/[^A-Za-z0-9]/g, '-'), files, tests, prompts };
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
export const URLS = ['https://vitest.dev/api/vi.html', 'https://react.dev/reference/react/useLayoutEffect'];
