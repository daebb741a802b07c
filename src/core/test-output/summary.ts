// What a test-output parser returns, and the matching helpers the parsers share. Pure: no node:*
// imports; every regex is the caller's module constant, none is built per call.
import type { TestCounts } from '../types.js';

export interface Summary {
  counts: TestCounts;
  /** the output says the run failed, even when no failed-test count is known */
  failure: boolean;
  /** where the summary ends in the output: the latest one wins */
  end: number;
}
export type Parser = (text: string) => Summary | null;

export const UNKNOWN_COUNTS: TestCounts = Object.freeze({ passed: null, failed: null, skipped: null, total: null });

export interface Found {
  m: RegExpExecArray;
  end: number;
}

/** Every match of a global regex, in order (guarded against empty matches). */
export function* matches(re: RegExp, text: string, from = 0): Generator<RegExpExecArray> {
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) re.lastIndex++;
    yield m;
  }
}

export function lastMatch(re: RegExp, text: string, accept: (m: RegExpExecArray) => boolean = () => true): Found | null {
  let found: Found | null = null;
  for (const m of matches(re, text)) if (accept(m)) found = { m, end: m.index + m[0].length };
  return found;
}

/** "3 passed, 1 failed" style lists: word -> number, for the words asked for. */
export function items(re: RegExp, text: string, countGroup = 1, wordGroup = 2): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of matches(re, text)) {
    const word = m[wordGroup]!;
    out.set(word, (out.get(word) ?? 0) + Number(m[countGroup]));
  }
  return out;
}

export const num = (s: string | undefined): number => (s === undefined ? 0 : Number(s));
export const sum = (map: ReadonlyMap<string, number>, ...keys: string[]): number => keys.reduce((a, k) => a + (map.get(k) ?? 0), 0);

export function counts(passed: number | null, failed: number | null, skipped: number | null, total: number | null): TestCounts {
  return { passed, failed, skipped, total };
}

/** Passed tests when a format prints only a total: never negative, even for garbled output. */
export const rest = (total: number, ...others: number[]): number => Math.max(0, others.reduce((a, b) => a - b, total));

/**
 * The last block of consecutive "<n> <category>" lines (mocha, bun, node TAP, playwright).
 * A block ends when a category repeats or more than maxGapLines lines separate two lines.
 */
export function lastBlock(
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
export function linesBetween(text: string, from: number, to: number, limit: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) {
    if (++count > limit) break;
  }
  return count;
}
