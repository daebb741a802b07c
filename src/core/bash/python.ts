// Python for bash-kind.ts: python/pip by any version, uv, pipx, coverage, the environment managers
// (poetry, pdm, conda, ...), hatch, tox and nox. Pure: no node:* imports.
import type { BashKind } from '../types.js';
import { nested, on, onPattern, scriptRun } from './dispatch.js';
import {
  BUILD, FORMAT, INSTALL, moreSignificant, OTHER, RUN, same, SIMPLE, sub, testRun, type Handler, type Result,
} from './results.js';
import { task, TASK_WORDS } from './tasks.js';
import { basename, NAME_PARTS, NONE, set, skipOptions } from './words.js';

const PYTHON_EXE = /^(?:python|pypy)(?:\d+(?:\.\d+)*)?$/;
const PIP_EXE = /^pip(?:\d+(?:\.\d+)*)?$/;
onPattern(PYTHON_EXE, classifyPython);
onPattern(PIP_EXE, (args) => classifyPip(args));

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

const HATCH = sub({ test: testRun('pytest'), fmt: FORMAT, build: BUILD, env: INSTALL }, OTHER);
on('hatch', (args, depth) => (args[0] === 'run' ? runLike(args, 1, depth, NONE, 'hatch') : HATCH(args, depth)));
