// Seeded simulator of Claude Code sessions with planted patterns, for tests, benchmarks and the demo.
//
// One internal model per session (calls with start/end, subagents, turns) feeds two outputs:
//   - simulate(): realistic hook payloads (what the capture hook would have spooled), ordered by time;
//   - simulateTraces(): the SessionTraces the ingest + pairing path should derive from those payloads.
// Same options and seed give the same sessions in both, byte for byte. Pure: no node:*, no clock,
// no Math.random (the PRNG is in rng.ts; each session has its own derived stream).
//
// What is planted (activity names as the vocabulary spells them), see SimTruth:
//   - good sequence   Read → Edit → Bash:test, contiguous, in "good" sessions, which pass at good_pass_rate;
//   - anti-pattern    Edit → Edit → Edit, in "anti" sessions, which never Read on the main thread
//                     and pass at anti_pass_rate;
//   - concurrency     a Grep + Glob batch (overlapping intervals, random order) and two subagents
//                     (Agent:Explore ‖ Agent:code-reviewer) running at the same time;
//   - order-independent pair  Bash:lint and Bash:typecheck, directly after each other, 50/50 order;
//   - noise           random tools (Grep, Glob, WebSearch, WebFetch, TodoWrite, Bash:git, Bash:build,
//                     Skill:webapp-testing, mcp:github) between blocks, independent of the outcome.
// Neutral sessions pass at neutral_pass_rate; "no-test" sessions never run tests (outcome unknown).
// The outcome of a session is its LAST test run: the final full `npx vitest run`.
// Contiguity guarantees: Read, Edit and Bash:test never appear as noise; neutral work blocks start
// with Grep or Glob; so Read→Edit→Bash:test (contiguous, main thread) occurs only in good sessions
// and Edit→Edit→Edit only in anti sessions. Gapped occurrences can appear elsewhere.

import type { Outcome, SessionTrace, Step, TestRun } from '../core/types.js';
import { Rng, deriveSeed } from './rng.js';

export interface SimPayload {
  ts_ms: number;
  event: string;
  payload: Record<string, unknown>;
}

/** Knobs of the planted patterns. Shares are fractions of all sessions. */
export interface PlantedOptions {
  good_share: number;
  good_pass_rate: number;
  anti_share: number;
  anti_pass_rate: number;
  neutral_pass_rate: number;
  /** sessions that never run a test (questions, exploration): outcome unknown */
  no_test_share: number;
  /** sessions with one Grep + Glob batch (overlapping intervals) */
  concurrent_share: number;
  /** sessions with Agent:Explore and Agent:code-reviewer running at the same time */
  subagent_pair_share: number;
  /** sessions with a single (non-concurrent) Agent:general-purpose */
  single_subagent_share: number;
  /** tested sessions with Bash:lint and Bash:typecheck adjacent, in random order */
  order_independent_share: number;
  /** mean number of noise calls per session (uniform on 0..2·mean) */
  noise_mean: number;
  /** probability that an Edit fails ("String to replace not found") */
  edit_error_rate: number;
  /** probability that a noise `npm run build` is interrupted by the user */
  interrupt_rate: number;
  /** probability that a turn ends in StopFailure (rate limit) instead of Stop */
  stop_failure_rate: number;
}

export const DEFAULT_PLANTED: Readonly<PlantedOptions> = {
  good_share: 0.35,
  good_pass_rate: 0.85,
  anti_share: 0.2,
  anti_pass_rate: 0.3,
  neutral_pass_rate: 0.6,
  no_test_share: 0.1,
  concurrent_share: 0.4,
  subagent_pair_share: 0.25,
  single_subagent_share: 0.1,
  order_independent_share: 0.4,
  noise_mean: 24,
  edit_error_rate: 0.04,
  interrupt_rate: 0.03,
  stop_failure_rate: 0.02,
};

/** The demo corpus: 120 sessions over the 30 days before 2026-11-29 (seeded, so always the same). */
export const DEMO_SIMULATION: Readonly<SimulateOptions> = {
  seed: 20261129,
  sessions: 120,
  start_ms: Date.UTC(2026, 9, 30),
  days: 30,
};

export interface SimulateOptions {
  seed: number;
  sessions: number;
  /** start of the simulated period (epoch ms) */
  start_ms: number;
  /** sessions are spread evenly (with jitter) over this many days; default 30 */
  days?: number;
  planted?: Partial<PlantedOptions>;
}

export type SessionStyle = 'good' | 'anti' | 'neutral' | 'no-test';

export interface SimTruth {
  seed: number;
  planted: PlantedOptions;
  good_sequence: { steps: string[]; pass_rate: number; baseline: number };
  anti_pattern: { steps: string[]; pass_rate: number; baseline: number };
  concurrent_pairs: { members: string[]; share: number }[];
  order_independent_pair: { members: string[]; share: number };
  noise_activities: string[];
  /** every activity name the simulator can produce */
  activities: string[];
  /** ground truth per session, in start order */
  sessions: { session_id: string; style: SessionStyle; passed: boolean | null; start_ms: number }[];
}

export interface SimulatedCorpus {
  payloads: SimPayload[];
  truth: SimTruth;
}

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

