// Coarse classification of Bash commands, and recognition of test-runner invocations.
// Pure: no node:* imports. Every regex and lookup table is a module constant; the shell splitter
// is one linear pass over the command.
//
// Decisions worth knowing:
// - A command is split into simple commands (&&, ||, ;, |, newlines, subshells, $(...)); each is
//   classified after stripping env assignments and prefixes (sudo, timeout 60, env, time, xargs),
//   and the most significant kind wins (PRIORITY below).
// - Words are data, not commands: `echo npm test`, `grep test`, `git commit -m "add tests"` and
//   heredoc bodies run no tests. `bash -c "..."`, `eval`, `$(...)` and backticks do run commands.
// - Wrappers (npm/pnpm/yarn/bun scripts, make, tox, nox, test-named scripts) are test runs whose
//   runner is the wrapper; `pnpm vitest` / `npx jest` / `uv run pytest` name the real runner.
// - `make check` is a test run (GNU convention); a package.json script named `check` is a typecheck.
// - gh/hub/glab count as git; `python -c ...` and `node -e ...` are runs whatever they print.
import type { BashKind } from './types.js';

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
const moreSignificant = (a: BashKind, b: BashKind): BashKind => (rank(a) <= rank(b) ? a : b);

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

type Result = BashAnalysis;
type Handler = (args: readonly string[], depth: number) => Result;

const NO_TESTS: readonly TestInvocation[] = Object.freeze([]);
const SIMPLE = Object.fromEntries(PRIORITY.map((kind) => [kind, Object.freeze({ kind, tests: NO_TESTS })])) as Readonly<
  Record<BashKind, Result>
>;
const { build: BUILD, typecheck: TYPECHECK, lint: LINT, format: FORMAT, install: INSTALL } = SIMPLE;
const { git: GIT, run: RUN, search: SEARCH, file: FILE, other: OTHER } = SIMPLE;
const testRun = (runner: string, wrapper = false): Result =>
  Object.freeze({ kind: 'test' as const, tests: Object.freeze([Object.freeze({ runner, wrapper })]) });

/** bash -c "..." inside bash -c "..." is rare; deeper nesting is not worth following. */
const MAX_DEPTH = 4;

export function classifyBash(command: string): BashKind {
  return analyzeBash(command).kind;
}

/** Kind of the whole command plus every test-runner invocation in it. */
export function analyzeBash(command: string): BashAnalysis {
  return analyzeCommand(command, 0);
}

function analyzeCommand(command: string, depth: number): Result {
  return merge(splitSegments(command).map((words) => classifyWords(words, depth)));
}

function merge(results: readonly Result[]): Result {
  if (results.length === 1) return results[0]!;
  let kind: BashKind = 'other';
  let tests: TestInvocation[] | null = null;
  for (const r of results) {
    kind = moreSignificant(r.kind, kind);
    if (r.tests.length > 0) (tests ??= []).push(...r.tests);
  }
  return tests ? { kind, tests } : SIMPLE[kind];
}

// ---- shell splitting -------------------------------------------------------------------
// Splits a command line into simple commands (word lists) at ; & | && || ( ) and newlines,
// honouring quotes, escapes, $(...) and backticks, and drops redirections and heredoc bodies.
// Not a full shell parser: it only has to find each simple command's words. Linear time.

const SP = 32;
const TAB = 9;
const CR = 13;
const NL = 10;
const BACKSLASH = 92;
const HASH = 35;
const AMP = 38;
const SEMI = 59;
const PIPE = 124;
const LPAREN = 40;
const RPAREN = 41;
const LT = 60;
const GT = 62;
const SQUOTE = 39;
const DQUOTE = 34;
const DOLLAR = 36;
const BACKTICK = 96;
const DASH = 45;

export function splitSegments(src: string): string[][] {
  const segments: string[][] = [];
  let words: string[] = [];
  const heredocs: string[] = [];
  const n = src.length;
  const endSegment = (): void => {
    if (words.length > 0) segments.push(words);
    words = [];
  };
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === SP || c === TAB || c === CR) {
      i++;
    } else if (c === NL) {
      endSegment();
      i = heredocs.length > 0 ? skipHeredocBodies(src, i + 1, heredocs.splice(0)) : i + 1;
    } else if (c === BACKSLASH && src.charCodeAt(i + 1) === NL) {
      i += 2; // line continuation
    } else if (c === HASH) {
      const nl = src.indexOf('\n', i); // comment; the newline still ends the segment
      i = nl === -1 ? n : nl;
    } else if (c === AMP && src.charCodeAt(i + 1) === GT) {
      i = skipRedirectTarget(src, i + (src.charCodeAt(i + 2) === GT ? 3 : 2), null); // &> &>>
    } else if (c === SEMI || c === PIPE || c === AMP || c === LPAREN || c === RPAREN) {
      endSegment();
      i++;
    } else if (c === LT || c === GT) {
      i = readRedirect(src, i, heredocs);
    } else {
      const start = i;
      const w = readWord(src, i);
      i = w.next;
      const after = src.charCodeAt(i);
      // "2>&1", "2>/dev/null": the digits name a file descriptor, they are not a word
      if ((after === GT || after === LT) && isAllDigits(src, start, i)) continue;
      words.push(w.word);
    }
  }
  endSegment();
  return segments;
}

function isAllDigits(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return to > from;
}

function isWordEnd(c: number): boolean {
  return (
    c === SP || c === TAB || c === NL || c === CR || c === SEMI || c === PIPE || c === AMP ||
    c === LT || c === GT || c === LPAREN || c === RPAREN
  );
}

