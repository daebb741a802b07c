import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeBash, classifyBash, splitSegments } from '../src/core/bash-kind.js';
import type { BashKind } from '../src/core/types.js';
import { describeWithFixtures, fixture } from './helpers/fixtures.js';

const KINDS: readonly BashKind[] = [
  'test', 'build', 'typecheck', 'lint', 'format', 'git', 'install', 'run', 'search', 'file', 'other',
];

function expectKinds(cases: ReadonlyArray<readonly [string, BashKind]>): void {
  const wrong = cases
    .map(([cmd, want]) => ({ cmd, want, got: classifyBash(cmd) }))
    .filter((c) => c.got !== c.want);
  expect(wrong).toEqual([]);
}

describe('classifyBash: single commands', () => {
  it('recognises test runners and test wrappers', () => {
    expectKinds([
      ['npm test', 'test'],
      ['npm t', 'test'],
      ['npm run test', 'test'],
      ['npm run test:unit', 'test'],
      ['npm run test -- --coverage', 'test'],
      ['pnpm test', 'test'],
      ['yarn test', 'test'],
      ['bun test', 'test'],
      ['npx vitest run', 'test'],
      ['npx jest --ci', 'test'],
      ['vitest', 'test'],
      ['mocha test/**/*.spec.js', 'test'],
      ['node --test', 'test'],
      ['node --test test/', 'test'],
      ['pytest -q', 'test'],
      ['py.test tests/', 'test'],
      ['python -m pytest tests/test_api.py -x', 'test'],
      ['python3 -m unittest discover', 'test'],
      ['python manage.py test', 'test'],
      ['go test ./...', 'test'],
      ['cargo test', 'test'],
      ['cargo nextest run', 'test'],
      ['cargo +nightly test --all-features', 'test'],
      ['rspec spec/models', 'test'],
      ['bundle exec rspec', 'test'],
      ['bin/rails test', 'test'],
      ['vendor/bin/phpunit', 'test'],
      ['php artisan test', 'test'],
      ['mvn test', 'test'],
      ['./mvnw -q verify', 'test'],
      ['gradle test', 'test'],
      ['./gradlew :app:testDebugUnitTest', 'test'],
      ['dotnet test', 'test'],
      ['deno test --allow-read', 'test'],
      ['make test', 'test'],
      ['make check', 'test'],
      ['make -C backend test-unit', 'test'],
      ['tox', 'test'],
      ['tox -e py311', 'test'],
      ['nox -s tests', 'test'],
      ['npx playwright test', 'test'],
      ['ctest --output-on-failure', 'test'],
    ]);
  });

  it('does not treat builds, type checks or mentions of "test" as test runs', () => {
    expectKinds([
      ['tsc', 'typecheck'],
      ['tsc --noEmit', 'typecheck'],
      ['npx tsc --noEmit --skipLibCheck', 'typecheck'],
      ['npm run typecheck', 'typecheck'],
      ['npm run type-check', 'typecheck'],
      ['pnpm check-types', 'typecheck'],
      ['mypy src', 'typecheck'],
      ['pyright', 'typecheck'],
      ['cargo check', 'typecheck'],
      ['npm run build', 'build'],
      ['vite build', 'build'],
      ['cargo build --release', 'build'],
      ['go build ./...', 'build'],
      ['make', 'build'],
      ['make build', 'build'],
      ['make -j4', 'build'],
      ['esbuild src/index.ts --bundle --outfile=dist/out.js', 'build'],
      ['webpack --mode production', 'build'],
      ['gradle build', 'build'],
      ['mvn -DskipTests package', 'build'],
      ['mvn -DskipTests verify', 'build'],
      ['grep -rn test src/', 'search'],
      ['cat test.py', 'file'],
      ['ls tests/', 'file'],
      ['git commit -m "add tests"', 'git'],
      ['echo npm test', 'other'],
      ['test -f package.json', 'other'],
      ['[ -d node_modules ]', 'other'],
    ]);
  });

  it('classifies lint, format, install, git, search, file and run commands', () => {
    expectKinds([
      ['eslint .', 'lint'],
      ['npx eslint src --fix', 'lint'],
      ['ruff check .', 'lint'],
      ['cargo clippy -- -D warnings', 'lint'],
      ['go vet ./...', 'lint'],
      ['npm run lint', 'lint'],
      ['prettier --write .', 'format'],
      ['black .', 'format'],
      ['gofmt -w .', 'format'],
      ['cargo fmt', 'format'],
      ['ruff format src', 'format'],
      ['npm run format:check', 'format'],
      ['npm i', 'install'],
      ['npm ci', 'install'],
      ['npm install --save-dev vitest', 'install'],
      ['pnpm add lucide-react', 'install'],
      ['yarn', 'install'],
      ['yarn add react', 'install'],
      ['pip install -r requirements.txt', 'install'],
      ['pip3 install quantstats', 'install'],
      ['python -m pip install -e .', 'install'],
      ['uv sync', 'install'],
      ['poetry install', 'install'],
      ['cargo add serde', 'install'],
      ['go mod tidy', 'install'],
      ['bundle install', 'install'],
      ['git status', 'git'],
      ['git diff HEAD~1 -- src/', 'git'],
      ['gh issue view 445', 'git'],
      ['grep -r "foo" .', 'search'],
      ['rg -n TODO', 'search'],
      ['find . -name "*.ts"', 'search'],
      ['ag pattern', 'search'],
      ['ls -la', 'file'],
      ['mkdir -p src/components', 'file'],
      ['rm -rf dist', 'file'],
      ['cp a b', 'file'],
      ['mv a b', 'file'],
      ['head -50 README.md', 'file'],
      ['tail -f log.txt', 'file'],
      ['wc -l src/*.ts', 'file'],
      ['touch .env', 'file'],
      ['node scripts/seed.js', 'run'],
      ['node -e "console.log(1)"', 'run'],
      ['python main.py --verbose', 'run'],
      ['python -c "print(1)"', 'run'],
      ['npm start', 'run'],
      ['npm run dev', 'run'],
      ['pnpm dev --port 3001', 'run'],
      ['cargo run -- --help', 'run'],
      ['go run ./cmd/server', 'run'],
      ['npx create-next-app@latest todo-app --typescript', 'run'],
      ['./scripts/deploy.sh', 'run'],
      ['cd src', 'other'],
      ['curl -s https://example.com', 'other'],
      ['', 'other'],
    ]);
  });
});

