// What bash-kind.ts answers (a kind and the test invocations), the frozen results its handlers
// return, and the helpers that build table-driven handlers. Pure: no node:* imports.
import type { BashKind } from '../types.js';

/**
 * When a compound command mixes kinds, the most significant segment wins, in this order.
 * Why: a compound command is about its heaviest step (`npm ci && npm test` is a test run that also
 * installs; `npm run build && npm start` is a build that also runs), and the helpers around it
 * (`cd`, `ls`, `| tail`, `| grep`) say nothing about what was attempted. Verification beats
 * production (test > build > typecheck > lint > format), those beat environment set-up (install)
 * and history (git), and running a program beats merely looking at files (run > search > file).
 */
const PRIORITY: readonly BashKind[] = [
  'test',
  'build',
  'typecheck',
  'lint',
  'format',
  'install',
  'git',
  'run',
  'search',
  'file',
  'other',
];
const RANK: ReadonlyMap<BashKind, number> = new Map(PRIORITY.map((k, i) => [k, i]));
const rank = (k: BashKind): number => RANK.get(k) ?? PRIORITY.length;
export const moreSignificant = (a: BashKind, b: BashKind): BashKind => (rank(a) <= rank(b) ? a : b);

/** One test-runner invocation found in a command. */
export interface TestInvocation {
  /** "vitest", "pytest", "go", ... or a wrapper: "npm", "pnpm", "yarn", "make", "tox", "script", ... */
  runner: string;
  /** true when the runner only wraps another one, so its output can be any framework's */
  wrapper: boolean;
}

export interface BashAnalysis {
  kind: BashKind;
  /** test invocations in command order; non-empty exactly when kind is "test" */
  tests: readonly TestInvocation[];
}

export type Result = BashAnalysis;
export type Handler = (args: readonly string[], depth: number) => Result;

const NO_TESTS: readonly TestInvocation[] = Object.freeze([]);
export const SIMPLE = Object.fromEntries(PRIORITY.map((kind) => [kind, Object.freeze({ kind, tests: NO_TESTS })])) as Readonly<
  Record<BashKind, Result>
>;
export const { build: BUILD, typecheck: TYPECHECK, lint: LINT, format: FORMAT, install: INSTALL } = SIMPLE;
export const { git: GIT, run: RUN, search: SEARCH, file: FILE, other: OTHER } = SIMPLE;
export const testRun = (runner: string, wrapper = false): Result =>
  Object.freeze({ kind: 'test' as const, tests: Object.freeze([Object.freeze({ runner, wrapper })]) });

/** bash -c "..." inside bash -c "..." is rare; deeper nesting is not worth following. */
export const MAX_DEPTH = 4;

export function merge(results: readonly Result[]): Result {
  if (results.length === 1) return results[0]!;
  let kind: BashKind = 'other';
  let tests: TestInvocation[] | null = null;
  for (const r of results) {
    kind = moreSignificant(r.kind, kind);
    if (r.tests.length > 0) (tests ??= []).push(...r.tests);
  }
  return tests ? { kind, tests } : SIMPLE[kind];
}

export const fixed =
  (r: Result): Handler =>
  () =>
    r;

/** Handler that looks the first argument up in a table, with a fallback. */
export function sub(table: Readonly<Record<string, Result>>, fallback: Result, bare: Result = fallback): Handler {
  const map = new Map(Object.entries(table));
  return (args) => (args[0] === undefined ? bare : (map.get(args[0]) ?? fallback));
}

/** The same result for each of several subcommand names, for sub() tables. */
export function same(r: Result, names: string): Record<string, Result> {
  return Object.fromEntries(names.split(' ').map((n) => [n, r]));
}