/** Reads one shell word from i, removing quotes; stops at unquoted whitespace or an operator. */
function readWord(src: string, i: number): { word: string; next: number } {
  const n = src.length;
  let word = '';
  let run = i; // start of the pending unquoted run
  while (i < n) {
    const c = src.charCodeAt(i);
    if (isWordEnd(c)) break;
    if (c === SQUOTE) {
      const close = src.indexOf("'", i + 1);
      const end = close === -1 ? n : close;
      word += src.slice(run, i) + src.slice(i + 1, end);
      i = run = Math.min(end + 1, n);
    } else if (c === DQUOTE) {
      word += src.slice(run, i);
      let part = ++i;
      while (i < n && src.charCodeAt(i) !== DQUOTE) {
        const d = src.charCodeAt(i);
        const e = src[i + 1];
        if (d === BACKSLASH && (e === '"' || e === '\\' || e === '$' || e === '`' || e === '\n')) {
          word += src.slice(part, i) + (e === '\n' ? '' : e);
          i += 2;
          part = i;
        } else if (d === DOLLAR && e === '(') {
          i = skipBalanced(src, i + 2); // "$(cat <<'EOF' ... "quoted" ... EOF)" is one word
        } else {
          i++;
        }
      }
      word += src.slice(part, Math.min(i, n));
      i = run = Math.min(i + 1, n);
    } else if (c === BACKSLASH) {
      const e = src[i + 1];
      word += src.slice(run, i) + (e === undefined || e === '\n' ? '' : e);
      i = run = Math.min(i + 2, n);
    } else if (c === DOLLAR && src.charCodeAt(i + 1) === LPAREN) {
      i = skipBalanced(src, i + 2); // $( ... ) stays verbatim inside the word
    } else if (c === BACKTICK) {
      const close = src.indexOf('`', i + 1);
      i = close === -1 ? n : close + 1;
    } else {
      i++;
    }
  }
  return { word: word + src.slice(run, i), next: i };
}

/** Index just after the parenthesis closing one already opened; quotes and heredoc bodies are skipped. */
function skipBalanced(src: string, i: number): number {
  const n = src.length;
  let depth = 1;
  const heredocs: string[] = [];
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === SQUOTE || c === DQUOTE) {
      const close = src.indexOf(c === SQUOTE ? "'" : '"', i + 1);
      i = close === -1 ? n : close + 1;
    } else if (c === BACKSLASH) {
      i += 2;
    } else if (c === LT && src.charCodeAt(i + 1) === LT && src.charCodeAt(i + 2) !== LT) {
      const d = readDelimiter(src, i + (src.charCodeAt(i + 2) === DASH ? 3 : 2));
      if (d.delim.length > 0) heredocs.push(d.delim);
      i = d.next;
    } else if (c === NL && heredocs.length > 0) {
      i = skipHeredocBodies(src, i + 1, heredocs.splice(0)); // may hold quotes and parentheses
    } else {
      if (c === LPAREN) depth++;
      else if (c === RPAREN && --depth === 0) return i + 1;
      i++;
    }
  }
  return n;
}

/** At < or >: consumes the operator and its target word; remembers heredoc delimiters. */
function readRedirect(src: string, i: number, heredocs: string[]): number {
  const next = src.charCodeAt(i + 1);
  if (src.charCodeAt(i) === LT && next === LT) {
    if (src.charCodeAt(i + 2) === LT) return skipRedirectTarget(src, i + 3, null); // <<< here-string
    return skipRedirectTarget(src, i + (src.charCodeAt(i + 2) === DASH ? 3 : 2), heredocs); // << <<-
  }
  const twoChar = next === GT || next === AMP || next === PIPE; // >> >& >| <& <>
  return skipRedirectTarget(src, i + (twoChar ? 2 : 1), null);
}

function skipRedirectTarget(src: string, i: number, heredocs: string[] | null): number {
  if (heredocs) {
    const d = readDelimiter(src, i);
    if (d.delim.length > 0) heredocs.push(d.delim);
    return d.next;
  }
  while (src.charCodeAt(i) === SP || src.charCodeAt(i) === TAB) i++;
  return i >= src.length || isWordEnd(src.charCodeAt(i)) ? i : readWord(src, i).next;
}

/**
 * A heredoc delimiter ('EOF', "EOF", \EOF, EOF) with its quotes removed. Deliberately simpler than
 * readWord, which it must not call: readWord -> skipBalanced -> heredoc -> readWord could recurse
 * once per "$(<<" in the input and overflow the stack.
 */
function readDelimiter(src: string, i: number): { delim: string; next: number } {
  const n = src.length;
  while (src.charCodeAt(i) === SP || src.charCodeAt(i) === TAB) i++;
  let delim = '';
  for (; i < n; i++) {
    const c = src.charCodeAt(i);
    if (isWordEnd(c)) break;
    if (c !== SQUOTE && c !== DQUOTE && c !== BACKSLASH) delim += src[i];
  }
  return { delim, next: i };
}

/** From the line after a heredoc operator, skips each pending body through its delimiter line. */
function skipHeredocBodies(src: string, i: number, delims: readonly string[]): number {
  const n = src.length;
  for (const delim of delims) {
    while (i < n) {
      const nl = src.indexOf('\n', i);
      const end = nl === -1 ? n : nl;
      // Lenient about surrounding blanks: covers <<- tab stripping and sloppy indentation.
      const done = src.slice(i, end).trim() === delim;
      i = end + 1;
      if (done) break;
    }
  }
  return Math.min(i, n);
}

// ---- word-list helpers ----------------------------------------------------------------

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;
const PYTHON_EXE = /^(?:python|pypy)(?:\d+(?:\.\d+)*)?$/;
const PIP_EXE = /^pip(?:\d+(?:\.\d+)*)?$/;
const NAME_PARTS = /[\s:._/-]+/;
const FILE_EXT = /\.[A-Za-z0-9]+$/;
const SCRIPT_FILE = /\.(?:[cm]?[jt]sx?|py|sh|bash|zsh|rb|php|pl)$/;
const LEADING_DIGIT = /^\d/;
const CONCURRENTLY_SCRIPT = /^(npm|yarn|pnpm|bun):(.+)$/;
const GRADLE_TEST_TASK = /^(?:test|check)$|^test[A-Z]|Tests?$/;
const GRADLE_BUILD_TASK = /^(?:build|assemble|compile|jar$|bootJar$|shadowJar$|installDist$|classes$|dist)/;

const set = (list: string): ReadonlySet<string> => new Set(list.split(' ').filter((w) => w.length > 0));
const NONE = set('');

/** Index of the first word that is not an option; options in argOpts consume the next word. */
function skipOptions(words: readonly string[], i: number, argOpts: ReadonlySet<string>): number {
  while (i < words.length) {
    const w = words[i]!;
    if (w === '--') return i + 1;
    if (w.length < 2 || w[0] !== '-') return i;
    i += argOpts.has(w) ? 2 : 1;
  }
  return i;
}

