// Org-wide learning from the shared PostgreSQL store: the same learning as a machine's own on the
// same sessions, per team and per project, first-report times kept per scope in the shared store,
// and the same library committed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { defaultContext } from '../src/cli/cli-context.js';
import { refreshSharedAdvice } from '../src/cli/learn-commands.js';
import { configSchema, DEFAULT_CONFIG } from '../src/config/schema.js';
import { normalize } from '../src/core/normalize.js';
import type { EventRecord } from '../src/core/types.js';
import { firstReportedKey } from '../src/org/learn-org.js';
import { runLearning } from '../src/shell/learn-run.js';
import { openPostgresStore } from '../src/store/postgres.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { describeWithPostgres } from './helpers/postgres.js';
import { CLI, cli } from './helpers/shipping.js';
import { tempDirs } from './helpers/temp-dirs.js';

const tmp = tempDirs('am-org-learn-');

/**
 * Sessions of one machine: green ones read, edit, then run the tests (which pass); red ones grep,
 * edit, then run them (which fail). `seed` varies the mix, so machines differ.
 */
function machineSessions(machine: string, sessions: number, project: string, seed: number): EventRecord[] {
  const out: EventRecord[] = [];
  let clock = Date.UTC(2026, 1, 1) + seed * 1000;
  for (let s = 0; s < sessions; s++) {
    const green = (s * 7 + seed) % 10 < 6;
    const session_id = `${machine}-s${s}`;
    const base = { session_id, cwd: project };
    const calls: [string, Record<string, unknown>, Record<string, unknown>][] = [
      green ? ['Read', { file_path: `${project}/a.ts` }, { type: 'text' }] : ['Grep', { pattern: 'x' }, { mode: 'files' }],
      ['Edit', { file_path: `${project}/a.ts`, old_string: 'a', new_string: 'b' }, {}],
      ['Bash', { command: 'npx vitest run' }, { stdout: green ? 'Tests  3 passed (3)' : 'Tests  1 failed | 2 passed (3)', stderr: '' }],
    ];
    const payloads: Record<string, unknown>[] = [{ ...base, hook_event_name: 'SessionStart', source: 'startup' }];
    calls.forEach(([tool_name, tool_input, tool_response], i) => {
      const call = { ...base, tool_name, tool_use_id: `${session_id}-t${i}`, tool_input };
      payloads.push({ ...call, hook_event_name: 'PreToolUse' }, { ...call, hook_event_name: 'PostToolUse', tool_response });
    });
    payloads.push({ ...base, hook_event_name: 'SessionEnd', reason: 'exit' });
    for (const [i, value] of payloads.entries()) {
      clock += 2000;
      const r = normalize({ id: `${session_id}-e${i}`, ts_ms: clock, source: 'hook', value }, { projectOf: () => project, maxFieldChars: 4000 });
      if (!r.ok) throw new Error(`test session does not normalize: ${JSON.stringify(r)}`);
      out.push(r.record);
    }
  }
  return out;
}

/** Ships `events` into the shared store at `url`, as the machine `origin` names. */
async function shareEvents(url: string, origin: { machine_id: string; team: string }, events: EventRecord[]): Promise<void> {
  const shared = await openPostgresStore({ url, origin });
  await shared.insert(events, []);
  await shared.close();
}

const withoutEvidence = ({ evidence: _e, ...rest }: Record<string, unknown>) => rest;