const NOISE: readonly { activity: string; weight: number }[] = [
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
const NOISE_WEIGHTS = NOISE.map((n) => n.weight);

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

interface Project {
  name: string;
  cwd: string;
  slug: string;
  files: string[];
  tests: number;
  prompts: string[];
}

const PROJECTS: readonly Project[] = [
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

const EDITS: readonly [string, string][] = [
  ['return Math.round(total)', 'return Math.round(total * 100) / 100'],
  ['if (!items) return 0;', 'if (!items || items.length === 0) return 0;'],
  ["const dir = path.join(home, '.config')", 'const dir = configDir(home)'],
  ['useEffect(() => {', 'useLayoutEffect(() => {'],
  ['retries: Infinity', 'retries: 3'],
];
const SEARCHES = ['roundCurrency', 'TODO', 'export function', 'useFilters', 'retry', 'configDir', 'invoiceTotal'];
const GLOBS = ['**/*.ts', 'src/**/*.tsx', 'test/**/*.test.ts', '**/package.json'];
const QUERIES = ['vitest mock timers example', 'EU VAT reverse charge rules', 'react chart flicker on rerender'];
const URLS = ['https://vitest.dev/api/vi.html', 'https://react.dev/reference/react/useLayoutEffect'];

// ---- internal model ------------------------------------------------------------------------

interface CallSpec {
  tool_name: string;
  activity: string;
  input: Record<string, unknown>;
  /** planned duration (ms); the final one is end - start after timestamps are made unique */
  duration: number;
  outcome: 'ok' | 'error' | 'interrupted';
  response: Record<string, unknown> | unknown[] | null;
  error: string | null;
  test: TestRun | null;
}

interface SimAgent {
  id: string;
  type: string;
}

interface SimCall {
  /** what was called; shared, never copied (copying ~10 fields per call dominated the run time) */
  spec: CallSpec;
  tool_use_id: string;
  agent: SimAgent | null;
  start: number;
  end: number;
  /** Agent calls: the subagent it launched */
  launched: SimAgent | null;
}

type EventKind =
  | 'SessionStart'
  | 'UserPromptSubmit'
  | 'PreToolUse'
  | 'PostToolUse'
  | 'PostToolUseFailure'
  | 'SubagentStart'
  | 'SubagentStop'
  | 'Stop'
  | 'StopFailure'
  | 'SessionEnd';

interface SimEvent {
  ts: number;
  kind: EventKind;
  /** prompt index the event belongs to, -1 before the first prompt / after the session */
  turn: number;
  call: SimCall | null;
  agent: SimAgent | null;
}

interface SimSession {
  session_id: string;
  project: Project;
  style: SessionStyle;
  passed: boolean | null;
  permission_mode: string;
  transcript_path: string;
  prompts: string[];
  prompt_ids: string[];
  events: SimEvent[];
  calls: SimCall[];
  stop_failures: number;
  interrupts: number;
}

type Action =
  | { kind: 'call'; spec: CallSpec }
  | { kind: 'batch'; specs: CallSpec[] }
  | { kind: 'agents'; agents: AgentPlan[] };

interface AgentPlan {
  type: string;
  description: string;
  prompt: string;
  inner: CallSpec[];
  tokens: number;
}

const DAY_MS = 86_400_000;

function resolvePlanted(p: Partial<PlantedOptions> | undefined): PlantedOptions {
  const planted = { ...DEFAULT_PLANTED, ...p };
  if (planted.good_share + planted.anti_share + planted.no_test_share > 1 + 1e-9) {
    throw new Error('good_share + anti_share + no_test_share must not exceed 1');
  }
  return planted;
}

// ---- call builders -------------------------------------------------------------------------

/**
 * Inputs and responses that depend only on (project, file, pattern, ...) are built once and shared
 * by every call and payload that uses them: at 10^6 events, rebuilding them made the garbage
 * collector the main cost. They are frozen, so a consumer that mutates a payload fails loudly
 * instead of silently changing other payloads. `make` must not use the PRNG (a cache hit would
 * skip its draws and change every later session).
 */
interface SharedNode {
  value: object | undefined;
  next: Map<unknown, SharedNode>;
}
const SHARED: SharedNode = { value: undefined, next: new Map() };
/** Memo keyed by a path of existing strings/objects (nested Maps: no key strings to build or hash). */
function shared<T extends object>(make: () => T, ...path: unknown[]): T {
  let node = SHARED;
  for (const k of path) {
    let child = node.next.get(k);
    if (child === undefined) node.next.set(k, (child = { value: undefined, next: new Map() }));
    node = child;
  }
  if (node.value === undefined) node.value = deepFreeze(make());
  return node.value as T;
}
function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v as object);
  return Object.freeze(o);
}

class Builder {
  constructor(
    private readonly rng: Rng,
    private readonly proj: Project,
    private readonly planted: PlantedOptions,
  ) {}

  private abs(file: string): string {
    return `${this.proj.cwd}/${file}`;
  }

  file(): string {
    return this.rng.pick(this.proj.files);
  }