/** The non-option words from i on (option arguments skipped). */
function positionals(words: readonly string[], i: number, argOpts: ReadonlySet<string>): string[] {
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

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** "vitest@1.2.0" -> "vitest", "@biomejs/biome@1" -> "biome": the binary npx runs for a package spec. */
function packageBin(spec: string): string {
  const base = basename(spec);
  const at = base.indexOf('@', 1);
  return at === -1 ? base : base.slice(0, at);
}

// ---- simple commands ------------------------------------------------------------------

/** Programs that run the rest of their arguments as a command, with their options that take a value. */
const PREFIXES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ...['!', '{', 'if', 'then', 'else', 'elif', 'while', 'until', 'do', 'nohup', 'builtin', 'unbuffer', 'chronic'].map(
    (w): [string, ReadonlySet<string>] => [w, NONE],
  ),
  ['time', set('-f --format -o --output')],
  ['sudo', set('-u -g -C -D -h -p -r -t -U --user --group')],
  ['env', set('-u --unset -C --chdir -S --split-string')],
  ['timeout', set('-s --signal -k --kill-after')],
  ['gtimeout', set('-s --signal -k --kill-after')],
  ['nice', set('-n --adjustment')],
  ['ionice', set('-c -n -p --class --classdata')],
  ['exec', set('-a')],
  ['command', NONE],
  ['stdbuf', set('-i -o -e')],
  ['xargs', set('-I -i -n -P -L -l -d -s -E -a --max-args --max-procs --delimiter --arg-file')],
  ['watch', set('-n --interval')],
  ['xvfb-run', set('-n -s -f -e -p -w --server-num --server-args')],
  ['caffeinate', set('-t -w')],
]);

/** Index of the real command after env assignments and prefixes (sudo, timeout 60, ...); -1 if none runs. */
function commandStart(words: readonly string[]): number {
  let i = 0;
  for (;;) {
    const w = words[i];
    if (w === undefined) return i;
    if (ASSIGNMENT.test(w)) {
      i++;
      continue;
    }
    const name = basename(w);
    const argOpts = PREFIXES.get(name);
    if (argOpts === undefined) return i;
    if (name === 'command' && (words[i + 1] === '-v' || words[i + 1] === '-V')) return -1; // a lookup
    i = skipOptions(words, i + 1, argOpts);
    if ((name === 'timeout' || name === 'gtimeout') && LEADING_DIGIT.test(words[i] ?? '')) i++; // the duration
  }
}

function classifyWords(words: readonly string[], depth: number): Result {
  const own = classifyCommand(words, depth);
  if (depth >= MAX_DEPTH || !words.some((w) => w.includes('$(') || w.includes('`'))) return own;
  // Command substitutions run too: `out=$(npm test 2>&1)`, `git commit -m "$(cat <<'EOF' ...)"`.
  const results = [own];
  for (const w of words) results.push(...substitutions(w, depth));
  return merge(results);
}

/** The commands inside $(...) and `...` of one word (kept verbatim by readWord). */
function substitutions(word: string, depth: number): Result[] {
  const out: Result[] = [];
  let i = 0;
  while (i < word.length) {
    const dollar = word.indexOf('$(', i);
    const tick = word.indexOf('`', i);
    if (dollar === -1 && tick === -1) break;
    if (dollar !== -1 && (tick === -1 || dollar < tick)) {
      const end = skipBalanced(word, dollar + 2);
      out.push(analyzeCommand(word.slice(dollar + 2, word.charCodeAt(end - 1) === RPAREN ? end - 1 : end), depth + 1));
      i = end;
    } else {
      const close = word.indexOf('`', tick + 1);
      const end = close === -1 ? word.length : close;
      out.push(analyzeCommand(word.slice(tick + 1, end), depth + 1));
      i = end + 1;
    }
  }
  return out;
}

function classifyCommand(words: readonly string[], depth: number): Result {
  const start = commandStart(words);
  const raw = start < 0 ? undefined : words[start];
  if (raw === undefined) return OTHER;
  const handler = HANDLERS.get(basename(raw));
  if (handler) return handler(words.slice(start + 1), depth);
  if (PYTHON_EXE.test(basename(raw))) return classifyPython(words.slice(start + 1), depth);
  if (PIP_EXE.test(basename(raw))) return classifyPip(words.slice(start + 1));
  // An unknown program given by path ("./run.sh", "scripts/check") is a local script being run.
  return raw.includes('/') ? scriptRun(raw, 'script') : OTHER;
}

/** Like classifyWords, but gives up (other) when nested too deep. */
function nested(words: readonly string[], depth: number): Result {
  return depth < MAX_DEPTH ? classifyWords(words, depth + 1) : OTHER;
}

const fixed =
  (r: Result): Handler =>
  () =>
    r;

/** Handler that looks the first argument up in a table, with a fallback. */
function sub(table: Readonly<Record<string, Result>>, fallback: Result, bare: Result = fallback): Handler {
  const map = new Map(Object.entries(table));
  return (args) => (args[0] === undefined ? bare : (map.get(args[0]) ?? fallback));
}

const HANDLERS = new Map<string, Handler>();
function on(names: string, handler: Handler): void {
  for (const name of names.split(' ')) HANDLERS.set(name, handler);
}

// Plain kinds by program name.
on(
  'ls ll la cat mkdir rm rmdir cp mv head tail wc touch ln chmod chown tree stat du df less more bat sed awk gawk ' +
    'sort uniq cut tr diff cmp tee tar zip unzip gzip gunzip xz realpath readlink dirname file nl od xxd hexdump ' +
    'rsync scp truncate split column paste comm shred unlink',
  fixed(FILE),
);
on('grep egrep fgrep rg ag ack find fd fdfind locate which whereis', fixed(SEARCH));
on('git gh hub glab tig', fixed(GIT));
on('tsc vue-tsc tsgo svelte-check mypy dmypy pyright basedpyright pytype pyre flow', fixed(TYPECHECK));
on(
  'eslint oxlint stylelint standard xo tslint jshint flake8 pylint pycodestyle pydocstyle bandit rubocop shellcheck ' +
    'hadolint golangci-lint staticcheck revive ktlint swiftlint markdownlint markdownlint-cli2 clang-tidy cppcheck ' +
    'actionlint yamllint phpstan psalm phpcs knip',
  fixed(LINT),
);
on(
  'prettier black isort autopep8 yapf autoflake gofmt goimports gofumpt rustfmt clang-format shfmt stylua ' +
    'swiftformat ktfmt php-cs-fixer phpcbf',
  fixed(FORMAT),
);
on(
  'esbuild rollup tsup tsdown unbuild swc babel microbundle ncc rspack ninja cmake gcc g++ clang clang++ cc c++ ' +
    'javac rustc kotlinc scalac msbuild xcodebuild webpack-cli',
  fixed(BUILD),
);
on(
  'java kotlin scala perl Rscript julia lua elixir uvicorn gunicorn hypercorn flask fastapi streamlit jupyter ' +
    'ipython celery nodemon pm2 http-server serve live-server electron wrangler webpack-dev-server',
  fixed(RUN),
);
on('source . test [ [[ echo printf', fixed(OTHER)); // `test -f x` is the shell builtin, not a test run