describeWithPostgres('learning from the shared store', (server) => {
  it('learns what a machine holding the same sessions learns; --team and --project narrow it; first reports are kept per scope', async () => {
    const url = await server().freshDatabase();
    const ann = machineSessions('ann', 40, '/home/ann/code/shop', 1);
    const bob = machineSessions('bob', 30, '/Users/bob/shop', 2);
    const cy = machineSessions('cy', 30, '/home/cy/tools', 3);
    for (const [events, origin] of [
      [ann, { machine_id: 'ann', team: 'web' }],
      [bob, { machine_id: 'bob', team: 'web' }],
      [cy, { machine_id: 'cy', team: 'data' }],
    ] as const)
      await shareEvents(url, origin, events);
    // The same events in one local store, learned by the local learning run.
    const local = openSqliteStore({ file: path.join(tmp(), 'all.db') });
    local.insert([...ann, ...bob, ...cy], []);
    const expected = runLearning(local, DEFAULT_CONFIG, 0);
    local.close();
    expect(expected.result.sequential.length + expected.result.anti.length).toBeGreaterThan(0); // something to compare

    const home = tmp();
    const all = cli(home, ['learn', '--store', url, '--json']);
    expect(all.status, all.stderr).toBe(0);
    const got = JSON.parse(all.stdout) as Record<string, unknown>;
    expect(got.sessions).toBe(100);
    expect(got.ingested).toBe(0);
    const { ingested: _i, sessions: _s, ...learned } = got;
    expect(learned).toEqual(JSON.parse(JSON.stringify(withoutEvidence(expected.result as unknown as Record<string, unknown>))));
    // This machine's own planner context is not the shared store's to write.
    expect(fs.existsSync(path.join(home, 'context'))).toBe(false);

    const web = JSON.parse(cli(home, ['learn', '--store', url, '--team', 'web', '--json']).stdout) as { sessions: number };
    expect(web.sessions).toBe(70);
    const shop = JSON.parse(cli(home, ['learn', '--store', url, '--project', 'shop', '--json']).stdout) as { sessions: number };
    expect(shop.sessions).toBe(70);
    const tools = JSON.parse(cli(home, ['learn', '--store', url, '--project', '/home/cy/tools', '--team', 'data', '--json']).stdout) as { sessions: number };
    expect(tools.sessions).toBe(30);

    const shared = await openPostgresStore({ url });
    const globalFirst = JSON.parse((await shared.getMeta(firstReportedKey({})))!) as Record<string, Record<string, number>>;
    expect(Object.keys(globalFirst.global ?? {}).length).toBeGreaterThan(0);
    expect(await shared.getMeta(firstReportedKey({ team: 'web' }))).not.toBeNull();
    expect(firstReportedKey({ team: 'web', project: 'shop' })).toBe('first_reported|team=web|project=shop');
    await shared.close();
  }, 120_000);

  it('store.advice "shared": this machine\'s planner advice comes from the shared store (learn --store, the nightly step), and local learning leaves it alone', async () => {
    const url = await server().freshDatabase();
    await shareEvents(url, { machine_id: 'ann', team: 'web' }, machineSessions('ann', 50, '/home/ann/code/shop', 5));
    // This machine's own history: a few sessions, too few to learn anything from.
    const home = tmp();
    const local = openSqliteStore({ file: path.join(home, 'agentops.db') });
    local.insert(machineSessions('me', 3, '/home/me/x', 6), []);
    local.close();
    const ctxFile = path.join(home, 'context', 'session-start', 'global.ctx');
    const adviceText = () => JSON.parse(fs.readFileSync(ctxFile, 'utf8')) as string;

    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ store: { remote: url, team: 'web', advice: 'shared' } }));
    const first = cli(home, ['learn']);
    expect(first.status, first.stderr).toBe(0);
    expect(fs.existsSync(ctxFile)).toBe(false); // the local run does not write the advice
    const r = cli(home, ['learn', '--store', url]);
    expect(r.status, r.stderr).toBe(0);
    const fromShared = adviceText();
    expect(fromShared).toMatch(/Read/); // the shared store's green recipe (Read, Edit, then the tests)
    expect(cli(home, ['learn']).status).toBe(0);
    expect(adviceText()).toBe(fromShared);

    // The daemon's nightly step does the same, scoped to store.team; a store it cannot read leaves the advice.
    fs.rmSync(path.join(home, 'context'), { recursive: true });
    const ctx = defaultContext({ ...process.env, AGENTOPS_META_HOME: home });
    expect(await refreshSharedAdvice(ctx)).toMatch(/^advice: learned from 50 sessions in the shared store postgres:\/\/127\.0\.0\.1:\d+\//);
    expect(adviceText()).toBe(fromShared);
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ store: { remote: `postgres://postgres@127.0.0.1:${server().port + 1}/nope`, advice: 'shared' } }));
    expect(await refreshSharedAdvice(ctx)).toMatch(/could not be read .*; the planner keeps the advice it has$/);
    expect(adviceText()).toBe(fromShared);

    // Local advice (the default) is never the shared store's to write; "shared" needs a store.
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ store: { remote: url } }));
    expect(await refreshSharedAdvice(ctx)).toBe('');
    expect(configSchema.safeParse({ store: { advice: 'shared' } }).success).toBe(false);
  }, 120_000);

  it('--commit --repo DIR commits the library learned from the shared store; bad arguments are usage errors', async () => {
    const url = await server().freshDatabase();
    await shareEvents(url, { machine_id: 'ann', team: 'web' }, machineSessions('ann', 50, '/home/ann/code/shop', 4));
    const home = tmp();
    const repo = path.join(tmp(), 'library');
    fs.mkdirSync(repo);
    expect(spawnSync('git', ['init', '-q', repo]).status).toBe(0);
    const env = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    const r = spawnSync(process.execPath, [CLI, 'learn', '--store', url, '--commit', '--repo', repo], {
      encoding: 'utf8',
      env: { ...process.env, ...env, AGENTOPS_META_HOME: home },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/learning commit [0-9a-f]{10}/);
    expect(spawnSync('git', ['-C', repo, 'log', '--format=%s'], { encoding: 'utf8' }).stdout).toMatch(/^learning \d{4}-\d\d-\d\d: .* from 50 sessions/);
    expect(fs.readdirSync(path.join(repo, 'patterns')).length).toBeGreaterThan(0);
    // The evidence is the org's, not this machine's: it replaces the machines' files in the tables.
    expect(fs.readdirSync(path.join(repo, 'metrics', 'evidence'))).toEqual(['org-all.json']);

    expect(cli(home, ['learn', '--team', 'web']).status).toBe(2);
    expect(cli(home, ['learn', '--store', 'http://x']).status).toBe(2);
    const down = cli(home, ['learn', '--store', `postgres://postgres@127.0.0.1:${server().port + 1}/nope`]);
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(/cannot open the shared store at postgres:\/\/127\.0\.0\.1/);
  }, 120_000);
});