  private ok(tool_name: string, activity: string, input: Record<string, unknown>, lo: number, hi: number,
    response: CallSpec['response']): CallSpec {
    return { tool_name, activity, input, duration: this.rng.range(lo, hi), outcome: 'ok', response, error: null, test: null };
  }

  read(file: string): CallSpec {
    const input = shared(() => ({ file_path: this.abs(file) }), 'read-in', this.proj, file);
    const response = shared(() => ({
      type: 'text',
      file: { filePath: this.abs(file), content: `// ${file}\nexport function main() {\n  return 0;\n}\n`, numLines: 4, startLine: 1, totalLines: 4 },
    }), 'read-out', this.proj, file);
    return this.ok('Read', ACT.read, input, 4, 60, response);
  }

  edit(file: string): CallSpec {
    const e = this.rng.int(EDITS.length);
    const [oldString, newString] = EDITS[e] as [string, string];
    const input = shared(() => ({ file_path: this.abs(file), old_string: oldString, new_string: newString, replace_all: false }),
      'edit-in', this.proj, file, e);
    if (this.rng.chance(this.planted.edit_error_rate)) {
      return {
        tool_name: 'Edit', activity: ACT.edit, input, duration: this.rng.range(3, 20), outcome: 'error', response: null,
        error: `<tool_use_error>String to replace not found in file.\nString: ${oldString}</tool_use_error>`, test: null,
      };
    }
    return this.ok('Edit', ACT.edit, input, 15, 120, shared(() => ({
      filePath: this.abs(file), oldString, newString, originalFile: `${oldString}\n`,
      structuredPatch: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: [`-${oldString}`, `+${newString}`] }],
      userModified: false, replaceAll: false,
    }), 'edit-out', this.proj, file, e));
  }

  write(file: string): CallSpec {
    const content = (): string =>
      `import { describe, it, expect } from 'vitest';\n\ndescribe('${file}', () => {\n  it('works', () => expect(1).toBe(1));\n});\n`;
    const input = shared(() => ({ file_path: this.abs(file), content: content() }), 'write-in', this.proj, file);
    return this.ok('Write', ACT.write, input, 10, 80, shared(() => ({
      type: 'create', filePath: this.abs(file), content: content(), structuredPatch: [],
    }), 'write-out', this.proj, file));
  }

  grep(): CallSpec {
    const pattern = this.rng.pick(SEARCHES);
    const file = this.file();
    const input = shared(() => ({ pattern, output_mode: 'files_with_matches' }), 'grep-in', pattern);
    return this.ok('Grep', ACT.grep, input, 40, 600, shared(() => ({
      mode: 'files_with_matches', filenames: [this.abs(file)], numFiles: 1,
    }), 'grep-out', this.proj, file));
  }

  glob(): CallSpec {
    const pattern = this.rng.pick(GLOBS);
    const input = shared(() => ({ pattern }), 'glob-in', pattern);
    return this.ok('Glob', ACT.glob, input, 15, 250, shared(() => ({
      filenames: this.proj.files.map((f) => this.abs(f)), durationMs: 12, numFiles: this.proj.files.length, truncated: false,
    }), 'glob-out', this.proj));
  }

  webSearch(): CallSpec {
    const query = this.rng.pick(QUERIES);
    return this.ok('WebSearch', ACT.webSearch, shared(() => ({ query }), 'ws-in', query), 900, 4500, shared(() => ({
      query, results: [{ tool_use_id: 'srvtoolu_01', content: [{ title: query, url: 'https://example.com/a' }] }],
      durationSeconds: 2.1,
    }), 'ws-out', query));
  }

  webFetch(): CallSpec {
    const url = this.rng.pick(URLS);
    return this.ok('WebFetch', ACT.webFetch, shared(() => ({ url, prompt: 'Summarise the relevant API' }), 'wf-in', url), 400, 3500,
      shared(() => ({ bytes: 48213, code: 200, codeText: 'OK', result: 'The page documents the API.', durationMs: 1200, url }), 'wf-out', url));
  }

  todo(): CallSpec {
    const newTodos = shared(() => [
      { content: 'Reproduce the failure', status: 'completed', activeForm: 'Reproducing the failure' },
      { content: 'Fix and run the tests', status: 'in_progress', activeForm: 'Fixing and running the tests' },
    ], 'todos');
    return this.ok('TodoWrite', ACT.todo, shared(() => ({ todos: newTodos }), 'todo-in'), 2, 12,
      shared(() => ({ oldTodos: [], newTodos }), 'todo-out'));
  }

  skill(): CallSpec {
    return this.ok('Skill', ACT.skill, shared(() => ({ skill: 'webapp-testing' }), 'skill-in'), 5, 60,
      shared(() => ({ success: true, commandName: 'webapp-testing' }), 'skill-out'));
  }

  mcp(): CallSpec {
    const title = 'Flaky test in CI';
    const input = shared(() => ({ owner: 'acme', repo: this.proj.name, title, body: 'Seen twice today.' }), 'mcp-in', this.proj);
    return this.ok('mcp__github__create_issue', ACT.mcp, input, 250, 1800,
      [{ type: 'text', text: `{"number":${this.rng.range(10, 999)},"title":"${title}","state":"open"}` }]);
  }

  private bash(activity: string, command: string, description: string, lo: number, hi: number, stdout: string): CallSpec {
    return this.ok('Bash', activity, shared(() => ({ command, description }), 'bash-in', command), lo, hi,
      shared(() => ({ stdout, stderr: '', interrupted: false, isImage: false }), 'bash-out', command));
  }

  git(): CallSpec {
    const cmd = this.rng.pick(['git status', 'git diff', 'git log --oneline -5']);
    return this.bash(ACT.git, cmd, 'Inspect the working tree', 20, 300, 'On branch main\nnothing to commit, working tree clean');
  }

  commit(): CallSpec {
    return this.bash(ACT.git, 'git commit -am "Fix failing case"', 'Commit the fix', 40, 400,
      '[main 3f2a91c] Fix failing case\n 1 file changed, 2 insertions(+), 1 deletion(-)');
  }

  build(): CallSpec {
    const spec = this.bash(ACT.build, 'npm run build', 'Build the project', 2500, 15000, '> build\n> tsc -p .\n');
    if (this.rng.chance(this.planted.interrupt_rate)) {
      return { ...spec, duration: this.rng.range(800, 4000), outcome: 'interrupted', response: null,
        error: '[Request interrupted by user for tool use]' };
    }
    return spec;
  }

  lint(): CallSpec {
    return this.bash(ACT.lint, 'npm run lint', 'Lint the sources', 1200, 6000, '> lint\n> eslint .\n');
  }

  typecheck(): CallSpec {
    return this.bash(ACT.typecheck, 'npx tsc --noEmit', 'Type-check', 1800, 9000, '');
  }

  /** A vitest run; `file` = one test file, null = the whole suite. Failure is a non-zero exit. */
  test(pass: boolean, file: string | null): CallSpec {
    const testFile = file === null ? null : file.replace(/^src\//, 'test/').replace(/\.tsx?$/, '.test.ts');
    const total = testFile === null ? this.proj.tests : this.rng.range(3, 9);
    const failed = pass ? 0 : this.rng.range(1, Math.min(3, total));
    const passedCount = total - failed;
    const files = testFile === null ? this.proj.files.length : 1;
    const command = testFile === null ? 'npx vitest run' : `npx vitest run ${testFile}`;
    const secs = (this.rng.range(400, 9000) / 1000).toFixed(2);
    const head = ` RUN  v4.1.12 ${this.proj.cwd}\n\n`;
    const summary = failed === 0
      ? ` Test Files  ${files} passed (${files})\n      Tests  ${passedCount} passed (${total})\n   Duration  ${secs}s\n`
      : ` Test Files  1 failed${files > 1 ? ` | ${files - 1} passed` : ''} (${files})\n      Tests  ${failed} failed | ${passedCount} passed (${total})\n   Duration  ${secs}s\n`;
    const [lo, hi] = testFile === null ? [2500, 18000] : [900, 4000];
    const test = simTestRun(passedCount, failed);
    const input = shared(() => ({ command, description: 'Run the tests' }), 'test-in', this.proj, file);
    const duration = this.rng.range(lo, hi);
    if (failed === 0) {
      const stdout = `${head} ✓ ${testFile ?? 'test/app.test.ts'} (${total} tests)\n\n${summary}`;
      return { tool_name: 'Bash', activity: ACT.test, input, duration, outcome: 'ok', error: null, test,
        response: { stdout, stderr: '', interrupted: false, isImage: false } };
    }
    const output = `${head} ❯ ${testFile ?? 'test/app.test.ts'} (${total} tests | ${failed} failed)\n   × handles the edge case\n     → expected 2 to be 3\n\n${summary}`;
    return { tool_name: 'Bash', activity: ACT.test, input, duration, outcome: 'error', response: null, error: `Exit code 1\n${output}`, test };
  }

  noise(): CallSpec {
    const activity = (NOISE[this.rng.weighted(NOISE_WEIGHTS)] as { activity: string }).activity;
    switch (activity) {
      case ACT.grep: return this.grep();
      case ACT.glob: return this.glob();
      case ACT.webSearch: return this.webSearch();
      case ACT.webFetch: return this.webFetch();
      case ACT.todo: return this.todo();
      case ACT.git: return this.git();
      case ACT.build: return this.build();
      case ACT.skill: return this.skill();
      default: return this.mcp();
    }
  }

  agent(type: string, description: string, inner: CallSpec[]): AgentPlan {
    return { type, description, prompt: `${description}. Report what you find.`, inner, tokens: this.rng.range(4000, 60000) };
  }
}

