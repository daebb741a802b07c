import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectTestRunner, parseTestRun } from '../src/core/test-output.js';
import type { TestCounts } from '../src/core/types.js';
import { fixture, itWithFixtures } from './helpers/fixtures.js';
import { REPO_ROOT } from './helpers/paths.js';

const OUTPUTS = path.join(REPO_ROOT, 'test', 'fixtures', 'test-outputs');
const output = (name: string): string => readFileSync(path.join(OUTPUTS, name), 'utf8');
const c = (passed: number | null, failed: number | null, skipped: number | null, total: number | null): TestCounts => ({
  passed,
  failed,
  skipped,
  total,
});
const UNKNOWN = c(null, null, null, null);

describe('detectTestRunner', () => {
  it('names direct runners', () => {
    const cases: Array<[string, string]> = [
      ['npx jest --ci', 'jest'],
      ['npx vitest run', 'vitest'],
      ['pnpm vitest', 'vitest'],
      ['yarn jest', 'jest'],
      ['mocha', 'mocha'],
      ['node --test', 'node'],
      ['pytest -q', 'pytest'],
      ['py.test', 'pytest'],
      ['python -m pytest', 'pytest'],
      ['python3 -m pytest -x tests/', 'pytest'],
      ['uv run pytest', 'pytest'],
      ['poetry run pytest', 'pytest'],
      ['go test ./...', 'go'],
      ['cargo test', 'cargo'],
      ['cargo nextest run', 'nextest'],
      ['rspec', 'rspec'],
      ['bundle exec rspec spec/models', 'rspec'],
      ['vendor/bin/phpunit', 'phpunit'],
      ['mvn test', 'maven'],
      ['gradle test', 'gradle'],
      ['./gradlew test', 'gradle'],
      ['dotnet test', 'dotnet'],
      ['deno test', 'deno'],
      ['bun test', 'bun'],
      ['python -m unittest', 'unittest'],
      ['python manage.py test', 'django'],
      ['npx playwright test', 'playwright'],
      ['ctest', 'ctest'],
    ];
    expect(cases.map(([cmd]) => [cmd, detectTestRunner(cmd)])).toEqual(cases);
  });

  it('names wrappers by the wrapper', () => {
    const cases: Array<[string, string]> = [
      ['npm test', 'npm'],
      ['npm t', 'npm'],
      ['npm run test', 'npm'],
      ['npm run test:unit', 'npm'],
      ['pnpm test', 'pnpm'],
      ['pnpm -C pkg test', 'pnpm'],
      ['yarn test', 'yarn'],
      ['make test', 'make'],
      ['make check', 'make'],
      ['tox', 'tox'],
      ['nox', 'nox'],
      ['cd web && npm test 2>&1 | tail -20', 'npm'],
      ['bash -lc "make test"', 'make'],
    ];
    expect(cases.map(([cmd]) => [cmd, detectTestRunner(cmd)])).toEqual(cases);
  });

  it('returns null for commands that run no tests', () => {
    for (const cmd of [
      'tsc',
      'tsc --noEmit',
      'npm run build',
      'npm run typecheck',
      'cargo build',
      'grep -rn test src',
      'cat test.py',
      'ls tests',
      'git commit -m "add tests"',
      'echo npm test',
      'npm install --save-dev jest',
      'mvn -DskipTests package',
      '',
    ]) {
      expect(detectTestRunner(cmd), cmd).toBeNull();
    }
  });
});

interface Case {
  file: string;
  command: string;
  failed: boolean;
  counts: TestCounts;
  passed: boolean;
}