describe('classifyBash: compound and wrapped commands', () => {
  it('looks through cd, env assignments, timeout, pipes and redirections', () => {
    expectKinds([
      ['cd packages/api && npm test', 'test'],
      ['FOO=1 pytest -q', 'test'],
      ['CI=true NODE_ENV=test npx vitest run', 'test'],
      ['timeout 60 cargo test', 'test'],
      ['timeout -s KILL 5m go test ./...', 'test'],
      ['npm test 2>&1 | tail -20', 'test'],
      ['pytest -x > /tmp/out.txt 2>&1; echo $?', 'test'],
      ['sudo -u ci make test', 'test'],
      ['env -u DEBUG python -m pytest', 'test'],
      ['time npm run test:e2e', 'test'],
      ['source .venv/bin/activate && pytest', 'test'],
      ['(cd web && yarn test --watchAll=false)', 'test'],
      ['if npm test; then echo ok; fi', 'test'],
      ['for f in tests/*.py; do python $f; done', 'run'],
    ]);
  });

  it('follows shell -c strings, package-manager indirection and env runners', () => {
    expectKinds([
      ['bash -lc "npm test"', 'test'],
      ['sh -c \'cd app && go test ./...\'', 'test'],
      ['bash -c "npm run build"', 'build'],
      ['pnpm -C pkg test', 'test'],
      ['pnpm --filter @acme/web test', 'test'],
      ['npm --prefix client test', 'test'],
      ['npm -w packages/core run test', 'test'],
      ['pnpm vitest run src/math.test.ts', 'test'],
      ['yarn jest --coverage', 'test'],
      ['yarn workspace @acme/api test', 'test'],
      ['pnpm exec tsc --noEmit', 'typecheck'],
      ['uv run pytest', 'test'],
      ['uv run --with pytest-cov pytest --cov', 'test'],
      ['poetry run pytest tests/', 'test'],
      ['pipenv run python -m pytest', 'test'],
      ['uv run mypy src', 'typecheck'],
      ['poetry run python app.py', 'run'],
      ['eval "npm test"', 'test'],
      ['tox -e lint', 'lint'],
      ['nox -s typecheck', 'typecheck'],
      ['npx nx test my-app', 'test'],
      ['npx turbo run build', 'build'],
      ['npx concurrently "npm:test" "npm:lint"', 'test'],
      ['docker compose run --rm -e CI=1 app pytest -q', 'test'],
      ['docker exec -it web npm test', 'test'],
      ['docker run --rm -v $(pwd):/src -w /src node:20 npm run build', 'build'],
      ['docker compose up -d db', 'run'],
      ['docker run --rm hello-world', 'run'],
      ['docker build -t app .', 'build'],
    ]);
  });

  it('uses the documented priority when kinds mix', () => {
    expectKinds([
      ['npm ci && npm test', 'test'],
      ['npm run build && npm test', 'test'],
      ['npm run lint && npm run typecheck', 'typecheck'],
      ['npm run build && npm start', 'build'],
      ['prettier --write . && eslint .', 'lint'],
      ['npm install && npm run format', 'format'],
      ['git pull && npm install', 'install'],
      ['git log --oneline | grep fix', 'git'],
      ['python script.py | grep error', 'run'],
      ['cat package.json | grep version', 'search'],
      ['ls -la types/ && echo "--- File count ---" && find types/ -name "*.ts" | wc -l', 'search'],
      ['cd /repo && ls', 'file'],
    ]);
  });

  it('treats scripts named after tests as test runs through a wrapper', () => {
    expect(analyzeBash('./run_tests.sh').tests).toEqual([{ runner: 'script', wrapper: true }]);
    expect(analyzeBash('bash scripts/test.sh --fast').tests).toEqual([{ runner: 'script', wrapper: true }]);
    expect(analyzeBash('python test_fix.py').tests).toEqual([{ runner: 'python', wrapper: true }]);
    expect(analyzeBash('node api.test.js').tests).toEqual([{ runner: 'node', wrapper: true }]);
    // ...but not files that merely contain the letters
    expectKinds([
      ['python latest.py', 'run'],
      ['node contest.js', 'run'],
      ['bash ./testing-notes.sh', 'run'],
    ]);
  });

  it('reports every test invocation in command order with its runner', () => {
    expect(analyzeBash('pytest -q && npm test').tests).toEqual([
      { runner: 'pytest', wrapper: false },
      { runner: 'npm', wrapper: true },
    ]);
    expect(analyzeBash('npm run build').tests).toEqual([]);
  });
});