// ---- planning: what a session does ---------------------------------------------------------

function pickStyle(rng: Rng, p: PlantedOptions): SessionStyle {
  const u = rng.next();
  if (u < p.good_share) return 'good';
  if (u < p.good_share + p.anti_share) return 'anti';
  if (u < p.good_share + p.anti_share + p.no_test_share) return 'no-test';
  return 'neutral';
}

function passRate(style: SessionStyle, p: PlantedOptions): number {
  return style === 'good' ? p.good_pass_rate : style === 'anti' ? p.anti_pass_rate : p.neutral_pass_rate;
}

function planSession(rng: Rng, b: Builder, style: SessionStyle, passed: boolean | null, p: PlantedOptions): Action[] {
  const call = (spec: CallSpec): Action => ({ kind: 'call', spec });
  const segments: Action[][] = [];

  // Exploration. Anti sessions never Read on the main thread ("edits without reading").
  const explore: Action[] = [];
  if (rng.chance(p.concurrent_share)) explore.push({ kind: 'batch', specs: rng.shuffle([b.grep(), b.glob()]) });
  if (style !== 'anti') for (let i = rng.range(1, 2); i > 0; i--) explore.push(call(b.read(b.file())));
  else explore.push(call(b.grep()));
  segments.push(explore);

  // Work blocks.
  const blocks = style === 'no-test' ? rng.range(1, 3) : rng.range(2, 6);
  for (let i = 0; i < blocks; i++) {
    const f = b.file();
    switch (style) {
      case 'good':
        segments.push([call(b.read(f)), call(b.edit(f)), call(b.test(rng.chance(0.6), f))]);
        break;
      case 'anti':
        segments.push([call(b.edit(f)), call(b.edit(f)), call(b.edit(b.file())), call(b.test(rng.chance(0.4), f))]);
        break;
      case 'neutral': {
        const v = rng.int(3);
        if (v === 0) segments.push([call(b.grep()), call(b.edit(f)), call(b.test(rng.chance(0.5), f))]);
        else if (v === 1) segments.push([call(b.glob()), call(b.write(f.replace(/^src\//, 'test/'))), call(b.test(rng.chance(0.5), f))]);
        else segments.push([call(b.grep()), call(b.edit(f)), call(b.build())]);
        break;
      }
      default:
        segments.push(rng.chance(0.5) ? [call(b.read(f))] : [call(b.grep()), call(b.read(f))]);
    }
  }

  // Subagents, at a random point after exploration.
  if (rng.chance(p.subagent_pair_share)) {
    const explorer = b.agent('Explore', 'Map the modules involved',
      Array.from({ length: rng.range(2, 5) }, () => rng.pick([() => b.glob(), () => b.grep(), () => b.read(b.file())])()));
    const reviewer = b.agent('code-reviewer', 'Review the current diff',
      [b.git(), ...Array.from({ length: rng.range(1, 4) }, () => (rng.chance(0.7) ? b.read(b.file()) : b.grep()))]);
    segments.splice(rng.range(1, segments.length), 0, [{ kind: 'agents', agents: rng.shuffle([explorer, reviewer]) }]);
  }
  if (rng.chance(p.single_subagent_share)) {
    const helper = b.agent('general-purpose', 'Research the failing behaviour', [b.grep(), b.read(b.file()), b.webSearch()]);
    segments.splice(rng.range(1, segments.length), 0, [{ kind: 'agents', agents: [helper] }]);
  }

  // Tail: verification, then the final full test run that decides the outcome.
  if (style !== 'no-test') {
    const tail: Action[] = [];
    if (rng.chance(p.order_independent_share)) {
      const pair = [call(b.lint()), call(b.typecheck())];
      tail.push(...rng.shuffle(pair));
    }
    tail.push(call(b.test(passed === true, null)));
    if (passed === true && rng.chance(0.4)) tail.push(call(b.commit()));
    segments.push(tail);
  }

  // Noise goes into the gaps between segments: gap k lies before segment k, gap n after the last.
  // Never inside a block, never before the exploration; after the tail only when there is no test.
  const n = segments.length;
  const gaps: Action[][] = Array.from({ length: n + 1 }, () => []);
  const noiseCount = rng.int(2 * p.noise_mean + 1);
  for (let i = 0; i < noiseCount; i++) {
    (gaps[rng.range(1, style === 'no-test' ? n : n - 1)] as Action[]).push(call(b.noise()));
  }
  const actions: Action[] = [];
  segments.forEach((seg, i) => actions.push(...(gaps[i] as Action[]), ...seg));
  actions.push(...(gaps[n] as Action[]));
  return actions;
}

// ---- layout: timestamps --------------------------------------------------------------------

function toolUseId(rng: Rng): string {
  return `toolu_01${rng.base62(22)}`;
}

function buildSession(seed: number, index: number, startMs: number, p: PlantedOptions): SimSession {
  const rng = new Rng(deriveSeed(seed, index));
  const proj = rng.pick(PROJECTS);
  const b = new Builder(rng, proj, p);
  const style = pickStyle(rng, p);
  const passed = style === 'no-test' ? null : rng.chance(passRate(style, p));
  const actions = planSession(rng, b, style, passed, p);

  const session_id = rng.uuid();
  const session: SimSession = {
    session_id, project: proj, style, passed,
    transcript_path: `/home/dev/.claude/projects/${proj.slug}/${session_id}.jsonl`,
    permission_mode: rng.chance(0.3) ? 'acceptEdits' : 'default',
    prompts: [], prompt_ids: [], events: [], calls: [], stop_failures: 0, interrupts: 0,
  };
  const events: SimEvent[] = [];
  const push = (ts: number, kind: EventKind, turn: number, call: SimCall | null = null, agent: SimAgent | null = null): void => {
    events.push({ ts, kind, turn, call, agent });
  };

  // Turn boundaries: 1–3 prompts, each owning a contiguous run of actions.
  const turnStarts = new Set<number>([0]);
  const extraTurns = (rng.chance(0.4) ? 1 : 0) + (rng.chance(0.2) ? 1 : 0);
  for (let i = 0; i < extraTurns && actions.length > 1; i++) turnStarts.add(rng.range(1, actions.length - 1));

  let t = startMs;
  push(t, 'SessionStart', -1);
  t += rng.range(2000, 60000);
  let turn = -1;

  const startCall = (spec: CallSpec, at: number, agent: SimAgent | null): SimCall => {
    const c: SimCall = { spec, tool_use_id: toolUseId(rng), agent, start: at, end: at + spec.duration, launched: null };
    session.calls.push(c);
    if (spec.outcome === 'interrupted') session.interrupts++;
    push(c.start, 'PreToolUse', turn, c);
    push(c.end, spec.outcome === 'ok' ? 'PostToolUse' : 'PostToolUseFailure', turn, c);
    return c;
  };
  const endTurn = (): void => {
    t += rng.range(500, 4000);
    if (rng.chance(p.stop_failure_rate)) {
      session.stop_failures++;
      push(t, 'StopFailure', turn);
    } else {
      push(t, 'Stop', turn);
    }
  };

  actions.forEach((action, i) => {
    if (turnStarts.has(i)) {
      if (turn >= 0) {
        endTurn();
        t += rng.range(20_000, 600_000); // the user reads, thinks, types
      }
      turn++;
      session.prompts.push(rng.pick(proj.prompts).replace('{file}', rng.pick(proj.files)));
      session.prompt_ids.push(rng.uuid());
      push(t, 'UserPromptSubmit', turn);
    }
    t += rng.range(800, 9000); // model latency before the next tool call
    if (action.kind === 'call') {
      t = startCall(action.spec, t, null).end;
    } else if (action.kind === 'batch') {
      // Parallel tool calls of one assistant message: Pre hooks a few ms apart, Posts as each finishes.
      let end = t;
      action.specs.forEach((spec, k) => {
        end = Math.max(end, startCall(spec, t + k * rng.range(1, 3), null).end);
      });
      t = end;
    } else {
      let end = t;
      action.agents.forEach((plan, k) => {
        const pre = t + k * rng.range(1, 3);
        const agent: SimAgent = { id: `a${rng.hex(16)}`, type: plan.type };
        push(pre + rng.range(4, 10), 'SubagentStart', turn, null, agent);
        let u = pre + rng.range(300, 2000);
        for (const spec of plan.inner) {
          u = startCall(spec, u, agent).end + rng.range(200, 3000);
        }
        const stop = u + rng.range(300, 2000);
        push(stop, 'SubagentStop', turn, null, agent);
        const post = stop + rng.range(2, 6);
        const response = {
          status: 'completed', agentId: agent.id, agentType: plan.type,
          content: [{ type: 'text', text: `Done: ${plan.description.toLowerCase()}.` }],
          totalToolUseCount: plan.inner.length, totalTokens: plan.tokens,
          usage: { input_tokens: Math.floor(plan.tokens * 0.9), output_tokens: Math.ceil(plan.tokens * 0.1) },
          prompt: plan.prompt,
        };
        const spec: CallSpec = {
          tool_name: 'Agent', activity: `Agent:${plan.type}`,
          input: { description: plan.description, prompt: plan.prompt, subagent_type: plan.type, run_in_background: false },
          duration: post - pre, outcome: 'ok', response, error: null, test: null,
        };
        const c = startCall(spec, pre, null);
        c.launched = agent;
        end = Math.max(end, post);
      });
      t = end;
    }
  });
  if (turn >= 0) endTurn();
  t += rng.range(5000, 600_000);
  push(t, 'SessionEnd', -1);

  // Order by time (stable), then make timestamps unique and strictly increasing within the session,
  // so that any consumer ordering by ts_ms sees exactly this order. Start/end follow the final times.
  const order = events.map((_, k) => k).sort((x, y) => (events[x] as SimEvent).ts - (events[y] as SimEvent).ts || x - y);
  let prev = -Infinity;
  for (const k of order) {
    const ev = events[k] as SimEvent;
    if (ev.ts <= prev) ev.ts = prev + 1;
    prev = ev.ts;
    session.events.push(ev);
    if (ev.call !== null) {
      if (ev.kind === 'PreToolUse') ev.call.start = ev.ts;
      else ev.call.end = ev.ts;
    }
  }
  return session;
}

function sessionStart(o: SimulateOptions, i: number): number {
  // Even spread with jitter: session i starts in slot i of `sessions` equal slots over the period.
  const span = (o.days ?? 30) * DAY_MS;
  const slot = span / Math.max(1, o.sessions);
  const jitter = new Rng(deriveSeed(o.seed ^ 0x5eed, i)).next();
  return Math.floor(o.start_ms + (i + 0.1 + 0.8 * jitter) * slot);
}

function* sessions(o: SimulateOptions): Generator<SimSession> {
  const p = resolvePlanted(o.planted);
  for (let i = 0; i < o.sessions; i++) yield buildSession(o.seed, i, sessionStart(o, i), p);
}

// ---- outputs -------------------------------------------------------------------------------

function toStep(c: SimCall): Step {
  const outcome: Outcome = c.spec.outcome;
  return {
    activity: c.spec.activity, start_ms: c.start, end_ms: c.end, outcome, tool_use_id: c.tool_use_id,
    agent: c.agent === null ? null : c.agent.type, test: c.spec.test,
  };
}

function toTrace(s: SimSession): SessionTrace {
  const steps = s.calls.map(toStep).sort((a, b) => a.start_ms - b.start_ms);
  const first = s.events[0] as SimEvent;
  const last = s.events[s.events.length - 1] as SimEvent;
  return {
    session_id: s.session_id, project: s.project.cwd, start_ms: first.ts, end_ms: last.ts, steps,
    stop_failures: s.stop_failures, interrupts: s.interrupts, prompts: [...s.prompts],
  };
}

/**
 * The hook payload of one event. Each kind is one object literal (optional fields appended after):
 * at 10^6 payloads, growing objects field by field cost a property-store allocation each.
 */
function payloadOf(s: SimSession, ev: SimEvent): Record<string, unknown> {
  const session_id = s.session_id;
  const transcript_path = s.transcript_path;
  const cwd = s.project.cwd;
  const permission_mode = s.permission_mode;
  const prompt_id = ev.turn >= 0 ? s.prompt_ids[ev.turn] : undefined;
  let out: Record<string, unknown>;
  switch (ev.kind) {
    case 'SessionStart':
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, source: 'startup', model: 'claude-sonnet-4-5-20250929' };
    case 'SessionEnd':
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, reason: 'prompt_input_exit' };
    case 'UserPromptSubmit':
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id, prompt: s.prompts[ev.turn] };
    case 'Stop':
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        stop_hook_active: false, last_assistant_message: 'Done. The change is in place.' };
    case 'StopFailure':
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        error: 'rate_limit', last_assistant_message: 'API Error: Request rejected (429) · rate limit exceeded' };
    case 'SubagentStart': {
      const agent = ev.agent as SimAgent;
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        agent_id: agent.id, agent_type: agent.type };
    }
    case 'SubagentStop': {
      const agent = ev.agent as SimAgent;
      return { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        agent_id: agent.id, agent_type: agent.type, stop_hook_active: false,
        agent_transcript_path: `/home/dev/.claude/projects/${s.project.slug}/${session_id}/subagents/agent-${agent.id}.jsonl`,
        last_assistant_message: 'Done.' };
    }
    case 'PreToolUse': {
      const c = ev.call as SimCall;
      out = { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        tool_name: c.spec.tool_name, tool_input: c.spec.input, tool_use_id: c.tool_use_id };
      break;
    }
    case 'PostToolUse': {
      const c = ev.call as SimCall;
      const response = c.launched !== null ? { ...(c.spec.response as object), totalDurationMs: c.end - c.start } : c.spec.response;
      out = { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        tool_name: c.spec.tool_name, tool_input: c.spec.input, tool_response: response, tool_use_id: c.tool_use_id,
        duration_ms: c.end - c.start };
      break;
    }
    case 'PostToolUseFailure': {
      const c = ev.call as SimCall;
      out = { session_id, transcript_path, cwd, hook_event_name: ev.kind, permission_mode, prompt_id,
        tool_name: c.spec.tool_name, tool_input: c.spec.input, tool_use_id: c.tool_use_id, error: c.spec.error,
        duration_ms: c.end - c.start };
      if (c.spec.outcome === 'interrupted') out.is_interrupt = true;
      break;
    }
  }
  const c = ev.call as SimCall;
  if (c.spec.tool_name.startsWith('mcp__')) out.mcp_server = MCP_SERVER;
  if (c.agent !== null) {
    out.agent_id = c.agent.id;
    out.agent_type = c.agent.type;
  }
  return out;
}

