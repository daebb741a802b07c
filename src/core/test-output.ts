// Recognises test runs among Bash commands and reads pass/fail counts from their output.
// Pure. Linear in the output: each summary regex is anchored at line starts, has no nested
// quantifiers, and is guarded by a cheap substring check; no RegExp is built per call.
import type { TestCounts, TestRun } from './types.js';
import { analyzeBash, type TestInvocation } from './bash-kind.js';

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

interface Summary {
  counts: TestCounts;
  /** the output says the run failed, even when no failed-test count is known */
  failure: boolean;
  /** where the summary ends in the output: the latest one wins */
  end: number;
}
type Parser = (text: string) => Summary | null;

const UNKNOWN_COUNTS: TestCounts = Object.freeze({ passed: null, failed: null, skipped: null, total: null });

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

// ---- helpers --------------------------------------------------------------------------------

interface Found {
  m: RegExpExecArray;
  end: number;
}

/** Every match of a global regex, in order (guarded against empty matches). */
function* matches(re: RegExp, text: string, from = 0): Generator<RegExpExecArray> {
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) re.lastIndex++;
    yield m;
  }
}

function lastMatch(re: RegExp, text: string, accept: (m: RegExpExecArray) => boolean = () => true): Found | null {
  let found: Found | null = null;
  for (const m of matches(re, text)) if (accept(m)) found = { m, end: m.index + m[0].length };
  return found;
}

/** "3 passed, 1 failed" style lists: word -> number, for the words asked for. */
function items(re: RegExp, text: string, countGroup = 1, wordGroup = 2): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of matches(re, text)) {
    const word = m[wordGroup]!;
    out.set(word, (out.get(word) ?? 0) + Number(m[countGroup]));
  }
  return out;
}

const num = (s: string | undefined): number => (s === undefined ? 0 : Number(s));
const sum = (map: ReadonlyMap<string, number>, ...keys: string[]): number => keys.reduce((a, k) => a + (map.get(k) ?? 0), 0);

function counts(passed: number | null, failed: number | null, skipped: number | null, total: number | null): TestCounts {
  return { passed, failed, skipped, total };
}

/** Passed tests when a format prints only a total: never negative, even for garbled output. */
const rest = (total: number, ...others: number[]): number => Math.max(0, others.reduce((a, b) => a - b, total));

/**
 * The last block of consecutive "<n> <category>" lines (mocha, bun, node TAP, playwright).
 * A block ends when a category repeats or more than maxGapLines lines separate two lines.
 */
function lastBlock(
  text: string,
  re: RegExp,
  countGroup: number,
  wordGroup: number,
  maxGapLines: number,
): { items: Map<string, number>; start: number; end: number } | null {
  let block: Map<string, number> | null = null;
  let start = 0;
  let end = -1;
  for (const m of matches(re, text)) {
    const word = m[wordGroup]!;
    if (block === null || block.has(word) || linesBetween(text, end, m.index, maxGapLines) > maxGapLines) {
      block = new Map();
      start = m.index;
    }
    block.set(word, Number(m[countGroup]));
    end = m.index + m[0].length;
  }
  return block === null ? null : { items: block, start, end };
}

/** Newlines between from and to, counting no further than limit + 1 (cost bounded by the gap). */
function linesBetween(text: string, from: number, to: number, limit: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) {
    if (++count > limit) break;
  }
  return count;
}

// ---- jest / vitest (and pest / artisan, which print the same "Tests:" line) -------------

const TESTS_LINE = /^[ \t]*Tests:?[ \t]+([^\n]*)$/gm;
const TESTS_ITEM = /(\d+) (passed|failed|skipped|todo|pending|total)\b/g;
const PAREN_TOTAL = /\((\d+)\)[ \t]*$/;
const SUITES_LINE = /^[ \t]*(?:Test Files|Test Suites:)[ \t]+([^\n]*)$/gm;
const FAILED_ITEM = /(\d+) failed/;
const VITEST_ERRORS = /^[ \t]*Errors[ \t]+(\d+) errors?\b/gm;

