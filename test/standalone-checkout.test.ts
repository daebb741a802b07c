// A fresh clone with nothing beside it must pass its tests: the tests that read the third-party
// fixtures (test/helpers/fixtures.ts) are skipped with one line saying so, and under CI=true they fail
// naming the missing folder. The clone is this working tree (tracked and untracked, not ignored,
// files) copied into an empty temp folder, with node_modules linked (npm ci would take minutes).
// It runs every test file that reads the fixtures without CI (about 15 s here), and with CI=true only
// their fixture-tagged tests (--tagsFilter), since the others were just seen passing.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { FIXTURES_TAG } from './helpers/fixtures.js';
import { REPO_ROOT } from './helpers/paths.js';
import { tempDirs } from './helpers/temp-dirs.js';

const FIXTURE_READERS = [
  'test/backfilled-commands.test.ts',
  'test/backfill.test.ts',
  'test/hooks.test.ts',
  'test/worker-pool.test.ts',
  'test/bash-kind.test.ts',
  'test/redact.test.ts',
  'test/test-output.test.ts',
  'test/learn-pairing.test.ts',
  'test/normalize.test.ts',
];
const SKIP_LINE = /^(\d+) tests skipped: real-payload fixtures not found \(set AGENTOPS_META_FIXTURES or place them at \.\.\/shared\/fixtures\)$/;
const SUMMARY_LINE = /^(\d+) passed, (\d+) failed, (\d+) skipped$/m;

const tempDir = tempDirs('am-clone-');

/** The working tree's files as git sees them (deleted ones left out), copied to `dest`. */
function copyWorkingTree(dest: string): number {
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  let copied = 0;
  for (const rel of listed.stdout.split('\0')) {
    const from = path.join(REPO_ROOT, rel);
    // node_modules is linked below (a symlinked one is listed, `node_modules/` ignores only a folder)
    if (rel === '' || rel === 'node_modules' || !fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(dest, rel)); // keeps the mode: the hook scripts stay executable
    copied++;
  }
  return copied;
}

/** This process's environment minus vitest's own and the variables under test. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VITEST') || k === 'CI' || k === 'AGENTOPS_META_FIXTURES' || k === 'NODE_ENV' || k === 'TEST') continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

function vitest(clone: string, args: string[], env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  const bin = path.join(clone, 'node_modules', 'vitest', 'vitest.mjs');
  return spawnSync(process.execPath, [bin, 'run', ...args], { cwd: clone, env, encoding: 'utf8', timeout: 150_000, maxBuffer: 64 * 1024 * 1024 });
}

it('a copy of the checkout with nothing beside it skips the fixture tests with one line, and fails them under CI', () => {
  const clone = path.join(tempDir(), 'agentops-meta');
  expect(copyWorkingTree(clone)).toBeGreaterThan(100);
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(clone, 'node_modules'));
  // Control: the folder the tests would look in really is absent.
  expect(fs.existsSync(path.join(clone, '..', 'shared'))).toBe(false);
  const build = spawnSync(process.execPath, ['build.mjs'], { cwd: clone, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);

  const alone = vitest(clone, FIXTURE_READERS, cleanEnv({}));
  const aloneOut = `${alone.stdout}\n${alone.stderr}`;
  expect(alone.status, aloneOut.slice(-4000)).toBe(0);
  const skipLines = aloneOut.split('\n').filter((line) => SKIP_LINE.test(line));
  expect(skipLines, aloneOut.slice(-4000)).toHaveLength(1);
  const summary = SUMMARY_LINE.exec(alone.stdout);
  expect(summary, alone.stdout.slice(-2000)).not.toBeNull();
  const [, passed, failed, skipped] = summary!.map(Number);
  // Every skipped test is a fixture test, and the other tests of those files ran and passed.
  const skippedForFixtures = Number(SKIP_LINE.exec(skipLines[0]!)![1]);
  expect(skippedForFixtures).toBeGreaterThan(0);
  expect(skipped).toBe(skippedForFixtures);
  expect(failed).toBe(0);
  expect(passed).toBeGreaterThan(100);

  const ci = vitest(clone, [...FIXTURE_READERS, '--tagsFilter', FIXTURES_TAG], cleanEnv({ CI: 'true' }));
  const ciOut = `${ci.stdout}\n${ci.stderr}`;
  expect(ci.status, ciOut.slice(-4000)).not.toBe(0);
  expect(ciOut).toContain(`real-payload fixtures not found at ${path.join(path.dirname(clone), 'shared', 'fixtures')}`);
  expect(ciOut.split('\n').some((line) => SKIP_LINE.test(line))).toBe(false);
  const ciSummary = SUMMARY_LINE.exec(ci.stdout);
  expect(ciSummary, ci.stdout.slice(-2000)).not.toBeNull();
  // One failure per fixture-reading describe block or test, none of them passed.
  expect(Number(ciSummary![2])).toBeGreaterThanOrEqual(FIXTURE_READERS.length);
  expect(Number(ciSummary![1])).toBe(0);
}, 240_000);