// Expected counts are read off each fixture by hand (see the summary lines in the files).
const CASES: Case[] = [
  { file: 'jest-pass.txt', command: 'npx jest', failed: false, counts: c(5, 0, 0, 5), passed: true },
  { file: 'jest-fail.txt', command: 'npx jest', failed: true, counts: c(4, 1, 1, 6), passed: false },
  { file: 'vitest-pass.txt', command: 'npx vitest run', failed: false, counts: c(5, 0, 0, 5), passed: true },
  { file: 'vitest-fail-ansi.txt', command: 'npx vitest run', failed: true, counts: c(3, 1, 1, 5), passed: false },
  { file: 'mocha-pass.txt', command: 'npx mocha', failed: false, counts: c(5, 0, 0, 5), passed: true },
  { file: 'mocha-fail.txt', command: 'npx mocha', failed: true, counts: c(5, 2, 1, 8), passed: false },
  { file: 'node-test-spec-pass.txt', command: 'node --test', failed: false, counts: c(4, 0, 0, 4), passed: true },
  { file: 'node-test-tap-fail.txt', command: 'node --test', failed: true, counts: c(1, 1, 1, 3), passed: false },
  { file: 'pytest-pass.txt', command: 'pytest', failed: false, counts: c(11, 0, 1, 12), passed: true },
  // 2 failed + 1 collection error count as 3 failures
  { file: 'pytest-fail.txt', command: 'python -m pytest', failed: true, counts: c(10, 3, 1, 14), passed: false },
  { file: 'unittest-fail.txt', command: 'python -m unittest', failed: true, counts: c(3, 1, 1, 5), passed: false },
  { file: 'django-pass.txt', command: 'python manage.py test', failed: false, counts: c(4, 0, 0, 4), passed: true },
  // without -v go names no passing tests: only "no failures" is known
  { file: 'go-pass.txt', command: 'go test ./...', failed: false, counts: c(null, 0, null, null), passed: true },
  // subtest failures (indented) are not counted apart from their parent
  { file: 'go-fail.txt', command: 'go test ./...', failed: true, counts: c(null, 2, null, null), passed: false },
  { file: 'go-verbose-pass.txt', command: 'go test -v ./...', failed: false, counts: c(2, 0, 1, 3), passed: true },
  { file: 'go-build-fail.txt', command: 'go test ./...', failed: true, counts: UNKNOWN, passed: false },
  // three test binaries: unit, integration, doc-tests, summed
  { file: 'cargo-pass.txt', command: 'cargo test', failed: false, counts: c(5, 0, 1, 6), passed: true },
  { file: 'cargo-fail.txt', command: 'cargo test', failed: true, counts: c(1, 1, 1, 3), passed: false },
  { file: 'nextest-pass.txt', command: 'cargo nextest run', failed: false, counts: c(5, 0, 0, 5), passed: true },
  { file: 'nextest-fail.txt', command: 'cargo nextest run', failed: true, counts: c(4, 1, 1, 6), passed: false },
  { file: 'rspec-pass.txt', command: 'bundle exec rspec', failed: false, counts: c(5, 0, 0, 5), passed: true },
  { file: 'rspec-fail.txt', command: 'bundle exec rspec', failed: true, counts: c(3, 1, 1, 5), passed: false },
  { file: 'minitest-fail.txt', command: 'bin/rails test', failed: true, counts: c(3, 1, 1, 5), passed: false },
  { file: 'phpunit-pass.txt', command: 'vendor/bin/phpunit', failed: false, counts: c(5, 0, 0, 5), passed: true },
  { file: 'phpunit-fail.txt', command: 'vendor/bin/phpunit', failed: true, counts: c(3, 1, 1, 5), passed: false },
  { file: 'maven-pass.txt', command: './mvnw test', failed: false, counts: c(5, 0, 0, 5), passed: true },
  // the "Results:" total is used, not the per-class lines as well
  { file: 'maven-fail.txt', command: 'mvn test', failed: true, counts: c(3, 1, 1, 5), passed: false },
  // gradle prints counts only on failure
  { file: 'gradle-pass.txt', command: './gradlew test', failed: false, counts: UNKNOWN, passed: true },
  { file: 'gradle-fail.txt', command: './gradlew test', failed: true, counts: c(3, 1, 1, 5), passed: false },
  { file: 'dotnet-pass.txt', command: 'dotnet test', failed: false, counts: c(5, 0, 0, 5), passed: true },
  // two test projects, summed
  { file: 'dotnet-fail.txt', command: 'dotnet test', failed: true, counts: c(7, 1, 1, 9), passed: false },
  { file: 'deno-pass.txt', command: 'deno test', failed: false, counts: c(3, 0, 0, 3), passed: true },
  { file: 'deno-fail.txt', command: 'deno test', failed: true, counts: c(1, 1, 1, 3), passed: false },
  { file: 'bun-pass.txt', command: 'bun test', failed: false, counts: c(2, 0, 0, 2), passed: true },
  { file: 'bun-fail.txt', command: 'bun test', failed: true, counts: c(1, 1, 1, 3), passed: false },
  { file: 'jasmine-fail.txt', command: 'npx jasmine', failed: true, counts: c(3, 1, 1, 5), passed: false },
  // flaky tests passed on retry
  { file: 'playwright-fail.txt', command: 'npx playwright test', failed: true, counts: c(4, 1, 1, 6), passed: false },
  { file: 'ctest-fail.txt', command: 'ctest', failed: true, counts: c(2, 1, null, 3), passed: false },
  { file: 'tox-pass.txt', command: 'tox', failed: false, counts: c(3, 0, 0, 3), passed: true },
];