const parseJestVitest: Parser = (text) => {
  if (!text.includes('Tests')) return null;
  let found: { c: Map<string, number>; total: number | null; end: number } | null = null;
  for (const m of matches(TESTS_LINE, text)) {
    const c = items(TESTS_ITEM, m[1]!);
    if (c.size === 0) continue; // "Tests run: ..." (maven), "Tests: 5, Assertions: 7" (phpunit)
    const paren = PAREN_TOTAL.exec(m[1]!); // vitest "(7)"; pest's "(10 assertions)" does not match
    found = { c, total: c.get('total') ?? (paren ? Number(paren[1]) : null), end: m.index + m[0].length };
  }
  if (found === null) return null;
  // Summary lines list only non-zero categories, so an absent one is a known zero.
  const { c } = found;
  const passed = sum(c, 'passed');
  const failed = sum(c, 'failed');
  const skipped = sum(c, 'skipped', 'todo', 'pending');
  const suites = lastMatch(SUITES_LINE, text);
  const suiteFailed = suites !== null && num(FAILED_ITEM.exec(suites.m[1]!)?.[1]) > 0; // a file that did not load
  const errors = text.includes('Errors') && lastMatch(VITEST_ERRORS, text, (m) => Number(m[1]) > 0) !== null;
  return {
    counts: counts(passed, failed, skipped, found.total ?? passed + failed + skipped),
    failure: failed > 0 || suiteFailed || errors,
    end: found.end,
  };
};

// ---- mocha ------------------------------------------------------------------------------

const MOCHA_LINE = /^[ \t]*(\d+) (passing|failing|pending)\b[^\n]*$/gm;

const parseMocha: Parser = (text) => {
  if (!text.includes('passing')) return null;
  const block = lastBlock(text, MOCHA_LINE, 1, 2, 2);
  if (block === null || !block.items.has('passing')) return null;
  const passed = sum(block.items, 'passing');
  const failed = sum(block.items, 'failing');
  const skipped = sum(block.items, 'pending');
  return { counts: counts(passed, failed, skipped, passed + failed + skipped), failure: failed > 0, end: block.end };
};

// ---- pytest / python unittest -------------------------------------------------------------

// "==== 2 failed, 10 passed, 1 skipped in 0.30s ====", "5 passed in 0.12s" (-q), "no tests ran in 0.01s"
const PYTEST_LINE = /^[ \t=]*((?:\d+ |no tests ran)[^\n]*?) in \d+(?:\.\d+)?(?:s| seconds)\b[^\n]*$/gm;
const PYTEST_ITEM = /(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?|rerun)\b/g;

const parsePytest: Parser = (text) => {
  if (!text.includes(' in ')) return null;
  let found: { c: Map<string, number>; end: number } | null = null;
  for (const m of matches(PYTEST_LINE, text)) {
    const c = items(PYTEST_ITEM, m[1]!);
    const outcome = ['passed', 'failed', 'error', 'errors', 'skipped', 'xfailed', 'xpassed'].some((k) => c.has(k));
    if (outcome || m[1]!.startsWith('no tests ran')) found = { c, end: m.index + m[0].length };
  }
  if (found === null) return null;
  const { c } = found;
  // xpassed tests passed (non-strict xfail), xfailed ones are expected failures: skipped-like.
  const passed = sum(c, 'passed', 'xpassed');
  const failed = sum(c, 'failed', 'error', 'errors');
  const skipped = sum(c, 'skipped', 'xfailed');
  return { counts: counts(passed, failed, skipped, passed + failed + skipped), failure: failed > 0, end: found.end };
};

const UNITTEST_RAN = /^Ran (\d+) tests? in \d+(?:\.\d+)?s$/gm;
const UNITTEST_STATUS = /^(OK|FAILED)(?: \(([^)\n]*)\))?[ \t]*$/gm;
const UNITTEST_ITEM = /(failures|errors|skipped|expected failures|unexpected successes)=(\d+)/g;