describe('splitSegments', () => {
  it('splits on operators but not inside quotes, and removes quotes', () => {
    expect(splitSegments(`git commit -m "fix: a && b; c | d" && echo 'x;y'`)).toEqual([
      ['git', 'commit', '-m', 'fix: a && b; c | d'],
      ['echo', 'x;y'],
    ]);
    expect(splitSegments('echo "say \\"hi\\"" a\\ b')).toEqual([['echo', 'say "hi"', 'a b']]);
  });

  it('drops redirections, file-descriptor numbers and comments', () => {
    expect(splitSegments('npm test 2>&1 >out.log < /dev/null &> all.log # run it')).toEqual([['npm', 'test']]);
    expect(splitSegments('cmd 2>/dev/null || true')).toEqual([['cmd'], ['true']]);
  });

  it('skips heredoc bodies', () => {
    const cmd = "cat > tests/test_x.py << 'EOF'\nimport pytest\nnpm test\nEOF\nls tests";
    expect(splitSegments(cmd)).toEqual([['cat'], ['ls', 'tests']]);
    expect(classifyBash(cmd)).toBe('file');
    // the body of an unterminated heredoc never leaks into commands
    expect(classifyBash('cat <<EOF\npytest\n')).toBe('file');
  });

  it('keeps $(...) and backticks inside one word', () => {
    expect(splitSegments('echo "$(git rev-parse HEAD)" `date; whoami`')).toEqual([
      ['echo', '$(git rev-parse HEAD)', '`date; whoami`'],
    ]);
    expect(splitSegments('x=$(cd a && pwd); ls')).toEqual([['x=$(cd a && pwd)'], ['ls']]);
  });

  it('classifies the commands inside $(...) and backticks too', () => {
    expect(analyzeBash('OUT=$(npm test 2>&1); echo "$OUT" | tail -5').tests).toEqual([{ runner: 'npm', wrapper: true }]);
    expect(classifyBash('res=`pytest -q`')).toBe('test');
    expect(classifyBash('echo "HEAD is $(git rev-parse HEAD)"')).toBe('git');
    // Claude Code's own commit idiom: the message is a heredoc inside $(...), quotes and all
    const commit =
      'git commit -m "$(cat <<\'EOF\'\nfix: don\'t "skip" the flaky tests (again)\n\nnpm test\n; pytest -q\nEOF\n)" && git push';
    expect(classifyBash(commit)).toBe('git');
    expect(analyzeBash(commit).tests).toEqual([]);
  });

  it('joins continued lines', () => {
    expect(splitSegments('pytest \\\n  -q \\\n  tests/')).toEqual([['pytest', '-q', 'tests/']]);
  });
});

