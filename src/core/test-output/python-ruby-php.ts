// Test-output parsers for pytest, python unittest, rspec, minitest and phpunit.
// Pure: no node:* imports.
import { counts, items, lastMatch, matches, num, rest, sum, type Parser } from './summary.js';

// ---- pytest / python unittest -------------------------------------------------------------

// "==== 2 failed, 10 passed, 1 skipped in 0.30s ====", "5 passed in 0.12s" (-q), "no tests ran in 0.01s"
const PYTEST_LINE = /^[ \t=]*((?:\d+ |no tests ran)[^\n]*?) in \d+(?:\.\d+)?(?:s| seconds)\b[^\n]*$/gm;
const PYTEST_ITEM = /(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?|rerun)\b/g;

export const parsePytest: Parser = (text) => {
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

export const parseUnittest: Parser = (text) => {
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


// ---- rspec / minitest ----------------------------------------------------------------------

const RSPEC_LINE = /^(\d+) examples?, (\d+) failures?([^\n]*)$/gm;
const RSPEC_PENDING = /(\d+) pending/;
const RSPEC_OUTSIDE = /(\d+) errors? occurred outside of examples/;

export const parseRspec: Parser = (text) => {
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

export const parseMinitest: Parser = (text) => {
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

export const parsePhpunit: Parser = (text) => {
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
