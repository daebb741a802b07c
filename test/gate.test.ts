// The opt-in TDD gate: gateDecision() on its own, then the Stop hook end to end over a transcript.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hookEntries } from '../src/install/hook-spec.js';
import { gateDecision, type GateCall, type GateOptions } from '../src/plan/gate.js';
import { REPO_ROOT } from './helpers/paths.js';

const PASS = ' RUN  v4.1.0 /home/dev/proj\n\n ✓ test/parser.test.ts (5 tests) 12ms\n\n Test Files  1 passed (1)\n      Tests  5 passed (5)\n';
const FAIL = ' FAIL  test/parser.test.ts > parse > handles empty input\nAssertionError: expected undefined to equal []\n\n Test Files  1 failed (1)\n      Tests  1 failed | 4 passed (5)\n';

const edit = (id: string | null, tool = 'Edit', event: GateCall['event'] = 'PostToolUse'): GateCall => ({ event, tool_name: tool, tool_use_id: id, command: null, output: '' });
const bash = (command: string, output: string, failed = false): GateCall => ({
  event: failed ? 'PostToolUseFailure' : 'PostToolUse',
  tool_name: 'Bash',
  tool_use_id: null,
  command,
  output: failed ? `Exit code 1\n${output}` : output,
});
const pass = (command = 'npm test') => bash(command, PASS);
const fail = (command = 'npm test', failedCall = false) => bash(command, FAIL, failedCall);
const read: GateCall = { event: 'PostToolUse', tool_name: 'Read', tool_use_id: 'r', command: null, output: '' };

const OFF: GateOptions = { stopHookActive: false, requireTests: false, blockedForEdit: null };