describeWithFixtures('classifyBash on real captured commands', () => {
  interface Payload {
    tool_name?: string;
    tool_input?: { command?: string };
  }
  function bashCommands(file: string): string[] {
    const payloads = JSON.parse(readFileSync(file, 'utf8')) as Payload[];
    return payloads.filter((p) => p.tool_name === 'Bash').map((p) => p.tool_input?.command ?? '');
  }
  const dir = fixture('hook-payloads', 'quantstats');

  it('classifies the quantstats python -c one-liners as run, not test', () => {
    const commands = [...bashCommands(path.join(dir, 'pre_tool_use.json')), ...bashCommands(path.join(dir, 'post_tool_use.json'))];
    const pythonOneLiners = commands.filter((c) => c.startsWith('python -c'));
    expect(pythonOneLiners.length).toBeGreaterThanOrEqual(4);
    // they print "Testing basic quantstats function..." and "Test completed": still a program run
    expect(pythonOneLiners.some((c) => c.includes('Testing'))).toBe(true);
    for (const c of pythonOneLiners) {
      expect(classifyBash(c)).toBe('run');
      expect(analyzeBash(c).tests).toEqual([]);
    }
  });

  it('classifies the other quantstats commands', () => {
    const commands = bashCommands(path.join(dir, 'pre_tool_use.json'));
    const rg = commands.find((c) => c.startsWith('rg '));
    const gh = commands.find((c) => c.startsWith('gh '));
    expect(rg).toBeDefined();
    expect(gh).toBeDefined();
    expect(classifyBash(rg!)).toBe('search'); // rg ... 2>/dev/null || true
    expect(classifyBash(gh!)).toBe('git'); // gh issue view 445
  });

  it('classifies the Bash commands of the real transcripts', () => {
    const tdir = fixture('transcripts', 'claude-code-viewer');
    const commands: string[] = [];
    for (const f of readdirSync(tdir).filter((n) => n.endsWith('.jsonl'))) {
      for (const line of readFileSync(path.join(tdir, f), 'utf8').split('\n')) {
        if (!line.includes('"Bash"')) continue;
        const content = (JSON.parse(line) as { message?: { content?: unknown } }).message?.content;
        if (!Array.isArray(content)) continue;
        for (const b of content as Array<{ type?: string; name?: string; input?: { command?: string } }>) {
          if (b.type === 'tool_use' && b.name === 'Bash' && b.input?.command) commands.push(b.input.command);
        }
      }
    }
    expect(commands.length).toBeGreaterThan(40);
    const kinds = new Map(commands.map((c) => [c, classifyBash(c)]));
    // nothing in these sessions ran tests
    expect([...kinds].filter(([, k]) => k === 'test')).toEqual([]);
    const expected: Array<[string, BashKind]> = [
      ['ls -la', 'file'],
      ['mkdir -p components', 'file'],
      ['pnpm add lucide-react', 'install'],
      ['pnpm dev --port 3001', 'run'],
      ['npm run dev', 'run'],
      ['npm run build', 'build'],
      ['cd /path/to/Demo/todo-app && npx tsc --noEmit --skipLibCheck', 'typecheck'],
      ['cd types && npx tsc --noEmit --skipLibCheck *.ts', 'typecheck'],
      ['echo "" | npx create-next-app@latest todo-app --typescript --tailwind --eslint --app --src-dir', 'run'],
      ["tree /path/to/Demo -I 'node_modules|.git' -L 3", 'file'],
      ['cd /path/to/Demo/todo-app', 'other'],
    ];
    for (const [cmd, kind] of expected) {
      expect(kinds.has(cmd), cmd).toBe(true);
      expect(kinds.get(cmd), cmd).toBe(kind);
    }
    // heredoc file writes: `cat > types/x.ts << 'EOF' ... EOF` are file operations whatever the body says
    const heredocs = commands.filter((c) => c.startsWith('cat > ') && c.includes("<< 'EOF'"));
    expect(heredocs.length).toBeGreaterThan(3);
    for (const c of heredocs) expect(classifyBash(c)).toBe('file');
  });
});