// Direct test runners (their own output format).
on('jest', fixed(testRun('jest')));
on('mocha _mocha', fixed(testRun('mocha')));
on('ava', fixed(testRun('ava')));
on('jasmine', fixed(testRun('jasmine')));
on('tap tape', fixed(testRun('tap')));
on('karma', fixed(testRun('karma', true)));
on('pytest py.test', fixed(testRun('pytest')));
on('unittest', fixed(testRun('unittest')));
on('rspec', fixed(testRun('rspec')));
on('phpunit paratest', fixed(testRun('phpunit')));
on('pest', fixed(testRun('pest')));
on('ctest', fixed(testRun('ctest')));
on('vitest', sub({ bench: RUN }, testRun('vitest')));

// Tools with subcommands.
on('playwright', sub({ test: testRun('playwright'), install: INSTALL }, RUN, OTHER));
on('cypress', sub({ run: testRun('cypress'), open: RUN, install: INSTALL, verify: INSTALL }, OTHER));
on('vite', sub({ build: BUILD, optimize: BUILD }, RUN));
on('next', sub({ build: BUILD, export: BUILD, lint: LINT, dev: RUN, start: RUN }, OTHER));
on('nuxt nuxi', sub({ build: BUILD, generate: BUILD, typecheck: TYPECHECK, dev: RUN, preview: RUN }, OTHER));
on('astro', sub({ build: BUILD, check: TYPECHECK, dev: RUN, preview: RUN }, OTHER));
on('webpack', sub({ serve: RUN }, BUILD));
on('parcel rsbuild', sub({ build: BUILD }, RUN));
on('biome ruff', sub({ format: FORMAT }, LINT));
on('dprint', sub({ fmt: FORMAT }, LINT));
on('meson', sub({ test: testRun('meson', true) }, BUILD));
on('bazel bazelisk', sub({ test: testRun('bazel', true), build: BUILD, run: RUN }, OTHER));
on('zig', sub({ test: testRun('zig', true), build: BUILD, run: RUN }, OTHER));
on('rails', sub({ test: testRun('minitest'), t: testRun('minitest'), server: RUN, s: RUN, console: RUN }, OTHER));
on('django-admin', sub({ test: testRun('django') }, RUN));
on('swift', sub({ test: testRun('swift', true), build: BUILD, run: RUN }, OTHER));
on(
  'flutter dart',
  sub(
    { test: testRun('dart', true), build: BUILD, compile: BUILD, analyze: LINT, format: FORMAT, pub: INSTALL, run: RUN },
    OTHER,
  ),
);
on(
  'mix',
  sub({ test: testRun('mix', true), compile: BUILD, format: FORMAT, credo: LINT, run: RUN, 'deps.get': INSTALL }, OTHER),
);
const HATCH = sub({ test: testRun('pytest'), fmt: FORMAT, build: BUILD, env: INSTALL }, OTHER);
on('hatch', (args, depth) => (args[0] === 'run' ? runLike(args, 1, depth, NONE, 'hatch') : HATCH(args, depth)));
const CONTAINER_ARGS = set(
  '-e --env --env-file -w --workdir -u --user --name --entrypoint -p --publish -v --volume -l --label ' +
    '--network --platform --mount -f --file --project-name --profile',
);
/** `docker compose run --rm app pytest`, `docker exec -it web npm test`: the command inside counts. */
function inContainer(args: readonly string[], depth: number): Result {
  const j = skipOptions(args, 1, CONTAINER_ARGS) + 1; // past the options and the image/service/container
  const inner = args.length > j ? nested(args.slice(j), depth) : OTHER;
  return inner.kind === 'other' ? RUN : inner;
}
const COMPOSE = sub({ build: BUILD, up: RUN, start: RUN }, OTHER);
const DOCKER = sub({ build: BUILD, start: RUN }, OTHER);
on('docker-compose', (args, depth) => (args[0] === 'run' || args[0] === 'exec' ? inContainer(args, depth) : COMPOSE(args, depth)));
on('docker podman', (args, depth) => {
  if (args[0] === 'compose') return depth < MAX_DEPTH ? HANDLERS.get('docker-compose')!(args.slice(1), depth + 1) : OTHER;
  return args[0] === 'run' || args[0] === 'exec' ? inContainer(args, depth) : DOCKER(args, depth);
});
on('go', sub(
  {
    test: testRun('go'), build: BUILD, generate: BUILD, vet: LINT, fmt: FORMAT, run: RUN, clean: FILE,
    ...same(INSTALL, 'get mod install work'),
  },
  OTHER,
));
const DENO_TASK_ARGS = set('--cwd -c --config -f --filter');
on('deno', (args, depth) => (args[0] === 'task' ? task(positionals(args, 1, DENO_TASK_ARGS)[0], 'deno') : DENO(args, depth)));
const DENO = sub(
  {
    test: testRun('deno'), check: TYPECHECK, lint: LINT, fmt: FORMAT, run: RUN, serve: RUN, eval: RUN, repl: RUN,
    install: INSTALL, add: INSTALL, remove: INSTALL, cache: INSTALL, compile: BUILD, bundle: BUILD,
  },
  OTHER,
);
on('dotnet', (args, depth) =>
  args[0] === 'watch' ? DOTNET(args.slice(1).filter((a) => a !== '--'), depth) : DOTNET(args, depth),
);
const DOTNET = sub(
  {
    test: testRun('dotnet'), vstest: testRun('dotnet'), build: BUILD, publish: BUILD, pack: BUILD, msbuild: BUILD,
    run: RUN, restore: INSTALL, add: INSTALL, remove: INSTALL, tool: INSTALL, format: FORMAT, clean: FILE,
  },
  RUN, // `dotnet app.dll` runs it
  OTHER,
);

