// Coarse classification of Bash commands, and recognition of test-runner invocations.
// Pure: no node:* imports. Every regex and lookup table is a module constant; the shell splitter
// is one linear pass over the command.
//
// Decisions worth knowing:
// - A command is split into simple commands (&&, ||, ;, |, newlines, subshells, $(...)); each is
//   classified after stripping env assignments and prefixes (sudo, timeout 60, env, time, xargs),
//   and the most significant kind wins (PRIORITY in bash/results.ts).
// - Words are data, not commands: `echo npm test`, `grep test`, `git commit -m "add tests"` and
//   heredoc bodies run no tests. `bash -c "..."`, `eval`, `$(...)` and backticks do run commands.
// - Wrappers (npm/pnpm/yarn/bun scripts, make, tox, nox, test-named scripts) are test runs whose
//   runner is the wrapper; `pnpm vitest` / `npx jest` / `uv run pytest` name the real runner.
// - `make check` is a test run (GNU convention); a package.json script named `check` is a typecheck.
// - gh/hub/glab count as git; `python -c ...` and `node -e ...` are runs whatever they print.
//
// Where things are (src/core/bash/): split.ts (the shell splitter), dispatch.ts (prefixes,
// substitutions, the handler per program), results.ts (kinds, priority, results), words.ts (option
// and name helpers), and the command tables: programs.ts, javascript.ts, python.ts, tasks.ts,
// toolchains.ts. The tables register their handlers when imported, so they are imported here.
import type { BashKind } from './types.js';
import { analyzeCommand } from './bash/dispatch.js';
import type { BashAnalysis } from './bash/results.js';
import './bash/programs.js';
import './bash/javascript.js';
import './bash/python.js';
import './bash/tasks.js';
import './bash/toolchains.js';

export type { BashAnalysis, TestInvocation } from './bash/results.js';
export { splitSegments } from './bash/split.js';

export function classifyBash(command: string): BashKind {
  return analyzeBash(command).kind;
}

/** Kind of the whole command plus every test-runner invocation in it. */
export function analyzeBash(command: string): BashAnalysis {
  return analyzeCommand(command, 0);
}