describe('gateDecision', () => {
  it('allows a session that edited nothing, whatever its tests did', () => {
    expect(gateDecision([], OFF)).toEqual({ block: false, why: 'no files were edited' });
    expect(gateDecision([read, fail()], { ...OFF, requireTests: true }).block).toBe(false);
  });

  it('allows when the last test run came after the last edit and passed', () => {
    expect(gateDecision([edit('e1'), pass()], OFF)).toEqual({ block: false, why: 'the last test run after the last edit passed' });
    // an earlier failure does not matter once a later run passed
    expect(gateDecision([edit('e1'), fail(), edit('e2'), fail('npx vitest run', true), pass('npx vitest run')], OFF).block).toBe(false);
  });

  it('blocks when files were edited after the last green run, naming the test command', () => {
    const d = gateDecision([edit('e1'), pass('npx vitest run test/parser.test.ts'), read, edit('e2', 'Write'), bash('git diff', 'diff')], OFF);
    expect(d).toEqual({
      block: true,
      edit: 'e2',
      reason: 'Files were edited after the last test run. Run `npx vitest run test/parser.test.ts` again and make sure it passes before finishing (agentops-meta TDD gate).',
    });
  });

  it('blocks when the last test run failed, by its summary or by its exit status', () => {
    for (const last of [fail(), fail('npm test', true), bash('npm test', 'Exit code 1\nnpm ERR! Test failed.', true)]) {
      const d = gateDecision([pass(), edit('e1'), last], OFF);
      expect(d).toEqual({
        block: true,
        edit: 'e1',
        reason: 'The last test run failed. Run `npm test` again and make sure it passes before finishing (agentops-meta TDD gate).',
      });
    }
  });

  it('counts Edit, Write, MultiEdit and NotebookEdit that succeeded as edits, nothing else', () => {
    for (const tool of ['Edit', 'Write', 'MultiEdit', 'NotebookEdit']) expect(gateDecision([pass(), edit('e', tool)], OFF).block).toBe(true);
    for (const call of [read, edit('e', 'Edit', 'PostToolUseFailure'), bash('sed -i s/a/b/ x.ts', ''), edit('e', 'mcp__fs__write_file')]) {
      expect(gateDecision([pass(), call], OFF).block).toBe(false);
    }
  });

  it('without tests: allows, unless require_tests is on', () => {
    expect(gateDecision([edit('e1'), bash('ls', 'x')], OFF)).toEqual({ block: false, why: 'the session ran no tests (gate.require_tests is off)' });
    const d = gateDecision([edit('e1'), bash('ls', 'x')], { ...OFF, requireTests: true });
    expect(d.block && d.edit).toBe('e1');
    expect(d.block && d.reason).toContain('no tests were run');
  });

  it('never blocks while Claude Code is already continuing because of a Stop hook', () => {
    const active = { ...OFF, stopHookActive: true, requireTests: true };
    for (const calls of [[pass(), edit('e1')], [edit('e1'), fail()], [edit('e1')]]) expect(gateDecision(calls, active).block).toBe(false);
  });

  it('blocks once per edit: not again for the same last edit, again after a new one', () => {
    const calls = [pass(), edit('e1')];
    expect(gateDecision(calls, { ...OFF, blockedForEdit: 'e1' })).toEqual({ block: false, why: 'already blocked once for these edits' });
    expect(gateDecision([...calls, edit('e2')], { ...OFF, blockedForEdit: 'e1' }).block).toBe(true);
    expect(gateDecision([edit('e1'), fail()], { ...OFF, blockedForEdit: 'e1' }).block).toBe(false);
  });

  const call = fc.oneof(
    fc.constantFrom('Edit', 'Write', 'Read', 'Grep').chain((tool) =>
      fc.record({ id: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null }), failed: fc.boolean() }).map(({ id, failed }) => edit(id, tool, failed ? 'PostToolUseFailure' : 'PostToolUse')),
    ),
    fc.tuple(fc.constantFrom('npm test', 'pytest -q', 'ls', 'npx vitest run'), fc.constantFrom(PASS, FAIL, ''), fc.boolean()).map(([c, o, f]) => bash(c, o, f)),
  );

  it('properties: never blocks with stop_hook_active; blocks only after an edit, for the last edit', () => {
    fc.assert(
      fc.property(fc.array(call, { maxLength: 12 }), fc.boolean(), fc.option(fc.constantFrom('a', 'b'), { nil: null }), (calls, requireTests, blockedForEdit) => {
        expect(gateDecision(calls, { stopHookActive: true, requireTests, blockedForEdit }).block).toBe(false);
        const d = gateDecision(calls, { stopHookActive: false, requireTests, blockedForEdit });
        const edits = calls.filter((c) => c.event === 'PostToolUse' && ['Edit', 'Write'].includes(c.tool_name));
        if (edits.length === 0) expect(d.block).toBe(false);
        if (d.block) {
          expect(d.edit).toBe(edits.at(-1)?.tool_use_id);
          if (d.edit !== null) expect(d.edit).not.toBe(blockedForEdit);
        }
      }),
      { numRuns: 300 },
    );
  });
});

// ---- the Stop hook ------------------------------------------------------------------------