// Shells and indirection.
on('bash sh zsh dash ksh fish', classifyShell);
on('eval', (args, depth) => (depth < MAX_DEPTH ? analyzeCommand(args.join(' '), depth + 1) : OTHER));
const BUNDLE = sub({ install: INSTALL, update: INSTALL, add: INSTALL }, OTHER, INSTALL);
on('bundle bundler', (args, depth) => (args[0] === 'exec' ? nested(args.slice(1), depth) : BUNDLE(args, depth)));

// ---- task names (package scripts, make targets, tox envs, ...) ------------------------

const TASK_WORDS: ReadonlyMap<string, BashKind> = new Map<string, BashKind>([
  ...kindOf('test', 'test tests spec specs e2e unit unittest unittests integration coverage cov verify ci'),
  ...kindOf('test', 'jest vitest mocha pytest ava playwright cypress tap'),
  ...kindOf('build', 'build compile bundle dist package pack all prepare release assemble generate gen codegen'),
  ...kindOf('typecheck', 'typecheck typescheck types type tsc mypy pyright typing typings'),
  ...kindOf('lint', 'lint linter eslint clippy vet ruff flake8 pylint stylelint biome'),
  ...kindOf('format', 'format fmt prettier prettify black gofmt isort'),
  ...kindOf('install', 'install deps bootstrap setup'),
  ...kindOf('run', 'dev start serve server preview watch run storybook up demo'),
  ...kindOf('file', 'clean clobber distclean'),
]);
function kindOf(kind: BashKind, list: string): [string, BashKind][] {
  return list.split(' ').map((w) => [w, kind]);
}
const TEST_NAME_PARTS = set('test tests spec specs e2e runtests');

type TaskFlavor = 'package' | 'make';

/**
 * Kind of a named task. `check` is the GNU convention for "run the test suite" in make
 * (`make check`), but in package.json it is usually svelte-check or tsc, so it is a typecheck
 * there; `check-format`, `check:lint` take the kind of what follows. Unknown make targets build;
 * unknown package scripts run something.
 */
function classifyTaskName(name: string, flavor: TaskFlavor): BashKind {
  const parts = name.toLowerCase().split(NAME_PARTS).filter((p) => p.length > 0);
  const first = parts[0];
  if (first === undefined) return flavor === 'make' ? 'build' : 'other';
  if (first === 'check') {
    const next = parts[1] === undefined ? undefined : TASK_WORDS.get(parts[1]);
    if (next !== undefined && next !== 'run') return next;
    return flavor === 'make' ? 'test' : 'typecheck';
  }
  const known = TASK_WORDS.get(first);
  if (known !== undefined) return known;
  if (parts.some((p) => TEST_NAME_PARTS.has(p))) return 'test'; // "ci:test", "run-tests"
  return flavor === 'make' ? 'build' : 'run';
}

/** Several task names through one runner: the most significant one decides. */
function tasks(names: readonly string[], runner: string, flavor: TaskFlavor = 'package'): Result {
  let kind: BashKind = 'other';
  for (const t of names) if (!t.startsWith('-')) kind = moreSignificant(classifyTaskName(t, flavor), kind);
  return kind === 'test' ? testRun(runner, true) : SIMPLE[kind];
}

/** One named task; `npm run` without a name only lists the scripts. */
function task(name: string | undefined, runner: string): Result {
  return name === undefined ? OTHER : tasks([name], runner);
}

const MAKE_ARGS = set('-C -f --file --makefile --directory -I --include-dir -o -W --what-if --old-file --new-file');
on('make gmake', (args) => {
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-')) {
      if (MAKE_ARGS.has(a) || ((a === '-j' || a === '-l') && LEADING_DIGIT.test(args[i + 1] ?? ''))) i++;
    } else if (!ASSIGNMENT.test(a)) targets.push(a);
  }
  return targets.length === 0 ? BUILD : tasks(targets, 'make', 'make'); // no target: the default goal builds
});
on('just', (args) => (args.length === 0 ? OTHER : tasks(positionals(args, 0, NONE).slice(0, 1), 'just')));
on('task', (args) => (args.length === 0 ? OTHER : tasks(positionals(args, 0, NONE).slice(0, 1), 'task')));
on('rake', (args) => tasks(positionals(args, 0, NONE), 'rake'));
on('turbo', (args) => tasks(args[0] === 'run' ? args.slice(1) : args, 'turbo'));
on('lerna', (args) => (args[0] === 'run' ? tasks(args.slice(1, 2), 'lerna') : OTHER));
on('npm-run-all run-s run-p', (args) => tasks(args, 'npm'));
const CONCURRENTLY_ARGS = set('-n --names -c --prefix-colors -p --prefix -k --kill-others --max-processes -m');
on('concurrently', (args, depth) => {
  const results: Result[] = [];
  for (const c of positionals(args, 0, CONCURRENTLY_ARGS)) {
    const m = CONCURRENTLY_SCRIPT.exec(c);
    if (m) results.push(task(m[2], m[1]!));
    else if (depth < MAX_DEPTH) results.push(analyzeCommand(c, depth + 1));
  }
  return merge(results);
});
const NX_RUN_ARGS = set('-c --configuration');
on('nx', (args) => {
  const verb = args[0];
  if (verb === undefined) return OTHER;
  if (verb === 'run-many' || verb === 'affected') {
    const targets: string[] = [];
    for (let i = 1; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-t' || a === '--target' || a === '--targets') {
        for (let k = i + 1; k < args.length && !args[k]!.startsWith('-'); k++) targets.push(...args[k]!.split(','));
      } else if (a.startsWith('--target=') || a.startsWith('--targets=')) {
        targets.push(...a.slice(a.indexOf('=') + 1).split(','));
      }
    }
    return tasks(targets, 'nx');
  }
  if (verb === 'run') {
    const target = (positionals(args, 1, NX_RUN_ARGS)[0] ?? '').split(':')[1]; // project:target[:config]
    return task(target, 'nx');
  }
  return tasks([verb], 'nx'); // nx test my-app
});

