// Programs by name for bash-kind.ts: plain kinds (ls, grep, tsc, eslint, ...), direct test runners,
// tools with subcommands, containers, shells and indirection. Pure: no node:* imports.
import { analyzeCommand, nested, on, scriptRun } from './dispatch.js';
import {
  BUILD, FILE, fixed, FORMAT, GIT, INSTALL, LINT, MAX_DEPTH, OTHER, RUN, SEARCH, sub, testRun, TYPECHECK, type Handler,
  type Result,
} from './results.js';
import { set, skipOptions } from './words.js';

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
const dockerCompose: Handler = (args, depth) =>
  args[0] === 'run' || args[0] === 'exec' ? inContainer(args, depth) : COMPOSE(args, depth);
on('docker-compose', dockerCompose);
on('docker podman', (args, depth) => {
  if (args[0] === 'compose') return depth < MAX_DEPTH ? dockerCompose(args.slice(1), depth + 1) : OTHER;
  return args[0] === 'run' || args[0] === 'exec' ? inContainer(args, depth) : DOCKER(args, depth);
});

// Shells and indirection.
on('bash sh zsh dash ksh fish', classifyShell);
on('eval', (args, depth) => (depth < MAX_DEPTH ? analyzeCommand(args.join(' '), depth + 1) : OTHER));
const BUNDLE = sub({ install: INSTALL, update: INSTALL, add: INSTALL }, OTHER, INSTALL);
on('bundle bundler', (args, depth) => (args[0] === 'exec' ? nested(args.slice(1), depth) : BUNDLE(args, depth)));
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