const parseUnittest: Parser = (text) => {
  if (!text.includes('Ran ')) return null;
  const ran = lastMatch(UNITTEST_RAN, text);
  if (ran === null) return null;
  const total = Number(ran.m[1]);
  UNITTEST_STATUS.lastIndex = ran.end;
  const status = UNITTEST_STATUS.exec(text);
  if (status === null) return { counts: counts(null, null, null, total), failure: false, end: ran.end };
  const c = items(UNITTEST_ITEM, status[2] ?? '', 2, 1);
  const failed = sum(c, 'failures', 'errors', 'unexpected successes');
  const skipped = sum(c, 'skipped', 'expected failures');
  return {
    counts: counts(rest(total, failed, skipped), failed, skipped, total),
    failure: status[1] === 'FAILED',
    end: status.index + status[0].length,
  };
};

// ---- go test ------------------------------------------------------------------------------

const GO_OK = /^ok[ \t]+\S+[ \t]+(?:\(cached\)|\d+(?:\.\d+)?s)/gm;
const GO_FAIL_PKG = /^FAIL[ \t]+\S+[ \t]+(?:\d+(?:\.\d+)?s|\[[^\]\n]*\])/gm;
const GO_FAIL_ALONE = /^FAIL[ \t]*$/gm;
const GO_TEST = /^--- (PASS|FAIL|SKIP): /gm; // top-level tests only: subtests are indented

/**
 * Sums over every package. Without -v go prints only failing tests, so the passed and skipped
 * counts are known only when "--- PASS" / "=== RUN" lines show verbose output.
 */
const parseGo: Parser = (text) => {
  if (!text.includes('ok') && !text.includes('FAIL') && !text.includes('--- ')) return null;
  let end = -1;
  const count = (re: RegExp): number => {
    let n = 0;
    for (const m of matches(re, text)) {
      n++;
      end = Math.max(end, m.index + m[0].length);
    }
    return n;
  };
  const okPkgs = count(GO_OK);
  const failPkgs = count(GO_FAIL_PKG) + count(GO_FAIL_ALONE);
  const tests = new Map<string, number>();
  for (const m of matches(GO_TEST, text)) {
    tests.set(m[1]!, (tests.get(m[1]!) ?? 0) + 1);
    end = Math.max(end, m.index + m[0].length);
  }
  if (okPkgs + failPkgs + tests.size === 0) return null;
  const verbose = tests.has('PASS') || tests.has('SKIP') || text.includes('=== RUN');
  const failLines = tests.get('FAIL') ?? 0;
  // No failing test named but a package failed: it did not build, or panicked. Count unknown.
  const failed = failLines > 0 ? failLines : failPkgs > 0 ? null : 0;
  const passed = verbose ? (tests.get('PASS') ?? 0) : null;
  const skipped = verbose ? (tests.get('SKIP') ?? 0) : null;
  const total = passed !== null && failed !== null && skipped !== null ? passed + failed + skipped : null;
  return { counts: counts(passed, failed, skipped, total), failure: failPkgs > 0 || failLines > 0, end };
};

// ---- cargo test / nextest ---------------------------------------------------------------

const CARGO_RESULT = /^test result: (ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored;[^\n]*$/gm;

/** One "test result:" line per test binary (unit, each integration file, doc-tests): summed. */
const parseCargo: Parser = (text) => {
  if (!text.includes('test result:')) return null;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let failure = false;
  let end = -1;
  for (const m of matches(CARGO_RESULT, text)) {
    passed += Number(m[2]);
    failed += Number(m[3]);
    skipped += Number(m[4]);
    failure ||= m[1] === 'FAILED';
    end = m.index + m[0].length;
  }
  if (end < 0) return null;
  return { counts: counts(passed, failed, skipped, passed + failed + skipped), failure, end };
};

const NEXTEST_SUMMARY = /^[ \t]*Summary \[[^\]\n]*\][ \t]+(\d+) tests? run: ([^\n]*)$/gm;
const NEXTEST_ITEM = /(\d+) (passed|failed|skipped|timed out)\b/g;

const parseNextest: Parser = (text) => {
  if (!text.includes('Summary [')) return null;
  const found = lastMatch(NEXTEST_SUMMARY, text);
  if (found === null) return null;
  const c = items(NEXTEST_ITEM, found.m[2]!);
  const run = Number(found.m[1]);
  const failed = sum(c, 'failed', 'timed out');
  const skipped = sum(c, 'skipped');
  return { counts: counts(sum(c, 'passed'), failed, skipped, run + skipped), failure: failed > 0, end: found.end };
};

