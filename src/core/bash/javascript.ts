// JavaScript package managers and runtimes for bash-kind.ts: npm, pnpm, yarn, bun, npx, node, tsx.
// Pure: no node:* imports.
import { nested, on, scriptRun } from './dispatch.js';
import { BUILD, INSTALL, MAX_DEPTH, OTHER, RUN, testRun, type Result } from './results.js';
import { task } from './tasks.js';
import { NONE, packageBin, positionals, set, skipOptions } from './words.js';

const SCRIPT_FILE = /\.(?:[cm]?[jt]sx?|py|sh|bash|zsh|rb|php|pl)$/;

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
