// Word-list helpers for the command handlers of bash-kind.ts: options, positionals, program and
// script names. Pure: no node:* imports.

export const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;
export const NAME_PARTS = /[\s:._/-]+/;
const FILE_EXT = /\.[A-Za-z0-9]+$/;
export const LEADING_DIGIT = /^\d/;

export const set = (list: string): ReadonlySet<string> => new Set(list.split(' ').filter((w) => w.length > 0));
export const NONE = set('');

/** Index of the first word that is not an option; options in argOpts consume the next word. */
export function skipOptions(words: readonly string[], i: number, argOpts: ReadonlySet<string>): number {
  while (i < words.length) {
    const w = words[i]!;
    if (w === '--') return i + 1;
    if (w.length < 2 || w[0] !== '-') return i;
    i += argOpts.has(w) ? 2 : 1;
  }
  return i;
}

/** The non-option words from i on (option arguments skipped). */
export function positionals(words: readonly string[], i: number, argOpts: ReadonlySet<string>): string[] {
  const out: string[] = [];
  while (i < words.length) {
    const w = words[i]!;
    if (w.length > 1 && w[0] === '-') i += argOpts.has(w) ? 2 : 1;
    else {
      out.push(w);
      i++;
    }
  }
  return out;
}

export function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** "vitest@1.2.0" -> "vitest", "@biomejs/biome@1" -> "biome": the binary npx runs for a package spec. */
export function packageBin(spec: string): string {
  const base = basename(spec);
  const at = base.indexOf('@', 1);
  return at === -1 ? base : base.slice(0, at);
}

export const TEST_NAME_PARTS = set('test tests spec specs e2e runtests');

/** test_foo.py, run_tests.sh, api.test.js: a script whose file name says it runs tests. */
export function isTestScriptName(path: string): boolean {
  const base = basename(path).toLowerCase().replace(FILE_EXT, '');
  return base.split(NAME_PARTS).some((p) => TEST_NAME_PARTS.has(p));
}