const temps: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-gate-'));
  temps.push(d);
  return d;
}
afterAll(() => {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const SESSION = 'cccc1111-2222-4333-8444-555566667777';
const GATE = hookEntries(REPO_ROOT, 'node', { gate: true }).find((e) => e.event === 'Stop' && e.command.includes('agentops-gate.mjs'))!.command;

/** Transcript lines in Claude Code's format (see test/fixtures/transcripts/). */
class Transcript {
  private lines: string[] = [];
  private n = 0;
  constructor(private readonly cwd: string) {}

  private line(type: 'user' | 'assistant', message: unknown, extra: Record<string, unknown> = {}): this {
    this.n++;
    const ts = new Date(Date.UTC(2026, 2, 2, 10, 0, this.n)).toISOString();
    this.lines.push(
      JSON.stringify({
        parentUuid: null,
        isSidechain: false,
        userType: 'external',
        cwd: this.cwd,
        sessionId: SESSION,
        version: '2.1.90',
        type,
        message,
        uuid: `u-${this.n}`,
        timestamp: ts,
        ...extra,
      }),
    );
    return this;
  }

  prompt(text: string): this {
    return this.line('user', { role: 'user', content: text });
  }

  call(id: string, name: string, input: Record<string, unknown>, extra: Record<string, unknown> = {}): this {
    return this.line('assistant', { id: `msg_${id}`, type: 'message', role: 'assistant', model: 'claude-opus-4-5', content: [{ type: 'tool_use', id, name, input }] }, extra);
  }

  result(id: string, content: string, toolUseResult: unknown, isError = false, extra: Record<string, unknown> = {}): this {
    return this.line('user', { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content, is_error: isError }] }, { toolUseResult, ...extra });
  }

  edit(id: string, file = 'src/parser.ts', extra: Record<string, unknown> = {}): this {
    const input = { file_path: path.join(this.cwd, file), old_string: 'a', new_string: 'b' };
    return this.call(id, 'Edit', input, extra).result(id, `The file ${input.file_path} has been updated.`, { filePath: input.file_path, oldString: 'a', newString: 'b' }, false, extra);
  }

  test(id: string, command: string, passed: boolean): this {
    this.call(id, 'Bash', { command, description: 'Run the tests' });
    if (passed) return this.result(id, PASS, { stdout: PASS, stderr: '', interrupted: false, isImage: false });
    return this.result(id, `Exit code 1\n${FAIL}`, `Error: Exit code 1\n${FAIL}`, true);
  }

  write(): string {
    const file = path.join(tempDir(), `${SESSION}.jsonl`);
    fs.writeFileSync(file, `${this.lines.join('\n')}\n`);
    return file;
  }
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runGate(home: string, payload: string, projectDir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', GATE], {
      cwd: projectDir,
      env: { PATH: process.env.PATH, HOME: projectDir, AGENTOPS_META_HOME: home, CLAUDE_PROJECT_DIR: projectDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(payload);
  });
}

const stopPayload = (transcript: string, stopHookActive = false) =>
  JSON.stringify({ session_id: SESSION, transcript_path: transcript, cwd: '/x', permission_mode: 'default', hook_event_name: 'Stop', stop_hook_active: stopHookActive });

function setup(config: unknown = { gate: { stop: true } }): { home: string; project: string } {
  const home = tempDir();
  const project = tempDir();
  if (config !== null) fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify(config));
  return { home, project };
}

function silent(run: Run): void {
  expect(run.code).toBe(0);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe('');
}

async function blocks(home: string, transcript: string, project: string): Promise<boolean> {
  const run = await runGate(home, stopPayload(transcript), project);
  expect(run.code).toBe(0);
  return run.stdout !== '' && (JSON.parse(run.stdout) as { decision?: string }).decision === 'block';
}

const editedAfterGreen = (project: string) => new Transcript(project).prompt('fix the parser').edit('toolu_E1').test('toolu_T1', 'npm test', true).edit('toolu_E2', 'src/lexer.ts');

