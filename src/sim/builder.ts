// Builds the simulated tool calls (inputs, responses, durations, failures) of one session. Pure.
import { Rng } from './rng.js';
import { ACT, DOCS, EDITS, ERRORS, GLOBS, NOISE, QUERIES, SEARCHES, URLS, simTestRun, type Project } from './fixtures.js';
import type { AgentPlan, CallSpec } from './model.js';
import type { PlantedOptions } from './options.js';

// ---- call builders -------------------------------------------------------------------------

/**
 * Inputs and responses that depend only on (project, file, pattern, ...) are built once and shared
 * by every call and payload that uses them: at 10^6 events, rebuilding them made the garbage
 * collector the main cost. They are frozen, so a consumer that mutates a payload fails loudly
 * instead of silently changing other payloads. `make` must not use the PRNG (a cache hit would
 * skip its draws and change every later session).
 */
interface SharedNode {
  value: object | undefined;
  next: Map<unknown, SharedNode>;
}
const SHARED: SharedNode = { value: undefined, next: new Map() };
/** Memo keyed by a path of existing strings/objects (nested Maps: no key strings to build or hash). */
function shared<T extends object>(make: () => T, ...path: unknown[]): T {
  let node = SHARED;
  for (const k of path) {
    let child = node.next.get(k);
    if (child === undefined) node.next.set(k, (child = { value: undefined, next: new Map() }));
    node = child;
  }
  if (node.value === undefined) node.value = deepFreeze(make());
  return node.value as T;
}
function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v as object);
  return Object.freeze(o);
}

export class Builder {
  constructor(
    private readonly rng: Rng,
    private readonly proj: Project,
    private readonly planted: PlantedOptions,
  ) {}

  private abs(file: string): string {
    return `${this.proj.cwd}/${file}`;
  }

  file(): string {
    return this.rng.pick(this.proj.files);
  }

  private ok(tool_name: string, activity: string, input: Record<string, unknown>, lo: number, hi: number,
    response: CallSpec['response']): CallSpec {
    return { tool_name, activity, input, duration: this.rng.range(lo, hi), outcome: 'ok', response, error: null, test: null };
  }

  read(file: string): CallSpec {
    const input = shared(() => ({ file_path: this.abs(file) }), 'read-in', this.proj, file);
    const response = shared(() => ({
      type: 'text',
      file: { filePath: this.abs(file), content: `// ${file}\nexport function main() {\n  return 0;\n}\n`, numLines: 4, startLine: 1, totalLines: 4 },
    }), 'read-out', this.proj, file);
    return this.ok('Read', ACT.read, input, 4, 60, response);
  }