// ---- rspec / minitest ----------------------------------------------------------------------

const RSPEC_LINE = /^(\d+) examples?, (\d+) failures?([^\n]*)$/gm;
const RSPEC_PENDING = /(\d+) pending/;
const RSPEC_OUTSIDE = /(\d+) errors? occurred outside of examples/;

const parseRspec: Parser = (text) => {
  if (!text.includes(' example')) return null;
  const found = lastMatch(RSPEC_LINE, text);
  if (found === null) return null;
  const total = Number(found.m[1]);
  const failed = Number(found.m[2]);
  const skipped = num(RSPEC_PENDING.exec(found.m[3]!)?.[1]);
  const outside = num(RSPEC_OUTSIDE.exec(found.m[3]!)?.[1]); // a spec file that did not load
  return { counts: counts(rest(total, failed, skipped), failed, skipped, total), failure: failed + outside > 0, end: found.end };
};

// minitest "5 runs, 9 assertions, 1 failures, 0 errors, 1 skips"; test-unit "5 tests, ..., 0 pendings"
const MINITEST_LINE = /^(\d+) (?:runs|tests), \d+ assertions, (\d+) failures, (\d+) errors(?:, (\d+) (?:skips|pendings))?/gm;

const parseMinitest: Parser = (text) => {
  if (!text.includes(' assertions, ')) return null;
  const found = lastMatch(MINITEST_LINE, text);
  if (found === null) return null;
  const total = Number(found.m[1]);
  const failed = Number(found.m[2]) + Number(found.m[3]);
  const skipped = num(found.m[4]);
  return { counts: counts(rest(total, failed, skipped), failed, skipped, total), failure: failed > 0, end: found.end };
};

// ---- phpunit -------------------------------------------------------------------------------

const PHPUNIT_OK = /^OK \((\d+) tests?, \d+ assertions?\)/gm;
const PHPUNIT_TESTS = /^Tests: (\d+), Assertions: \d+([^\n]*)$/gm;
const PHPUNIT_ITEM = /(Errors|Failures|Skipped|Incomplete|Risky|Warnings|Deprecations|Notices): (\d+)/g;

const parsePhpunit: Parser = (text) => {
  if (!text.includes('OK (') && !text.includes('Tests: ')) return null;
  const ok = lastMatch(PHPUNIT_OK, text);
  const detailed = lastMatch(PHPUNIT_TESTS, text);
  if (detailed !== null && (ok === null || detailed.end > ok.end)) {
    const total = Number(detailed.m[1]);
    const c = items(PHPUNIT_ITEM, detailed.m[2]!, 2, 1);
    const failed = sum(c, 'Errors', 'Failures');
    const skipped = sum(c, 'Skipped', 'Incomplete');
    return { counts: counts(rest(total, failed, skipped), failed, skipped, total), failure: failed > 0, end: detailed.end };
  }
  if (ok === null) return null;
  const total = Number(ok.m[1]);
  return { counts: counts(total, 0, 0, total), failure: false, end: ok.end };
};

// ---- maven / gradle ----------------------------------------------------------------------

const MAVEN_TESTS = /^(?:\[[A-Z]+\] )?Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)([^\n]*)$/gm;
const MAVEN_BUILD = /^\[[A-Z]+\] BUILD (SUCCESS|FAILURE)[ \t]*$/gm;

/**
 * Surefire prints a line per test class (with "Time elapsed") and then a "Results:" total per
 * module. The module totals are summed (a reactor build has several); the per-class lines are a
 * fallback for truncated output.
 */