// ---- JavaScript package managers and runtimes ---------------------------------------

const PM_ARGS = set('--prefix -w --workspace -C --dir --filter -F --cwd --loglevel --registry');
const NPX_ARGS = set('-p --package -c --call -w --workspace --prefix');

on('npm', (args, depth) => {
  const j = skipOptions(args, 0, PM_ARGS);
  const verb = args[j];
  if (verb === undefined) return OTHER;
  if (NPM_TEST.has(verb)) return testRun('npm', true);
  if (NPM_RUN.has(verb)) return task(positionals(args, j + 1, PM_ARGS)[0], 'npm');
  if (verb === 'exec' || verb === 'x') return execPackage(args, j + 1, depth);
  if (verb === 'start' || verb === 'restart') return RUN;
  if (verb === 'pack') return BUILD;
  return NPM_INSTALL.has(verb) ? INSTALL : OTHER;
});
const NPM_TEST = set('test t tst it install-test cit install-ci-test');
const NPM_RUN = set('run run-script rum urn');
const NPM_INSTALL = set(
  'i install in ins inst insta instal isnt isntal isntall add ci clean-install ic install-clean isntall-clean ' +
    'uninstall un remove rm r unlink update up upgrade udpate dedupe ddp prune link ln rebuild rb',
);

on('pnpm', (args, depth) => {
  const j = skipOptions(args, 0, PM_ARGS);
  const verb = args[j];
  if (verb === undefined) return OTHER;
  if (verb === 'test' || verb === 't' || verb === 'tst') return testRun('pnpm', true);
  if (verb === 'run') return task(positionals(args, j + 1, PM_ARGS)[0], 'pnpm');
  if (verb === 'exec' || verb === 'dlx') return execPackage(args, j + 1, depth);
  if (verb === 'start' || verb === 'create') return RUN;
  if (verb === 'pack') return BUILD;
  if (PNPM_INSTALL.has(verb)) return INSTALL;
  return PNPM_OTHER.has(verb) ? OTHER : scriptOrBin(args, j, depth, 'pnpm');
});
const PNPM_INSTALL = set(
  'i install add remove rm uninstall un update up upgrade link ln unlink prune fetch import dedupe rebuild rb ci',
);
const PNPM_OTHER = set(
  'ls list ll la why outdated audit info view store config publish root bin licenses patch env setup init help',
);

on('yarn', classifyYarn);
function classifyYarn(args: readonly string[], depth: number): Result {
  const j = skipOptions(args, 0, PM_ARGS);
  const verb = args[j];
  if (verb === undefined) return INSTALL; // bare `yarn` installs
  if (verb === 'test') return testRun('yarn', true);
  if (verb === 'run') return task(positionals(args, j + 1, PM_ARGS)[0], 'yarn');
  if (verb === 'exec' || verb === 'dlx') return execPackage(args, j + 1, depth);
  if (verb === 'start' || verb === 'create') return RUN;
  if (verb === 'pack') return BUILD;
  if (depth < MAX_DEPTH && verb === 'workspace') return classifyYarn(args.slice(j + 2), depth + 1); // workspace <name> <cmd>
  if (depth < MAX_DEPTH && verb === 'workspaces') {
    // `yarn workspaces foreach -A run test` (berry), `yarn workspaces run test` (v1)
    const rest = args.slice(j + 2);
    if (args[j + 1] === 'run') return classifyYarn(['run', ...rest], depth + 1);
    if (args[j + 1] === 'foreach') return classifyYarn(rest.slice(skipOptions(rest, 0, FOREACH_ARGS)), depth + 1);
    return OTHER;
  }
  if (YARN_INSTALL.has(verb)) return INSTALL;
  return YARN_OTHER.has(verb) ? OTHER : scriptOrBin(args, j, depth, 'yarn');
}
const FOREACH_ARGS = set('--include --exclude --from -j --jobs');
const YARN_INSTALL = set('install add remove upgrade up upgrade-interactive link unlink dedupe import');
const YARN_OTHER = set(
  'list info why outdated audit config cache publish npm init help set plugin constraints version licenses bin',
);

on('bun', (args, depth) => {
  const j = skipOptions(args, 0, NONE);
  const verb = args[j];
  if (verb === undefined) return OTHER;
  if (verb === 'test') return testRun('bun');
  if (verb === 'x') return execPackage(args, j + 1, depth);
  if (verb === 'build') return BUILD;
  if (BUN_INSTALL.has(verb)) return INSTALL;
  const target = verb === 'run' ? positionals(args, j + 1, NONE)[0] : verb;
  if (target !== undefined && (SCRIPT_FILE.test(target) || target.includes('/'))) return scriptRun(target, 'bun');
  return verb === 'run' ? task(target, 'bun') : scriptOrBin(args, j, depth, 'bun');
});
const BUN_INSTALL = set('install i add a remove rm update link unlink pm');

on('npx pnpx bunx', (args, depth) => execPackage(args, 0, depth));

/** `pnpm vitest run`, `yarn lint`: a known program run as a package bin, else a package.json script. */
function scriptOrBin(args: readonly string[], j: number, depth: number, runner: string): Result {
  const asBin = nested(args.slice(j), depth);
  return asBin.kind !== 'other' ? asBin : task(args[j], runner);
}

/** npx / pnpm dlx / npm exec: the package's binary is the command; an unknown one still runs something. */
function execPackage(args: readonly string[], from: number, depth: number): Result {
  const j = skipOptions(args, from, NPX_ARGS);
  const spec = args[j];
  if (spec === undefined) return OTHER;
  const r = nested([packageBin(spec), ...args.slice(j + 1)], depth);
  return r.kind === 'other' ? RUN : r; // npx create-next-app
}