describe('parseTestRun per runner', () => {
  it.each(CASES)('$file via `$command`', ({ file, command, failed, counts, passed }) => {
    const run = parseTestRun(command, output(file), failed);
    expect(run).toEqual({ runner: detectTestRunner(command), passed, counts });
  });

  it('reads every fixture the same way when a wrapper ran it (all formats tried at once)', () => {
    for (const { file, failed, counts, passed } of CASES) {
      for (const wrapper of ['npm test', 'make test', './run_tests.sh']) {
        const run = parseTestRun(wrapper, output(file), failed);
        expect({ file, wrapper, run }).toEqual({ file, wrapper, run: { runner: detectTestRunner(wrapper), passed, counts } });
      }
    }
  });
});

describe('parseTestRun: pass/fail decision', () => {
  it('fails a run whose summary reports failures even when the exit status was hidden by a pipe', () => {
    const run = parseTestRun('npm test 2>&1 | tail -40', output('mocha-fail.txt'), false);
    expect(run).toEqual({ runner: 'npm', passed: false, counts: c(5, 2, 1, 8) });
  });

  it('fails a run that exited non-zero even when every test passed (coverage threshold, teardown error)', () => {
    const run = parseTestRun('npx jest --coverage', output('jest-pass.txt'), true);
    expect(run).toEqual({ runner: 'jest', passed: false, counts: c(5, 0, 0, 5) });
  });

  it('fails on failure markers that carry no test count', () => {
    // a vitest file that did not load: every counted test passed, the run still failed
    expect(parseTestRun('npx vitest run | cat', output('vitest-file-error.txt'), false)).toEqual({
      runner: 'vitest',
      passed: false,
      counts: c(3, 0, 0, 3),
    });
    expect(parseTestRun('go test ./... || true', output('go-build-fail.txt'), false)?.passed).toBe(false);
    expect(parseTestRun('./gradlew test | tee log', output('gradle-fail.txt'), false)?.passed).toBe(false);
    expect(parseTestRun('cargo test 2>&1 | tail', output('cargo-fail.txt'), false)?.passed).toBe(false);
  });

  it('falls back to the exit status when the output has no summary', () => {
    expect(parseTestRun('npm test', "Exit code 1\nError: Cannot find module 'express'", true)).toEqual({
      runner: 'npm',
      passed: false,
      counts: UNKNOWN,
    });
    expect(parseTestRun('pytest', '', false)).toEqual({ runner: 'pytest', passed: true, counts: UNKNOWN });
  });

  it('treats "no tests ran" as zero tests', () => {
    expect(parseTestRun('pytest -k nothing', 'Exit code 5\n\nno tests ran in 0.01s\n', true)).toEqual({
      runner: 'pytest',
      passed: false,
      counts: c(0, 0, 0, 0),
    });
  });

  it('reads pytest -q and xfail/xpass summaries', () => {
    expect(parseTestRun('pytest -q', '..F.\n1 failed, 3 passed in 0.05s\n', true)?.counts).toEqual(c(3, 1, 0, 4));
    expect(parseTestRun('pytest', '== 5 passed, 1 xfailed, 1 xpassed in 0.10s ==', false)?.counts).toEqual(c(6, 0, 1, 7));
    // a uv resolver line ending "in 3ms" is not a pytest summary
    expect(parseTestRun('uv run pytest', 'Installed 5 packages in 3ms\n3 passed in 0.04s', false)?.counts).toEqual(
      c(3, 0, 0, 3),
    );
  });

  it('reads phpunit skips, pest/artisan lines and rspec load errors', () => {
    const skipped = 'OK, but some tests were skipped!\nTests: 5, Assertions: 7, Skipped: 1.\n';
    expect(parseTestRun('vendor/bin/phpunit', skipped, false)).toEqual({ runner: 'phpunit', passed: true, counts: c(4, 0, 1, 5) });
    const artisan = '  Tests:    1 failed, 4 passed (9 assertions)\n  Duration: 0.31s\n';
    expect(parseTestRun('php artisan test', artisan, true)?.counts).toEqual(c(4, 1, 0, 5));
    const rspecLoad = 'An error occurred while loading ./spec/x_spec.rb.\n\n0 examples, 0 failures, 1 error occurred outside of examples\n';
    expect(parseTestRun('rspec | cat', rspecLoad, false)?.passed).toBe(false);
  });
});