const MCP_SERVER = Object.freeze({ name: 'github', source: 'user' });

function payloadsOf(s: SimSession): SimPayload[] {
  return s.events.map((ev) => ({ ts_ms: ev.ts, event: ev.kind, payload: payloadOf(s, ev) }));
}

/** Min-heap merge of per-session payload lists (each in time order) by (ts, session index): O(n log k). */
function mergeByTime(lists: SimPayload[][]): SimPayload[] {
  const out: SimPayload[] = [];
  const heap: number[] = []; // session indices
  const pos = new Int32Array(lists.length);
  const key = (i: number): number => ((lists[i] as SimPayload[])[pos[i] as number] as SimPayload).ts_ms;
  const less = (x: number, y: number): boolean => {
    const kx = key(x);
    const ky = key(y);
    return kx < ky || (kx === ky && x < y);
  };
  const up = (k: number): void => {
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!less(heap[k] as number, heap[parent] as number)) break;
      [heap[k], heap[parent]] = [heap[parent] as number, heap[k] as number];
      k = parent;
    }
  };
  const down = (k: number): void => {
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < heap.length && less(heap[l] as number, heap[m] as number)) m = l;
      if (r < heap.length && less(heap[r] as number, heap[m] as number)) m = r;
      if (m === k) return;
      [heap[k], heap[m]] = [heap[m] as number, heap[k] as number];
      k = m;
    }
  };
  const first = (i: number): number => ((lists[i] as SimPayload[])[0] as SimPayload).ts_ms;
  // Sessions are in start order, so each one joins the heap only when the merge reaches its start.
  let next = 0;
  const admit = (upTo: number): void => {
    while (next < lists.length && ((lists[next] as SimPayload[]).length === 0 || first(next) <= upTo)) {
      if ((lists[next] as SimPayload[]).length > 0) {
        heap.push(next);
        up(heap.length - 1);
      }
      next++;
    }
  };
  while (next < lists.length || heap.length > 0) {
    if (heap.length === 0) admit(first(next));
    if (heap.length === 0) break;
    admit(key(heap[0] as number));
    const i = heap[0] as number;
    const list = lists[i] as SimPayload[];
    out.push(list[pos[i] as number] as SimPayload);
    pos[i] = (pos[i] as number) + 1;
    if ((pos[i] as number) < list.length) {
      down(0);
    } else {
      const lastIdx = heap.pop() as number;
      if (heap.length > 0) {
        heap[0] = lastIdx;
        down(0);
      }
    }
  }
  return out;
}