  edit(file: string): CallSpec {
    const e = this.rng.int(EDITS.length);
    const [oldString, newString] = EDITS[e] as [string, string];
    const input = shared(() => ({ file_path: this.abs(file), old_string: oldString, new_string: newString, replace_all: false }),
      'edit-in', this.proj, file, e);
    if (this.rng.chance(this.planted.edit_error_rate)) {
      return {
        tool_name: 'Edit', activity: ACT.edit, input, duration: this.rng.range(3, 20), outcome: 'error', response: null,
        error: `<tool_use_error>String to replace not found in file.\nString: ${oldString}</tool_use_error>`, test: null,
      };
    }
    return this.ok('Edit', ACT.edit, input, 15, 120, shared(() => ({
      filePath: this.abs(file), oldString, newString, originalFile: `${oldString}\n`,
      structuredPatch: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: [`-${oldString}`, `+${newString}`] }],
      userModified: false, replaceAll: false,
    }), 'edit-out', this.proj, file, e));
  }

  write(file: string): CallSpec {
    const content = (): string =>
      `import { describe, it, expect } from 'vitest';\n\ndescribe('${file}', () => {\n  it('works', () => expect(1).toBe(1));\n});\n`;
    const input = shared(() => ({ file_path: this.abs(file), content: content() }), 'write-in', this.proj, file);
    return this.ok('Write', ACT.write, input, 10, 80, shared(() => ({
      type: 'create', filePath: this.abs(file), content: content(), structuredPatch: [],
    }), 'write-out', this.proj, file));
  }

  grep(): CallSpec {
    const pattern = this.rng.pick(SEARCHES);
    const file = this.file();
    const input = shared(() => ({ pattern, output_mode: 'files_with_matches' }), 'grep-in', pattern);
    return this.ok('Grep', ACT.grep, input, 40, 600, shared(() => ({
      mode: 'files_with_matches', filenames: [this.abs(file)], numFiles: 1,
    }), 'grep-out', this.proj, file));
  }

  glob(): CallSpec {
    const pattern = this.rng.pick(GLOBS);
    const input = shared(() => ({ pattern }), 'glob-in', pattern);
    return this.ok('Glob', ACT.glob, input, 15, 250, shared(() => ({
      filenames: this.proj.files.map((f) => this.abs(f)), durationMs: 12, numFiles: this.proj.files.length, truncated: false,
    }), 'glob-out', this.proj));
  }

  webSearch(): CallSpec {
    return this.search(this.rng.pick(QUERIES));
  }

  /** A web search for an error message seen in the project. */
  searchError(): CallSpec {
    return this.search(this.rng.pick(ERRORS));
  }

  private search(query: string): CallSpec {
    return this.ok('WebSearch', ACT.webSearch, shared(() => ({ query }), 'ws-in', query), 900, 4500, shared(() => ({
      query, results: [{ tool_use_id: 'srvtoolu_01', content: [{ title: query, url: 'https://example.com/a' }] }],
      durationSeconds: 2.1,
    }), 'ws-out', query));
  }

  webFetch(): CallSpec {
    const url = this.rng.pick(URLS);
    return this.ok('WebFetch', ACT.webFetch, shared(() => ({ url, prompt: 'Summarise the relevant API' }), 'wf-in', url), 400, 3500,
      shared(() => ({ bytes: 48213, code: 200, codeText: 'OK', result: 'The page documents the API.', durationMs: 1200, url }), 'wf-out', url));
  }

  todo(): CallSpec {
    const newTodos = shared(() => [
      { content: 'Reproduce the failure', status: 'completed', activeForm: 'Reproducing the failure' },
      { content: 'Fix and run the tests', status: 'in_progress', activeForm: 'Fixing and running the tests' },
    ], 'todos');
    return this.ok('TodoWrite', ACT.todo, shared(() => ({ todos: newTodos }), 'todo-in'), 2, 12,
      shared(() => ({ oldTodos: [], newTodos }), 'todo-out'));
  }

  skill(): CallSpec {
    return this.ok('Skill', ACT.skill, shared(() => ({ skill: 'webapp-testing' }), 'skill-in'), 5, 60,
      shared(() => ({ success: true, commandName: 'webapp-testing' }), 'skill-out'));
  }

  mcp(): CallSpec {
    const title = 'Flaky test in CI';
    const input = shared(() => ({ owner: 'acme', repo: this.proj.name, title, body: 'Seen twice today.' }), 'mcp-in', this.proj);
    return this.ok('mcp__github__create_issue', ACT.mcp, input, 250, 1800,
      [{ type: 'text', text: `{"number":${this.rng.range(10, 999)},"title":"${title}","state":"open"}` }]);
  }

  private bash(activity: string, command: string, description: string, lo: number, hi: number, stdout: string): CallSpec {
    return this.ok('Bash', activity, shared(() => ({ command, description }), 'bash-in', command), lo, hi,
      shared(() => ({ stdout, stderr: '', interrupted: false, isImage: false }), 'bash-out', command));
  }

  git(): CallSpec {
    const cmd = this.rng.pick(['git status', 'git diff', 'git log --oneline -5']);
    return this.bash(ACT.git, cmd, 'Inspect the working tree', 20, 300, 'On branch main\nnothing to commit, working tree clean');
  }

  commit(): CallSpec {
    return this.bash(ACT.git, 'git commit -am "Fix failing case"', 'Commit the fix', 40, 400,
      '[main 3f2a91c] Fix failing case\n 1 file changed, 2 insertions(+), 1 deletion(-)');
  }

  build(): CallSpec {
    const spec = this.bash(ACT.build, 'npm run build', 'Build the project', 2500, 15000, '> build\n> tsc -p .\n');
    if (this.rng.chance(this.planted.interrupt_rate)) {
      return { ...spec, duration: this.rng.range(800, 4000), outcome: 'interrupted', response: null,
        error: '[Request interrupted by user for tool use]' };
    }
    return spec;
  }

  lint(): CallSpec {
    return this.bash(ACT.lint, 'npm run lint', 'Lint the sources', 1200, 6000, '> lint\n> eslint .\n');
  }

  typecheck(): CallSpec {
    return this.bash(ACT.typecheck, 'npx tsc --noEmit', 'Type-check', 1800, 9000, '');
  }

  /** A vitest run; `file` = one test file, null = the whole suite. Failure is a non-zero exit. */
  test(pass: boolean, file: string | null): CallSpec {
    const testFile = file === null ? null : file.replace(/^src\//, 'test/').replace(/\.tsx?$/, '.test.ts');
    const total = testFile === null ? this.proj.tests : this.rng.range(3, 9);
    const failed = pass ? 0 : this.rng.range(1, Math.min(3, total));
    const passedCount = total - failed;
    const files = testFile === null ? this.proj.files.length : 1;
    const command = testFile === null ? 'npx vitest run' : `npx vitest run ${testFile}`;
    const secs = (this.rng.range(400, 9000) / 1000).toFixed(2);
    const head = ` RUN  v4.1.12 ${this.proj.cwd}\n\n`;
    const summary = failed === 0
      ? ` Test Files  ${files} passed (${files})\n      Tests  ${passedCount} passed (${total})\n   Duration  ${secs}s\n`
      : ` Test Files  1 failed${files > 1 ? ` | ${files - 1} passed` : ''} (${files})\n      Tests  ${failed} failed | ${passedCount} passed (${total})\n   Duration  ${secs}s\n`;
    const [lo, hi] = testFile === null ? [2500, 18000] : [900, 4000];
    const test = simTestRun(passedCount, failed);
    const input = shared(() => ({ command, description: 'Run the tests' }), 'test-in', this.proj, file);
    const duration = this.rng.range(lo, hi);
    if (failed === 0) {
      const stdout = `${head} ✓ ${testFile ?? 'test/app.test.ts'} (${total} tests)\n\n${summary}`;
      return { tool_name: 'Bash', activity: ACT.test, input, duration, outcome: 'ok', error: null, test,
        response: { stdout, stderr: '', interrupted: false, isImage: false } };
    }
    const output = `${head} ❯ ${testFile ?? 'test/app.test.ts'} (${total} tests | ${failed} failed)\n   × handles the edge case\n     → expected 2 to be 3\n\n${summary}`;
    return { tool_name: 'Bash', activity: ACT.test, input, duration, outcome: 'error', response: null, error: `Exit code 1\n${output}`, test };
  }

  gitLog(): CallSpec {
    return this.bash(ACT.git, 'git log --oneline -20 -- src', 'Recent changes to the sources', 20, 300,
      '3f2a91c Fix failing case\n9b1e0d4 Add totals helper\n');
  }

  format(): CallSpec {
    return this.bash(ACT.format, 'npx prettier --write src', 'Format the sources', 800, 4000, 'src/index.ts 41ms\n');
  }

  /** A new documentation page. */
  writeDocs(): CallSpec {
    const file = this.rng.pick(DOCS);
    const content = `# ${file}\n\nHow it works, with an example.\n`;
    const input = shared(() => ({ file_path: this.abs(file), content }), 'docs-in', this.proj, file);
    return this.ok('Write', ACT.write, input, 10, 80, shared(() => ({
      type: 'create', filePath: this.abs(file), content, structuredPatch: [],
    }), 'docs-out', this.proj, file));
  }

  docsSkill(): CallSpec {
    return this.ok('Skill', ACT.docsSkill, shared(() => ({ skill: 'docs-writer' }), 'docs-skill-in'), 5, 60,
      shared(() => ({ success: true, commandName: 'docs-writer' }), 'docs-skill-out'));
  }

  /** A noise call, drawn with `weights` (one per NOISE activity, in its order). */
  noise(weights: readonly number[]): CallSpec {
    const activity = NOISE[this.rng.weighted(weights)] as string;
    switch (activity) {
      case ACT.grep: return this.grep();
      case ACT.glob: return this.glob();
      case ACT.webSearch: return this.webSearch();
      case ACT.webFetch: return this.webFetch();
      case ACT.todo: return this.todo();
      case ACT.git: return this.git();
      case ACT.build: return this.build();
      case ACT.skill: return this.skill();
      default: return this.mcp();
    }
  }

  agent(type: string, description: string, inner: CallSpec[]): AgentPlan {
    return { type, description, prompt: `${description}. Report what you find.`, inner, tokens: this.rng.range(4000, 60000) };
  }
}
