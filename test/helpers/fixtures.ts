// Real captured data from public projects (hook payloads, transcripts) that some tests read. It is
// third-party data, so it lives outside the checkout and is never copied into it: at
// $AGENTOPS_META_FIXTURES when set, else at ../shared/fixtures beside the checkout.
// Tests that read it are registered through describeWithFixtures / itWithFixtures and carry the
// FIXTURES_TAG tag. Without the folder they are skipped, and the summary reporter prints one line
// for the whole run; under CI they fail instead, so CI can never pass by silently skipping them.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, type TestFunction } from 'vitest';
import { REPO_ROOT } from './paths.js';

/** Declared in vitest.config.ts; every test that reads the fixtures carries it. */
export const FIXTURES_TAG = 'real-payloads';

export const FIXTURES_HINT = 'set AGENTOPS_META_FIXTURES or place them at ../shared/fixtures';

/** Where the fixtures are looked for. */
export function fixturesDir(env: NodeJS.ProcessEnv = process.env): string {
  const set = env.AGENTOPS_META_FIXTURES;
  return set ? path.resolve(set) : path.resolve(REPO_ROOT, '..', 'shared', 'fixtures');
}

export const FIXTURES_DIR = fixturesDir();

export function fixturesFound(dir: string = FIXTURES_DIR): boolean {
  return fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** CI must run every test: there a missing fixture folder is an error, not a skip. */
export function fixturesRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

/** A path inside the fixture folder. */
export function fixture(...parts: string[]): string {
  return path.join(FIXTURES_DIR, ...parts);
}

const FOUND = fixturesFound();
const REQUIRED = fixturesRequired();
const OPTIONS = { tags: [FIXTURES_TAG] };

function failMissing(): never {
  throw new Error(`real-payload fixtures not found at ${FIXTURES_DIR} (${FIXTURES_HINT}); CI=${process.env.CI} requires them`);
}

/** A describe block whose tests read the fixtures. Nothing in `fn`'s body may read them: only its tests and hooks. */
export function describeWithFixtures(name: string, fn: () => void): void {
  if (FOUND) describe(name, OPTIONS, fn);
  else if (REQUIRED) describe(name, OPTIONS, () => it('has the real-payload fixtures it reads', failMissing));
  else describe.skip(name, OPTIONS, fn);
}

/** One test that reads the fixtures, inside an ordinary describe block. */
export function itWithFixtures(name: string, fn: TestFunction, timeout?: number): void {
  if (FOUND) it(name, { ...OPTIONS, timeout }, fn);
  else if (REQUIRED) it(name, OPTIONS, failMissing);
  else it.skip(name, OPTIONS, fn);
}
