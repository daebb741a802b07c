// The toolchains of other languages for bash-kind.ts: Go, Deno, .NET, Rust (cargo), the JVM (maven,
// gradle), Ruby and PHP (composer, artisan). Pure: no node:* imports.
import type { BashKind } from '../types.js';
import { nested, on, scriptRun } from './dispatch.js';
import {
  BUILD, FILE, FORMAT, INSTALL, LINT, moreSignificant, OTHER, RUN, same, SIMPLE, sub, testRun, TYPECHECK,
} from './results.js';
import { task } from './tasks.js';
import { basename, isTestScriptName, NONE, positionals, set, skipOptions } from './words.js';

const GRADLE_TEST_TASK = /^(?:test|check)$|^test[A-Z]|Tests?$/;
const GRADLE_BUILD_TASK = /^(?:build|assemble|compile|jar$|bootJar$|shadowJar$|installDist$|classes$|dist)/;

// ---- Go, Deno, .NET ------------------------------------------------------------------------

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
