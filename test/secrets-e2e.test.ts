// Secrets planted in prompts, commands, outputs and file contents never appear in the database,
// exports, reports, the learned library (patterns/, metrics/, the skill) or any commit.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../src/sim/simulate.js';
import { REPO_ROOT } from './helpers/paths.js';
import { leakedSecrets, plantInPayload, SECRET_LABELS, SECRET_SAMPLES, seededRandom } from './helpers/secrets-corpus.js';

const CLI = path.join(REPO_ROOT, 'bin', 'agentops-meta.js');
let root = '';
let home = '';
let repo = '';
const outputs: Record<string, string> = {};
const plantedKinds = new Set<string>();
let plantedCount = 0;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, AGENTOPS_META_HOME: home }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`agentops-meta ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Puts a sample's context into one of the fields people's secrets really end up in. */
function plantInContent(payload: Record<string, unknown>, rnd: () => number): void {
  const sample = SECRET_SAMPLES[Math.floor(rnd() * SECRET_SAMPLES.length)]!;
  plantedKinds.add(sample.label);
  plantedCount++;
  const input = (payload.tool_input ?? {}) as Record<string, unknown>;
  const response = (payload.tool_response ?? {}) as Record<string, unknown>;
  if (typeof payload.prompt === 'string') payload.prompt = `${payload.prompt}\n${sample.context}`;
  else if (typeof input.command === 'string') payload.tool_input = { ...input, command: `${input.command} && echo '${sample.context}'` };
  else if (typeof response.stdout === 'string') payload.tool_response = { ...response, stdout: `${response.stdout}\n${sample.context}` };
  else if (payload.tool_name === 'Write' || payload.tool_name === 'Edit') payload.tool_input = { ...input, content: sample.context, new_string: sample.context };
  else payload.error = sample.context;
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'am-secrets-'));
  home = path.join(root, 'data');
  repo = path.join(root, 'repo');
  fs.mkdirSync(path.join(home, 'spool'), { recursive: true });
  fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ learn: { min_sessions: 5 }, daemon: { autostart: false } }));
  fs.mkdirSync(repo);
  spawnSync('git', ['init', '-q', repo]);

  const { payloads } = simulate({ seed: 5, sessions: 60, start_ms: Date.UTC(2026, 5, 1), days: 20 });
  const rnd = seededRandom(99);
  payloads.forEach((p, i) => {
    let payload = { ...p.payload } as Record<string, unknown>;
    // Every third payload gets a secret in its content; one in twenty more anywhere at all.
    if (i % 3 === 0) plantInContent(payload, rnd);
    if (i % 20 === 0) {
      const r = plantInPayload(payload, 1000 + i, 2);
      payload = r.payload;
      for (const s of r.planted) plantedKinds.add(s.label);
      plantedCount += r.planted.length;
    }
    const ns = BigInt(Math.round(p.ts_ms)) * 1_000_000n + BigInt(i % 1000);
    fs.writeFileSync(path.join(home, 'spool', `${ns}-${100 + (i % 50)}-${p.event}.json`), JSON.stringify(payload));
  });
  // An unparseable payload with a secret in it: quarantined, and redacted there too.
  const lone = SECRET_SAMPLES[0]!;
  fs.writeFileSync(path.join(home, 'spool', `1780000000000000000-7-UserPromptSubmit.json`), `{"session_id": "x", "prompt": "${lone.context}`);
  plantedCount++;

  cli('ingest');
  outputs.learn = cli('learn', '--commit', '--repo', repo, '--json');
  for (const format of ['xes', 'ocel', 'csv', 'jsonl']) {
    const file = path.join(root, `export.${format}`);
    cli('export', '--format', format, '--out', file);
    outputs[`export.${format}`] = fs.readFileSync(file, 'utf8');
  }
  outputs.events = cli('events', '--json');
  outputs.sessions = cli('sessions', '--json');
  outputs.tests = cli('tests', '--json');
  outputs.patterns = cli('patterns', '--json');
  outputs.status = cli('status', '--json');
  outputs.plan = cli('plan', '--json', '--cwd', root);
  outputs.report = cli('report');
  cli('report', '--html', path.join(root, 'report.html'));
  outputs['report.html'] = fs.readFileSync(path.join(root, 'report.html'), 'utf8');
  outputs.catalog = cli('catalog', '--json');
  outputs.git = spawnSync('git', ['-C', repo, 'log', '-p', '--all', '--format=%H %s%n%b'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout;
}, 180_000);

afterAll(() => {
  if (process.env.AGENTOPS_KEEP_TEST_DIRS) console.log(`kept ${root}`);
  else fs.rmSync(root, { recursive: true, force: true });
});

/** Every file under a folder, as text. */
function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = fs.readFileSync(file).toString('latin1');
  }
  return out;
}

describe('secrets never leave redaction', () => {
  it('plants at least 30 kinds of secrets, in content fields and anywhere', () => {
    console.log(`secrets: ${plantedCount} planted, ${plantedKinds.size} kinds (of ${SECRET_LABELS.length} in the corpus)`);
    expect(plantedKinds.size).toBeGreaterThanOrEqual(30);
  });

  it('none is in the database file, its WAL, or anything else in the data folder', () => {
    const files = readTree(home);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['agentops.db']));
    for (const [name, bytes] of Object.entries(files)) expect(leakedSecrets(bytes), name).toEqual([]);
  });

  it('none is in the exports or the command outputs', () => {
    for (const [name, text] of Object.entries(outputs)) {
      expect(text.length, name).toBeGreaterThan(0);
      expect(leakedSecrets(text), name).toEqual([]);
    }
  });

  it('none is in the committed library or anywhere in the learning repository history', () => {
    expect(outputs.git).toMatch(/learning /);
    for (const [name, text] of Object.entries(readTree(repo))) expect(leakedSecrets(text), name).toEqual([]);
  });
});
