// Test-output parsers for compiled languages: go test, cargo test and nextest, maven, gradle,
// dotnet test, ctest. Pure: no node:* imports.
import { counts, items, lastMatch, matches, num, rest, sum, UNKNOWN_COUNTS, type Parser } from './summary.js';

// ---- go test ------------------------------------------------------------------------------

const GO_OK = /^ok[ \t]+\S+[ \t]+(?:\(cached\)|\d+(?:\.\d+)?s)/gm;
const GO_FAIL_PKG = /^FAIL[ \t]+\S+[ \t]+(?:\d+(?:\.\d+)?s|\[[^\]\n]*\])/gm;
const GO_FAIL_ALONE = /^FAIL[ \t]*$/gm;
const GO_TEST = /^--- (PASS|FAIL|SKIP): /gm; // top-level tests only: subtests are indented

/**
 * Sums over every package. Without -v go prints only failing tests, so the passed and skipped
 * counts are known only when "--- PASS" / "=== RUN" lines show verbose output.
 */
export const parseGo: Parser = (text) => {
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
export const parseCargo: Parser = (text) => {
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

export const parseNextest: Parser = (text) => {
  if (!text.includes('Summary [')) return null;
  const found = lastMatch(NEXTEST_SUMMARY, text);
  if (found === null) return null;
  const c = items(NEXTEST_ITEM, found.m[2]!);
  const run = Number(found.m[1]);
  const failed = sum(c, 'failed', 'timed out');
  const skipped = sum(c, 'skipped');
  return { counts: counts(sum(c, 'passed'), failed, skipped, run + skipped), failure: failed > 0, end: found.end };
};


// ---- maven / gradle ----------------------------------------------------------------------

const MAVEN_TESTS = /^(?:\[[A-Z]+\] )?Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)([^\n]*)$/gm;
const MAVEN_BUILD = /^\[[A-Z]+\] BUILD (SUCCESS|FAILURE)[ \t]*$/gm;

/**
 * Surefire prints a line per test class (with "Time elapsed") and then a "Results:" total per
 * module. The module totals are summed (a reactor build has several); the per-class lines are a
 * fallback for truncated output.
 */
export const parseMaven: Parser = (text) => {
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
export const parseGradle: Parser = (text) => {
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
export const parseDotnet: Parser = (text) => {
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


// ---- ctest ---------------------------------------------------------------------------------

const CTEST_LINE = /^\d+% tests passed, (\d+) tests? failed out of (\d+)/gm;

/** ctest counts skipped tests as not failed and does not total them here: skipped is unknown. */
export const parseCtest: Parser = (text) => {
  if (!text.includes('tests passed')) return null;
  const found = lastMatch(CTEST_LINE, text);
  if (found === null) return null;
  const failed = Number(found.m[1]);
  const total = Number(found.m[2]);
  return { counts: counts(rest(total, failed), failed, null, total), failure: failed > 0, end: found.end };
};