const parseMaven: Parser = (text) => {
  if (!text.includes('Tests run:') && !text.includes('BUILD ')) return null;
  const totals = [0, 0, 0, 0];
  const perClass = [0, 0, 0, 0];
  let haveTotals = false;
  let haveClasses = false;
  let end = -1;
  for (const m of matches(MAVEN_TESTS, text)) {
    const target = m[5]!.includes('Time elapsed') ? perClass : totals;
    if (target === totals) haveTotals = true;
    else haveClasses = true;
    for (let k = 0; k < 4; k++) target[k]! += Number(m[k + 1]);
    end = m.index + m[0].length;
  }
  const build = lastMatch(MAVEN_BUILD, text);
  if (!haveTotals && !haveClasses && build === null) return null;
  const buildFailed = build?.m[1] === 'FAILURE';
  if (!haveTotals && !haveClasses) return { counts: UNKNOWN_COUNTS, failure: buildFailed, end: build!.end };
  const [run, failures, errors, skipped] = haveTotals ? totals : perClass;
  const failed = failures! + errors!;
  return {
    counts: counts(rest(run!, failed, skipped!), failed, skipped!, run!),
    failure: failed > 0 || buildFailed,
    end: Math.max(end, build?.end ?? -1),
  };
};

const GRADLE_COUNTS = /^(\d+) tests? completed, (\d+) failed(?:, (\d+) skipped)?/gm;
const GRADLE_BUILD = /^BUILD (SUCCESSFUL|FAILED)\b[^\n]*$/gm;

/** Gradle prints counts only when tests fail; a green run says just "BUILD SUCCESSFUL". */
const parseGradle: Parser = (text) => {
  if (!text.includes('BUILD ') && !text.includes('tests completed')) return null;
  const found = lastMatch(GRADLE_COUNTS, text);
  const build = lastMatch(GRADLE_BUILD, text);
  if (found === null && build === null) return null;
  const buildFailed = build?.m[1] === 'FAILED';
  const end = Math.max(found?.end ?? -1, build?.end ?? -1);
  if (found === null) return { counts: UNKNOWN_COUNTS, failure: buildFailed, end };
  const total = Number(found.m[1]);
  const failed = Number(found.m[2]);
  const skipped = num(found.m[3]);
  return { counts: counts(rest(total, failed, skipped), failed, skipped, total), failure: failed > 0 || buildFailed, end };
};

// ---- dotnet test -------------------------------------------------------------------------

const DOTNET_PROJECT =
  /^[ \t]*(Passed|Failed)![ \t]+-[ \t]+Failed:[ \t]+(\d+),[ \t]+Passed:[ \t]+(\d+),[ \t]+Skipped:[ \t]+(\d+),[ \t]+Total:[ \t]+(\d+)/gm;
const DOTNET_SUMMARY = /^[ \t]*Test summary: total: (\d+), failed: (\d+), succeeded: (\d+), skipped: (\d+)/gm;

/** One "Passed!/Failed!" line per test project (summed); .NET 9 adds an overall "Test summary:". */
const parseDotnet: Parser = (text) => {
  if (!text.includes('Total:') && !text.includes('Test summary:')) return null;
  const overall = lastMatch(DOTNET_SUMMARY, text);
  if (overall !== null) {
    const [total, failed, passed, skipped] = [1, 2, 3, 4].map((k) => Number(overall.m[k]));
    return { counts: counts(passed!, failed!, skipped!, total!), failure: failed! > 0, end: overall.end };
  }
  const totals = [0, 0, 0, 0];
  let failure = false;
  let end = -1;
  for (const m of matches(DOTNET_PROJECT, text)) {
    for (let k = 0; k < 4; k++) totals[k]! += Number(m[k + 2]);
    failure ||= m[1] === 'Failed';
    end = m.index + m[0].length;
  }
  if (end < 0) return null;
  const [failed, passed, skipped, total] = totals;
  return { counts: counts(passed!, failed!, skipped!, total!), failure: failure || failed! > 0, end };
};

// ---- node --test, tape (TAP trailer) / deno / bun ------------------------------------

