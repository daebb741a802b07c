// Test-output parsers for JavaScript runners: jest/vitest (and pest/artisan), mocha, node --test and
// tape (TAP), deno, bun, jasmine, playwright. Pure: no node:* imports.
import { counts, items, lastBlock, lastMatch, linesBetween, matches, num, rest, sum, type Parser } from './summary.js';

// ---- jest / vitest (and pest / artisan, which print the same "Tests:" line) -------------

const TESTS_LINE = /^[ \t]*Tests:?[ \t]+([^\n]*)$/gm;
const TESTS_ITEM = /(\d+) (passed|failed|skipped|todo|pending|total)\b/g;
const PAREN_TOTAL = /\((\d+)\)[ \t]*$/;
const SUITES_LINE = /^[ \t]*(?:Test Files|Test Suites:)[ \t]+([^\n]*)$/gm;
const FAILED_ITEM = /(\d+) failed/;
const VITEST_ERRORS = /^[ \t]*Errors[ \t]+(\d+) errors?\b/gm;

export const parseJestVitest: Parser = (text) => {
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

export const parseMocha: Parser = (text) => {
  if (!text.includes('passing')) return null;
  const block = lastBlock(text, MOCHA_LINE, 1, 2, 2);
  if (block === null || !block.items.has('passing')) return null;
  const passed = sum(block.items, 'passing');
  const failed = sum(block.items, 'failing');
  const skipped = sum(block.items, 'pending');
  return { counts: counts(passed, failed, skipped, passed + failed + skipped), failure: failed > 0, end: block.end };
};


// ---- node --test, tape (TAP trailer) / deno / bun ------------------------------------

// TAP reporter "# pass 5"; spec reporter "ℹ pass 5"
const TAP_LINE = /^(?:# |ℹ )(tests|pass|fail|cancelled|skipped|todo) (\d+)[ \t]*$/gm;

export const parseNodeTap: Parser = (text) => {
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

export const parseDeno: Parser = (text) => {
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

export const parseBun: Parser = (text) => {
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

export const parseJasmine: Parser = (text) => {
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

export const parsePlaywright: Parser = (text) => {
  const block = lastBlock(text, PLAYWRIGHT_LINE, 1, 2, 200);
  if (block === null || !(block.items.has('passed') || block.items.has('failed'))) return null;
  const c = block.items;
  const passed = sum(c, 'passed', 'flaky'); // flaky = passed on retry
  const failed = sum(c, 'failed', 'interrupted');
  const skipped = sum(c, 'skipped', 'did not run');
  return { counts: counts(passed, failed, skipped, passed + failed + skipped), failure: failed > 0, end: block.end };
};