type TruthRow = SimTruth['sessions'][number];

function truthRow(s: SimSession): TruthRow {
  return { session_id: s.session_id, style: s.style, passed: s.passed, start_ms: (s.events[0] as SimEvent).ts };
}

function truthOf(o: SimulateOptions, rows: TruthRow[]): SimTruth {
  const p = resolvePlanted(o.planted);
  const share: Record<SessionStyle, number> = {
    good: p.good_share, anti: p.anti_share, 'no-test': p.no_test_share,
    neutral: Math.max(0, 1 - p.good_share - p.anti_share - p.no_test_share),
  };
  // Intended pass rate of tested sessions of the given styles, weighted by their shares.
  const rateOf = (styles: SessionStyle[]): number => {
    let w = 0;
    let r = 0;
    for (const st of styles) {
      w += share[st];
      r += share[st] * passRate(st, p);
    }
    return w > 0 ? r / w : 0;
  };
  return {
    seed: o.seed,
    planted: p,
    good_sequence: { steps: [ACT.read, ACT.edit, ACT.test], pass_rate: p.good_pass_rate, baseline: rateOf(['anti', 'neutral']) },
    anti_pattern: { steps: [ACT.edit, ACT.edit, ACT.edit], pass_rate: p.anti_pass_rate, baseline: rateOf(['good', 'neutral']) },
    concurrent_pairs: [
      { members: [ACT.glob, ACT.grep], share: p.concurrent_share },
      { members: [ACT.explore, ACT.reviewer], share: p.subagent_pair_share },
    ],
    order_independent_pair: { members: [ACT.lint, ACT.typecheck], share: p.order_independent_share * (1 - p.no_test_share) },
    noise_activities: NOISE.map((n) => n.activity),
    activities: [...new Set(Object.values(ACT))].sort(),
    sessions: rows,
  };
}