const NODE_ARGS = set(
  '-r --require --import --loader --experimental-loader -C --conditions --input-type --inspect-port --env-file ' +
    '--test-reporter --test-reporter-destination --test-name-pattern',
);
on('node', (args) => {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--test') return testRun('node');
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print' || a === '-') return RUN;
    if (a.length < 2 || a[0] !== '-') return scriptRun(a, 'node');
    if (NODE_ARGS.has(a)) i++;
  }
  return RUN; // REPL, --version
});
on('tsx ts-node ts-node-esm esno vite-node babel-node', (args) => {
  if (args.includes('--test')) return testRun('node');
  const script = positionals(args, 0, NODE_ARGS)[0];
  return script === undefined ? RUN : scriptRun(script, 'node');
});

// ---- scripts and shells ------------------------------------------------------------------

/**
 * A script whose file name says it runs tests (test_foo.py, run_tests.sh, api.test.js) is a test
 * run through a wrapper: which framework prints its output is unknown, so every format is tried.
 * Agents often write such ad-hoc checks; their exit status is the signal when nothing parses.
 */
function scriptRun(path: string, runner: string): Result {
  return isTestScriptName(path) ? testRun(runner, true) : RUN;
}

function isTestScriptName(path: string): boolean {
  const base = basename(path).toLowerCase().replace(FILE_EXT, '');
  return base.split(NAME_PARTS).some((p) => TEST_NAME_PARTS.has(p));
}

const SHELL_ARGS = set('-o +o -O +O --rcfile --init-file');
function classifyShell(args: readonly string[], depth: number): Result {
  let i = 0;
  while (i < args.length) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a.length < 2 || (a[0] !== '-' && a[0] !== '+')) break;
    if (a[0] === '-' && a[1] !== '-' && a.includes('c')) {
      // -c, -lc, -ec, -xec: the next word is the command string
      const cmd = args[i + 1];
      return cmd === undefined || depth >= MAX_DEPTH ? OTHER : analyzeCommand(cmd, depth + 1);
    }
    i += SHELL_ARGS.has(a) ? 2 : 1;
  }
  const script = args[i];
  return script === undefined ? OTHER : scriptRun(script, 'script'); // bare `bash` reads a heredoc: unknown
}

// ---- Python --------------------------------------------------------------------------

function classifyPython(args: readonly string[], depth: number): Result {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-m') return pythonModule(args[i + 1], args.slice(i + 2), depth);
    if (a.startsWith('-m') && a.length > 2) return pythonModule(a.slice(2), args.slice(i + 1), depth);
    if (a === '-c' || a === '-') return RUN; // inline code or stdin: a program run, whatever it prints
    if (a === '-W' || a === '-X') i++;
    else if (a.length < 2 || a[0] !== '-') return pythonScript(a, args.slice(i + 1));
  }
  return RUN; // REPL, --version
}

function pythonModule(mod: string | undefined, rest: readonly string[], depth: number): Result {
  switch (mod) {
    case undefined:
      return OTHER;
    case 'django':
      return rest[0] === 'test' ? testRun('django') : RUN;
    case 'pip':
      return classifyPip(rest);
    case 'venv':
    case 'virtualenv':
    case 'ensurepip':
      return INSTALL;
    case 'build':
      return BUILD;
  }
  const r = nested([mod, ...rest], depth); // -m pytest, -m mypy, -m black, ...
  return r.kind === 'other' ? RUN : r;
}

function pythonScript(path: string, rest: readonly string[]): Result {
  switch (basename(path)) {
    case 'manage.py':
      return rest[0] === 'test' ? testRun('django') : RUN;
    case 'setup.py':
      if (rest[0] === 'test') return testRun('unittest');
      if (rest[0] === 'install' || rest[0] === 'develop') return INSTALL;
      return rest.length > 0 ? BUILD : RUN;
  }
  return scriptRun(path, 'python');
}

const PIP = sub({ ...same(INSTALL, 'install uninstall download sync compile'), wheel: BUILD }, OTHER);
function classifyPip(args: readonly string[]): Result {
  return PIP(args, 0);
}

const UV_ARGS = set(
  '--with --with-requirements --with-editable --directory --project -p --python --package --extra --group ' +
    '--env-file --index --index-url --extra-index-url --from -w',
);
const UV = sub({ ...same(INSTALL, 'add remove sync lock venv python init'), build: BUILD, format: FORMAT }, OTHER);
on('uv', (args, depth) => {
  const j = skipOptions(args, 0, UV_ARGS);
  const verb = args[j];
  if (verb === 'run') return runLike(args, j + 1, depth, UV_ARGS, 'uv');
  if (verb === 'pip') return classifyPip(args.slice(j + 1));
  if (verb === 'tool') return args[j + 1] === 'run' ? runLike(args, j + 2, depth, UV_ARGS, 'uv') : INSTALL;
  return UV(args.slice(j), depth);
});
on('uvx', (args, depth) => runLike(args, 0, depth, UV_ARGS, 'uv'));
on('pipx', (args, depth) => (args[0] === 'run' ? runLike(args, 1, depth, NONE, 'pipx') : INSTALL));
on('coverage', (args, depth) => (args[0] === 'run' ? classifyPython(args.slice(1), depth) : OTHER));

const ENV_MANAGER = set('install add remove sync lock update create uninstall');
const ENV_RUN_ARGS = set('-n --name -p --prefix --cwd -e --environment');
on('poetry pipenv pdm rye pixi conda mamba micromamba', (args, depth) => {
  const j = skipOptions(args, 0, NONE);
  const verb = args[j];
  if (verb === 'run') return runLike(args, j + 1, depth, ENV_RUN_ARGS, 'env');
  if (verb === 'build') return BUILD;
  return verb !== undefined && ENV_MANAGER.has(verb) ? INSTALL : OTHER;
});

/** `uv run pytest`, `poetry run mypy .`, `pdm run test`: the command after `run`, else a named script. */
function runLike(args: readonly string[], from: number, depth: number, argOpts: ReadonlySet<string>, runner: string): Result {
  const j = skipOptions(args, from, argOpts);
  const r = nested(args.slice(j), depth);
  return r.kind === 'other' ? task(args[j], runner) : r;
}

