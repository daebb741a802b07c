// Named tasks (package scripts, make targets, tox envs, ...) and the task runners of bash-kind.ts:
// make, just, task, rake, turbo, lerna, npm-run-all, concurrently, nx. Pure: no node:* imports.
import type { BashKind } from '../types.js';
import { analyzeCommand, on } from './dispatch.js';
import { BUILD, MAX_DEPTH, merge, moreSignificant, OTHER, SIMPLE, testRun, type Result } from './results.js';
import { ASSIGNMENT, LEADING_DIGIT, NAME_PARTS, NONE, positionals, set, TEST_NAME_PARTS } from './words.js';

const CONCURRENTLY_SCRIPT = /^(npm|yarn|pnpm|bun):(.+)$/;

export const TASK_WORDS: ReadonlyMap<string, BashKind> = new Map<string, BashKind>([
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
export function tasks(names: readonly string[], runner: string, flavor: TaskFlavor = 'package'): Result {
  let kind: BashKind = 'other';
  for (const t of names) if (!t.startsWith('-')) kind = moreSignificant(classifyTaskName(t, flavor), kind);
  return kind === 'test' ? testRun(runner, true) : SIMPLE[kind];
}

/** One named task; `npm run` without a name only lists the scripts. */
export function task(name: string | undefined, runner: string): Result {
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