describe('parseTestRun: messy output', () => {
  it('strips the "Exit code N" header of PostToolUseFailure', () => {
    const run = parseTestRun('pytest -q', 'Exit code 1\n1 failed, 3 passed in 0.05s', true);
    expect(run?.counts).toEqual(c(3, 1, 0, 4));
  });

  it('does not double-count output that PostToolUseFailure carried twice', () => {
    const body = output('cargo-fail.txt').trimEnd();
    for (const doubled of [`${body}\n${body}`, body + body]) {
      expect(parseTestRun('cargo test', `Exit code 101\n${doubled}`, true)?.counts).toEqual(c(1, 1, 1, 3));
    }
    const dotnet = output('dotnet-fail.txt').trimEnd();
    expect(parseTestRun('dotnet test', `Exit code 1\n${dotnet}\n${dotnet}`, true)?.counts).toEqual(c(7, 1, 1, 9));
  });

  it('takes the last summary when a run is repeated in one output', () => {
    const rerun = output('jest-fail.txt') + '\n' + output('jest-pass.txt');
    expect(parseTestRun('npm test', rerun, false)).toEqual({ runner: 'npm', passed: true, counts: c(5, 0, 0, 5) });
    const twoRunners = output('pytest-pass.txt') + '\n' + output('vitest-fail-ansi.txt');
    expect(parseTestRun('pytest && npx vitest run', twoRunners, true)).toEqual({
      runner: 'pytest',
      passed: false,
      counts: c(3, 1, 1, 5),
    });
  });

  it('handles CRLF line ends and carriage-return progress lines', () => {
    const crlf = output('pytest-pass.txt').replace(/\n/g, '\r\n');
    expect(parseTestRun('pytest', crlf, false)?.counts).toEqual(c(11, 0, 1, 12));
    const progress = 'Running... 10%\rRunning... 100%\r\nTests:       2 passed, 2 total\r\n';
    expect(parseTestRun('npx jest', progress, false)?.counts).toEqual(c(2, 0, 0, 2));
  });

  it('parses a summary at the end of a huge output', () => {
    const lines = 'test tests::case_n ... ok\n'.repeat(200_000);
    const text = `running 200000 tests\n${lines}\ntest result: ok. 200000 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 9.1s\n`;
    expect(parseTestRun('cargo test', text, false)?.counts).toEqual(c(200_000, 0, 0, 200_000));
  });

  it('stays linear on adversarial output (a backtracking regex would time out here)', () => {
    const longLines = [
      '1 '.repeat(300_000),
      ' '.repeat(300_000) + 'x',
      '='.repeat(300_000),
      '1 passed'.repeat(50_000) + ' in',
      'Tests: ' + '1 passed, '.repeat(50_000),
      '\x1b['.repeat(100_000),
    ].join('\n');
    for (const cmd of ['npm test', 'pytest', 'npx jest', 'mocha']) {
      const run = parseTestRun(cmd, longLines, false);
      expect(run?.runner).toBe(detectTestRunner(cmd));
    }
  });

  it('never throws and never reports negative counts on arbitrary output', () => {
    const piece = fc.constantFrom(
      'Tests: ', '5 passed', ', ', '1 failed', ' in 0.1s', '\n', '===', 'ok  \tpkg\t0.1s', '--- FAIL: T ',
      'test result: FAILED. 1 passed; 9 failed; 0 ignored; ', '3 examples, 9 failures', 'Tests run: 1, Failures: 5, Errors: 0, Skipped: 0',
      '# pass 1', 'FAILED | 1 passed | 2 failed', ' 1 pass', '\x1b[31m', '\r', 'Ran 1 test in 0.1s', 'FAILED (failures=4)',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.boolean(), (parts, failed) => {
        const run = parseTestRun('npm test', parts.join(''), failed);
        expect(run).not.toBeNull();
        for (const v of Object.values(run!.counts)) expect(v === null || v >= 0).toBe(true);
        if (failed) expect(run!.passed).toBe(false);
        if (run!.counts.failed !== null && run!.counts.failed > 0) expect(run!.passed).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseTestRun on non-test commands', () => {
  it('returns null whatever the output says', () => {
    const noisy = output('jest-fail.txt');
    for (const cmd of ['tsc --noEmit', 'npm run build', 'grep -rn test src', 'cat test.py', 'git commit -m "add tests"', 'echo npm test']) {
      expect(parseTestRun(cmd, noisy, false), cmd).toBeNull();
    }
  });

  itWithFixtures('returns null for the real quantstats python -c checks that print "Test..." lines', () => {
    interface Payload {
      tool_name?: string;
      tool_input?: { command?: string };
      tool_response?: { stdout?: string; stderr?: string };
    }
    const file = fixture('hook-payloads', 'quantstats', 'post_tool_use.json');
    const payloads = (JSON.parse(readFileSync(file, 'utf8')) as Payload[]).filter((p) => p.tool_name === 'Bash');
    expect(payloads.length).toBeGreaterThan(0);
    expect(payloads.some((p) => (p.tool_response?.stdout ?? '').includes('Test completed successfully'))).toBe(true);
    for (const p of payloads) {
      const out = `${p.tool_response?.stdout ?? ''}\n${p.tool_response?.stderr ?? ''}`;
      expect(parseTestRun(p.tool_input?.command ?? '', out, false)).toBeNull();
    }
  });
});