/** tox / nox: a test run unless every selected environment is a lint/type/format one. */
function envRunner(runner: string, envOpts: ReadonlySet<string>): Handler {
  return (args) => {
    const envs: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const eq = a.indexOf('=');
      if (envOpts.has(a)) envs.push(...(args[++i] ?? '').split(','));
      else if (eq > 0 && envOpts.has(a.slice(0, eq))) envs.push(...a.slice(eq + 1).split(','));
    }
    let kind: BashKind = envs.length === 0 ? 'test' : 'other';
    for (const e of envs) {
      const k = TASK_WORDS.get(e.toLowerCase().split(NAME_PARTS)[0] ?? '');
      kind = moreSignificant(k === undefined || k === 'run' ? 'test' : k, kind); // py311, unit: tests
    }
    return kind === 'test' ? testRun(runner, true) : SIMPLE[kind];
  };
}
on('tox', envRunner('tox', set('-e --env')));
on('nox', envRunner('nox', set('-s --session --sessions -e')));

// ---- Rust --------------------------------------------------------------------------------

const CARGO = sub(
  {
    ...same(testRun('cargo'), 'test t llvm-cov tarpaulin'),
    nextest: testRun('nextest'),
    ...same(BUILD, 'build b doc d'),
    ...same(TYPECHECK, 'check c'),
    clippy: LINT,
    fmt: FORMAT,
    ...same(RUN, 'run r bench'),
    ...same(INSTALL, 'add install fetch update remove rm vendor generate-lockfile'),
    clean: FILE,
  },
  OTHER,
);
function same(r: Result, names: string): Record<string, Result> {
  return Object.fromEntries(names.split(' ').map((n) => [n, r]));
}
const CARGO_ARGS = set('--color -C -Z --config --manifest-path');
on('cargo', (args, depth) => {
  let j = 0; // skip +toolchain and global options
  while (j < args.length && (args[j]!.startsWith('-') || args[j]!.startsWith('+'))) j += CARGO_ARGS.has(args[j]!) ? 2 : 1;
  if (args[j] === 'miri') return args[j + 1] === 'test' ? testRun('cargo') : RUN;
  return CARGO(args.slice(j), depth);
});

// ---- JVM ------------------------------------------------------------------------------

const MVN_ARGS = set(
  '-pl --projects -f --file -P --activate-profiles -T --threads -s --settings -gs -rf --resume-from -t -D -l --log-file',
);
const MVN_TEST_GOALS = set('test verify integration-test surefire:test failsafe:integration-test');

/** mvn package/install also run the tests, but they are builds; only the test/verify goals are test runs. */
on('mvn mvnw', (args) => {
  const goals = positionals(args, 0, MVN_ARGS);
  if (goals.length === 0) return BUILD;
  const skipTests = args.some((a) => a === '-DskipTests' || a === '-DskipTests=true' || a.startsWith('-Dmaven.test.skip'));
  let kind: BashKind = 'other';
  for (const g of goals) {
    let k: BashKind = 'build';
    if (MVN_TEST_GOALS.has(g) || g.endsWith(':test')) k = skipTests ? 'build' : 'test';
    else if (g.startsWith('dependency:')) k = 'install';
    else if (g.endsWith(':run') || g.startsWith('exec:')) k = 'run';
    else if (g === 'spotless:apply') k = 'format';
    else if (g.endsWith(':check')) k = 'lint';
    kind = moreSignificant(k, kind);
  }
  return kind === 'test' ? testRun('maven') : SIMPLE[kind];
});

const GRADLE_LINT_TASKS = set('ktlintCheck detekt spotlessCheck');
const GRADLE_ARGS = set(
  '-p --project-dir -b --build-file -c --settings-file -x --exclude-task --tests -I --init-script -g ' +
    '--gradle-user-home --console --warning-mode -D -P',
);
on('gradle gradlew', (args) => {
  const names = positionals(args, 0, GRADLE_ARGS);
  if (names.length === 0) return OTHER;
  let kind: BashKind = 'other';
  for (const full of names) {
    const t = full.slice(full.lastIndexOf(':') + 1); // :app:testDebugUnitTest
    let k: BashKind = 'build';
    if (t === 'testClasses') k = 'build';
    else if (GRADLE_TEST_TASK.test(t)) k = 'test';
    else if (GRADLE_BUILD_TASK.test(t)) k = 'build';
    else if (t === 'run' || t === 'bootRun') k = 'run';
    else if (t.startsWith('lint') || t.startsWith('checkstyle') || GRADLE_LINT_TASKS.has(t)) k = 'lint';
    else if (t === 'spotlessApply' || t === 'ktlintFormat') k = 'format';
    else if (t === 'clean') k = 'file';
    else if (t === 'dependencies' || t === 'tasks') k = 'other';
    kind = moreSignificant(k, kind);
  }
  return kind === 'test' ? testRun('gradle') : SIMPLE[kind];
});

// ---- Ruby, PHP ---------------------------------------------------------------------------

on('ruby', (args) => {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-e') return RUN;
    if (a === '-I' || a === '-r') i++;
    else if (!a.startsWith('-')) return isTestScriptName(a) ? testRun('minitest') : RUN; // ruby -Itest test/x_test.rb
  }
  return RUN;
});

const PHP_ARGS = set('-d -c');
const ARTISAN = sub({ test: testRun('artisan'), serve: RUN }, OTHER);
on('php', (args, depth) => {
  const j = skipOptions(args, 0, PHP_ARGS);
  const script = args[j];
  if (script === undefined || script === '-S' || script === '-r') return RUN;
  const base = basename(script);
  if (base === 'artisan') return ARTISAN(args.slice(j + 1), depth);
  if (base === 'phpunit' || base === 'pest' || base === 'paratest') return nested(args.slice(j), depth);
  return scriptRun(script, 'php');
});

const COMPOSER_INSTALL = set('install i require r update u upgrade remove rm dump-autoload dumpautoload');
const COMPOSER_OTHER = set(
  'show info validate outdated diagnose config why depends licenses search init create-project audit list help',
);
const COMPOSER_ARGS = set('-d --working-dir');
on('composer', (args, depth) => {
  const j = skipOptions(args, 0, COMPOSER_ARGS);
  const verb = args[j];
  if (verb === undefined || COMPOSER_OTHER.has(verb)) return OTHER;
  if (verb === 'test') return testRun('composer', true);
  if (verb === 'run-script' || verb === 'run') return task(positionals(args, j + 1, NONE)[0], 'composer');
  if (verb === 'exec') return nested(args.slice(j + 1), depth);
  return COMPOSER_INSTALL.has(verb) ? INSTALL : task(verb, 'composer'); // custom scripts: `composer lint`
});