describe('agentops-gate.mjs (Stop)', () => {
  it('blocks a stop after an edit that followed the last green run, once, naming the test command', async () => {
    const { home, project } = setup();
    const transcript = editedAfterGreen(project).write();
    const run = await runGate(home, stopPayload(transcript), project);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.endsWith('\n')).toBe(true);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['decision', 'reason']);
    expect(out.decision).toBe('block');
    expect(out.reason).toContain('Files were edited after the last test run');
    expect(out.reason).toContain('`npm test`');
    expect(fs.readFileSync(path.join(home, 'context', 'sessions', `${SESSION}.gate`), 'utf8')).toBe('toolu_E2\n');

    // the next Stop for the same edits lets Claude finish, even without stop_hook_active
    silent(await runGate(home, stopPayload(transcript), project));
  });

  it('never blocks when stop_hook_active is set', async () => {
    const { home, project } = setup();
    const transcript = editedAfterGreen(project).write();
    silent(await runGate(home, stopPayload(transcript, true), project));
    expect(fs.existsSync(path.join(home, 'context'))).toBe(false);
    // control: the same stop without the flag is blocked
    expect(await blocks(home, transcript, project)).toBe(true);
  });

  it('allows a stop when the tests passed after the last edit', async () => {
    const { home, project } = setup();
    const before = new Transcript(project).edit('toolu_E1').test('toolu_T1', 'npm test', false).edit('toolu_E2');
    silent(await runGate(home, stopPayload(before.test('toolu_T2', 'npm test', true).write()), project));
    // control: the same session stopped before that last run is blocked
    const cut = new Transcript(project).edit('toolu_E1').test('toolu_T1', 'npm test', false).edit('toolu_E2').write();
    expect(await blocks(setup().home, cut, project)).toBe(true);
  });

  it('blocks when the last test run failed', async () => {
    const { home, project } = setup();
    const transcript = new Transcript(project).edit('toolu_E1').test('toolu_T1', 'npx vitest run', false).write();
    const out = JSON.parse((await runGate(home, stopPayload(transcript), project)).stdout) as { decision: string; reason: string };
    expect(out.decision).toBe('block');
    expect(out.reason).toMatch(/^The last test run failed\. Run `npx vitest run` again/);
  });

  it("ignores a subagent's edits: they are its own business", async () => {
    const { home, project } = setup();
    const transcript = new Transcript(project)
      .edit('toolu_E1')
      .test('toolu_T1', 'npm test', true)
      .edit('toolu_S1', 'src/other.ts', { isSidechain: true, agentId: 'a1' })
      .write();
    silent(await runGate(home, stopPayload(transcript), project));
    // control: the same edit on the main thread is blocked
    const main = new Transcript(project).edit('toolu_E1').test('toolu_T1', 'npm test', true).edit('toolu_S1', 'src/other.ts').write();
    expect(await blocks(setup().home, main, project)).toBe(true);
  });

  it('does nothing when the gate is off: no config, gate.stop false, or the project turns it off', async () => {
    const none = setup(null);
    const transcript = editedAfterGreen(none.project).write();
    silent(await runGate(none.home, stopPayload(transcript), none.project));
    const off = setup({ gate: { stop: false } });
    silent(await runGate(off.home, stopPayload(editedAfterGreen(off.project).write()), off.project));
    // project settings (.claude/agentops-meta.json) override the user's
    const overridden = setup();
    fs.mkdirSync(path.join(overridden.project, '.claude'));
    fs.writeFileSync(path.join(overridden.project, '.claude', 'agentops-meta.json'), JSON.stringify({ gate: { stop: false } }));
    silent(await runGate(overridden.home, stopPayload(editedAfterGreen(overridden.project).write()), overridden.project));
    // control: the first case with the gate turned on in the user's config
    fs.writeFileSync(path.join(none.home, 'config.json'), JSON.stringify({ gate: { stop: true } }));
    expect(await blocks(none.home, transcript, none.project)).toBe(true);
  });

  it('can be turned on by the project alone, with require_tests', async () => {
    const { home, project } = setup(null);
    fs.mkdirSync(path.join(project, '.claude'));
    fs.writeFileSync(path.join(project, '.claude', 'agentops-meta.json'), JSON.stringify({ gate: { stop: true, require_tests: true } }));
    const transcript = new Transcript(project).prompt('rename a variable').edit('toolu_E1').write();
    const out = JSON.parse((await runGate(home, stopPayload(transcript), project)).stdout) as { decision: string; reason: string };
    expect(out.decision).toBe('block');
    expect(out.reason).toContain('no tests were run');
  });

  it('exits 0 silently on a missing transcript, bad JSON or an unusable session id', async () => {
    const { home, project } = setup();
    silent(await runGate(home, stopPayload(path.join(project, 'missing.jsonl')), project));
    silent(await runGate(home, '{"session_id": ', project));
    const transcript = editedAfterGreen(project).write();
    silent(await runGate(home, stopPayload(transcript).replace(SESSION, '../../x'), project));
  });
});