function validate(o: SimulateOptions): void {
  if (!Number.isInteger(o.sessions) || o.sessions < 0) throw new Error('sessions must be a non-negative integer');
  if (!Number.isFinite(o.start_ms)) throw new Error('start_ms must be a number');
  if (o.days !== undefined && !(o.days > 0)) throw new Error('days must be positive');
}

/** Hook payloads of `sessions` simulated sessions, ordered by ts_ms, plus what was planted. */
export function simulate(o: SimulateOptions): SimulatedCorpus {
  validate(o);
  // Each session's model is dropped once its payloads exist: only the payloads stay in memory.
  const lists: SimPayload[][] = [];
  const rows: TruthRow[] = [];
  for (const s of sessions(o)) {
    lists.push(payloadsOf(s));
    rows.push(truthRow(s));
  }
  return { payloads: mergeByTime(lists), truth: truthOf(o, rows) };
}

/** The same sessions as simulate() with the same options, as SessionTraces (steps ordered by start). */
export function simulateTraces(o: SimulateOptions): SessionTrace[] {
  validate(o);
  const out: SessionTrace[] = [];
  for (const s of sessions(o)) out.push(toTrace(s));
  return out;
}

/** Both views at once (one model build): handy for tests comparing traces with truth. */
export function simulateBoth(o: SimulateOptions): SimulatedCorpus & { traces: SessionTrace[] } {
  validate(o);
  const lists: SimPayload[][] = [];
  const rows: TruthRow[] = [];
  const traces: SessionTrace[] = [];
  for (const s of sessions(o)) {
    lists.push(payloadsOf(s));
    rows.push(truthRow(s));
    traces.push(toTrace(s));
  }
  return { payloads: mergeByTime(lists), truth: truthOf(o, rows), traces };
}