// TAP reporter "# pass 5"; spec reporter "ℹ pass 5"
const TAP_LINE = /^(?:# |ℹ )(tests|pass|fail|cancelled|skipped|todo) (\d+)[ \t]*$/gm;

const parseNodeTap: Parser = (text) => {
  if (!text.includes('pass ')) return null;
  const block = lastBlock(text, TAP_LINE, 2, 1, 2);
  if (block === null || !(block.items.has('pass') || block.items.has('fail'))) return null;
  const c = block.items;
  const passed = sum(c, 'pass');
  const failed = sum(c, 'fail', 'cancelled');
  const skipped = sum(c, 'skipped', 'todo');
  const total = c.get('tests') ?? passed + failed + skipped;
  return { counts: counts(passed, failed, skipped, total), failure: failed > 0, end: block.end };
};

const DENO_LINE = /^(ok|FAILED) \| ([^\n]*)$/gm;
const DENO_ITEM = /(\d+) (passed|failed|ignored)\b/g;

const parseDeno: Parser = (text) => {
  if (!text.includes(' | ')) return null;
  const found = lastMatch(DENO_LINE, text, (m) => m[2]!.includes(' passed'));
  if (found === null) return null;
  const c = items(DENO_ITEM, found.m[2]!.replace(STEPS, ''));
  const passed = sum(c, 'passed');
  const failed = sum(c, 'failed');
  const skipped = sum(c, 'ignored');
  return {
    counts: counts(passed, failed, skipped, passed + failed + skipped),
    failure: failed > 0 || found.m[1] === 'FAILED',
    end: found.end,
  };
};
const STEPS = /\(\d+ steps?\)/g; // "5 passed (2 steps)": step counts are not tests

const BUN_LINE = /^[ \t]*(\d+) (pass|fail|skip|todo)[ \t]*$/gm;
const BUN_RAN = /^Ran (\d+) tests? across \d+ files?\./gm;

const parseBun: Parser = (text) => {
  if (!text.includes(' pass') && !text.includes(' fail')) return null;
  const block = lastBlock(text, BUN_LINE, 1, 2, 3);
  if (block === null || !(block.items.has('pass') || block.items.has('fail'))) return null;
  const c = block.items;
  const passed = sum(c, 'pass');
  const failed = sum(c, 'fail');
  const skipped = sum(c, 'skip', 'todo');
  BUN_RAN.lastIndex = block.end;
  const ran = BUN_RAN.exec(text);
  const total = ran !== null && linesBetween(text, block.end, ran.index, 3) <= 3 ? Number(ran[1]) : passed + failed + skipped;
  return { counts: counts(passed, failed, skipped, total), failure: failed > 0, end: block.end };
};

// ---- jasmine / playwright / ctest ----------------------------------------------------

const JASMINE_LINE = /^(\d+) specs?, (\d+) failures?(?:, (\d+) pending specs?)?/gm;

const parseJasmine: Parser = (text) => {
  if (!text.includes(' spec')) return null;
  const found = lastMatch(JASMINE_LINE, text);
  if (found === null) return null;
  const total = Number(found.m[1]);
  const failed = Number(found.m[2]);
  const skipped = num(found.m[3]);
  return { counts: counts(rest(total, failed, skipped), failed, skipped, total), failure: failed > 0, end: found.end };
};

// "  1 failed" is followed by the list of failed tests, so lines of a block may be far apart.
const PLAYWRIGHT_LINE = /^[ \t]+(\d+) (passed|failed|flaky|skipped|did not run|interrupted)\b[^\n]*$/gm;

const parsePlaywright: Parser = (text) => {
  const block = lastBlock(text, PLAYWRIGHT_LINE, 1, 2, 200);
  if (block === null || !(block.items.has('passed') || block.items.has('failed'))) return null;
  const c = block.items;
  const passed = sum(c, 'passed', 'flaky'); // flaky = passed on retry
  const failed = sum(c, 'failed', 'interrupted');
  const skipped = sum(c, 'skipped', 'did not run');
  return { counts: counts(passed, failed, skipped, passed + failed + skipped), failure: failed > 0, end: block.end };
};

const CTEST_LINE = /^\d+% tests passed, (\d+) tests? failed out of (\d+)/gm;

/** ctest counts skipped tests as not failed and does not total them here: skipped is unknown. */
const parseCtest: Parser = (text) => {
  if (!text.includes('tests passed')) return null;
  const found = lastMatch(CTEST_LINE, text);
  if (found === null) return null;
  const failed = Number(found.m[1]);
  const total = Number(found.m[2]);
  return { counts: counts(rest(total, failed), failed, null, total), failure: failed > 0, end: found.end };
};

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
