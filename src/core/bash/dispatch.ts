// The dispatch of bash-kind.ts: each simple command to the handler of its program, past env
// assignments and prefixes (sudo, timeout 60, ...), into bash -c, eval and command substitutions.
// The handlers register themselves with on() from the command tables (javascript.ts, python.ts,
// tasks.ts, programs.ts, toolchains.ts), which bash-kind.ts imports. Pure: no node:* imports.
import { skipBalanced, splitSegments, RPAREN } from './split.js';
import { MAX_DEPTH, merge, OTHER, RUN, testRun, type Handler, type Result } from './results.js';
import { ASSIGNMENT, basename, isTestScriptName, LEADING_DIGIT, NONE, set, skipOptions } from './words.js';

export function analyzeCommand(command: string, depth: number): Result {
  return merge(splitSegments(command).map((words) => classifyWords(words, depth)));
}

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

export function classifyWords(words: readonly string[], depth: number): Result {
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
  const name = basename(raw);
  const handler = HANDLERS.get(name) ?? handlerByPattern(name);
  if (handler) return handler(words.slice(start + 1), depth);
  // An unknown program given by path ("./run.sh", "scripts/check") is a local script being run.
  return raw.includes('/') ? scriptRun(raw, 'script') : OTHER;
}

/** Like classifyWords, but gives up (other) when nested too deep. */
export function nested(words: readonly string[], depth: number): Result {
  return depth < MAX_DEPTH ? classifyWords(words, depth + 1) : OTHER;
}

const HANDLERS = new Map<string, Handler>();
/** Registers a handler for each of the space-separated program names. */
export function on(names: string, handler: Handler): void {
  for (const name of names.split(' ')) HANDLERS.set(name, handler);
}

/** Programs named by a pattern (python3.12, pip3), tried in order after the names in HANDLERS. */
const PATTERN_HANDLERS: [RegExp, Handler][] = [];
export function onPattern(pattern: RegExp, handler: Handler): void {
  PATTERN_HANDLERS.push([pattern, handler]);
}
function handlerByPattern(name: string): Handler | undefined {
  for (const [pattern, handler] of PATTERN_HANDLERS) if (pattern.test(name)) return handler;
  return undefined;
}

/**
 * A script whose file name says it runs tests (test_foo.py, run_tests.sh, api.test.js) is a test
 * run through a wrapper: which framework prints its output is unknown, so every format is tried.
 * Agents often write such ad-hoc checks; their exit status is the signal when nothing parses.
 */
export function scriptRun(path: string, runner: string): Result {
  return isTestScriptName(path) ? testRun(runner, true) : RUN;
}