describe('classifyBash robustness', () => {
  it('always returns a known kind, and a test kind exactly when a runner was found', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (cmd) => {
        const a = analyzeBash(cmd);
        expect(KINDS).toContain(a.kind);
        expect(a.tests.length > 0).toBe(a.kind === 'test');
      }),
      { numRuns: 2000 },
    );
  });

  it('handles shell-like noise built from operators and quotes', () => {
    const token = fc.constantFrom('npm', 'test', '&&', '|', ';', '"', "'", '\\', '$(', ')', '(', '<<', 'EOF', '\n', '2>&1', ' ', 'bash', '-c', '`');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (parts) => {
        const a = analyzeBash(parts.join(''));
        expect(a.tests.length > 0).toBe(a.kind === 'test');
      }),
      { numRuns: 2000 },
    );
  });

  it('stays linear on huge commands (a quadratic splitter would time out here)', () => {
    const body = 'x'.repeat(80) + '\n';
    const heredoc = `cat > big.txt << 'EOF'\n${body.repeat(20_000)}EOF\nnpm test`;
    expect(classifyBash(heredoc)).toBe('test');
    const quotes = 'echo ' + '"a b" '.repeat(100_000) + '&& pytest';
    expect(classifyBash(quotes)).toBe('test');
    const unclosed = 'echo "' + 'x && y '.repeat(100_000);
    expect(classifyBash(unclosed)).toBe('other');
    const parens = 'echo ' + '$('.repeat(50_000);
    expect(classifyBash(parens)).toBe('other');
    // heredocs nested in substitutions must not recurse per level (stack overflow)
    expect(classifyBash('echo ' + '$(<<'.repeat(50_000))).toBe('other');
    expect(classifyBash('echo "' + '$(<<'.repeat(50_000))).toBe('other');
  });
});
