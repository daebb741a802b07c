// Recognises test runs among Bash commands and reads pass/fail counts from their output.
// Pure. Linear in the output: each summary regex is anchored at line starts, has no nested
// quantifiers, and is guarded by a cheap substring check; no RegExp is built per call.
// The parsers, one per output format, are in src/core/test-output/ (javascript.ts,
// python-ruby-php.ts, compiled.ts; their shared helpers in summary.ts); this file cleans the output
// and chooses the parsers for the command's runners.
import type { TestRun } from './types.js';
import { analyzeBash, type TestInvocation } from './bash-kind.js';
import { UNKNOWN_COUNTS, type Parser, type Summary } from './test-output/summary.js';
import {
  parseCargo, parseCtest, parseDotnet, parseGo, parseGradle, parseMaven, parseNextest,
} from './test-output/compiled.js';
import {
  parseBun, parseDeno, parseJasmine, parseJestVitest, parseMocha, parseNodeTap, parsePlaywright,
} from './test-output/javascript.js';
import {
  parseMinitest, parsePhpunit, parsePytest, parseRspec, parseUnittest,
} from './test-output/python-ruby-php.js';

/** Runner id of the first test invocation in the command, or null when it runs no tests. */
export function detectTestRunner(command: string): string | null {
  return analyzeBash(command).tests[0]?.runner ?? null;
}

/**
 * The test run a Bash call made, or null when the command runs no tests.
 * `failed` is true when the call failed (PostToolUseFailure: non-zero exit); then the run did not
 * pass whatever the output says. Otherwise it passed unless the output's summary reports failures
 * (a pipe such as `npm test | tail` hides the exit status).
 */
export function parseTestRun(command: string, output: string, failed: boolean): TestRun | null {
  const tests = analyzeBash(command).tests;
  const first = tests[0];
  if (first === undefined) return null;
  const summary = bestSummary(parsersFor(tests), cleanOutput(output));
  const counts = summary?.counts ?? UNKNOWN_COUNTS;
  const passed = !failed && !(summary?.failure ?? false) && (counts.failed ?? 0) === 0;
  return { runner: first.runner, passed, counts: { ...counts } };
}

// ---- output clean-up ----------------------------------------------------------------------

const EXIT_CODE_PREFIX = /^Exit code \d+\r?\n/;
// CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks), two-byte escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;
const CR_NEWLINE = /\r\n?/g;

/** Strips the "Exit code N" header, ANSI codes, carriage returns, and a duplicated body. */
function cleanOutput(output: string): string {
  let text = output.replace(EXIT_CODE_PREFIX, '');
  if (text.includes('\x1b')) text = text.replace(ANSI, '');
  if (text.includes('\r')) text = text.replace(CR_NEWLINE, '\n');
  return undoDuplication(text.trimEnd());
}

/**
 * PostToolUseFailure has been seen carrying the combined output twice. Summing formats
 * (cargo, go, dotnet, maven) would then count every test twice, so "X\nX" and "XX" become X.
 */
function undoDuplication(text: string): string {
  const n = text.length;
  for (const sep of ['\n', '']) {
    const half = (n - sep.length) / 2;
    if (half < 1 || !Number.isInteger(half)) continue;
    if (text.slice(half, half + sep.length) === sep && text.startsWith(text.slice(half + sep.length), 0)) {
      return text.slice(0, half);
    }
  }
  return text;
}

// ---- choosing parsers ---------------------------------------------------------------------

function parsersFor(tests: readonly TestInvocation[]): readonly Parser[] {
  if (tests.length === 1 && !tests[0]!.wrapper) return RUNNER_PARSERS.get(tests[0]!.runner) ?? ALL_PARSERS;
  const chosen = new Set<Parser>();
  for (const t of tests) {
    const own = t.wrapper ? undefined : RUNNER_PARSERS.get(t.runner);
    for (const p of own ?? ALL_PARSERS) chosen.add(p);
  }
  return [...chosen];
}

/** The summary that ends last in the output: a re-run or a second suite supersedes the first. */
function bestSummary(parsers: readonly Parser[], text: string): Summary | null {
  let best: Summary | null = null;
  for (const parse of parsers) {
    const s = parse(text);
    if (s && (best === null || s.end > best.end)) best = s;
  }
  return best;
}

// ---- registry -----------------------------------------------------------------------------

/** Every format: for wrappers (npm test, make test, tox, test scripts) that can run anything. */
const ALL_PARSERS: readonly Parser[] = [
  parseJestVitest,
  parseMocha,
  parsePytest,
  parseUnittest,
  parseGo,
  parseCargo,
  parseNextest,
  parseRspec,
  parseMinitest,
  parsePhpunit,
  parseMaven,
  parseGradle,
  parseDotnet,
  parseNodeTap,
  parseDeno,
  parseBun,
  parseJasmine,
  parsePlaywright,
  parseCtest,
];

/** Direct runners read only their own format; a runner absent here gets every format. */
const RUNNER_PARSERS: ReadonlyMap<string, readonly Parser[]> = new Map([
  ['jest', [parseJestVitest]],
  ['vitest', [parseJestVitest]],
  ['pest', [parseJestVitest]],
  ['artisan', [parseJestVitest, parsePhpunit]],
  ['mocha', [parseMocha]],
  ['pytest', [parsePytest]],
  ['unittest', [parseUnittest]],
  ['django', [parseUnittest]],
  ['go', [parseGo]],
  ['cargo', [parseCargo]],
  ['nextest', [parseNextest]],
  ['rspec', [parseRspec]],
  ['minitest', [parseMinitest]],
  ['phpunit', [parsePhpunit]],
  ['maven', [parseMaven]],
  ['gradle', [parseGradle]],
  ['dotnet', [parseDotnet]],
  ['node', [parseNodeTap]],
  ['tap', [parseNodeTap]],
  ['deno', [parseDeno]],
  ['bun', [parseBun]],
  ['jasmine', [parseJasmine]],
  ['playwright', [parsePlaywright]],
  ['ctest', [parseCtest]],
]);
