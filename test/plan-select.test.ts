// Prompt relevance (BM25 over the prompts of the sessions a pattern occurred in) and the choice of
// advice for one prompt; plus the context bundle the hooks read.
import { describe, expect, it } from 'vitest';
import type { SessionTrace } from '../src/core/types.js';
import type { LearnResult, ParallelPattern, SequentialPattern, Support } from '../src/learn/types.js';
import { laterEvidence, prospectiveKey, type LaterEvidence } from '../src/learn/prospective.js';
import { adviceFromLearn, adviceId } from '../src/plan/advice.js';
import { buildBm25, scoreBm25, tokenize } from '../src/plan/bm25.js';
import { buildContextBundle, projectSlug, type ContextInput, type PromptContext } from '../src/plan/context-bundle.js';
import { renderAdvice } from '../src/plan/render.js';
import { selectForPrompt } from '../src/plan/select.js';
import { trace } from './learn-helpers.js';

const NO_SUPPORT: Support = { sessions: 0, known: 0, passed: 0, passed_final: 0, w_sessions: 0, w_known: 0, w_passed: 0, w_passed_final: 0 };

function pattern(steps: string[], sessions: number, pass_rate: number, baseline: number): SequentialPattern {
  return {
    steps,
    max_gap: 1,
    sessions,
    known: sessions,
    passed: Math.round(sessions * pass_rate),
    pass_rate,
    pass_lower: null,
    pass_upper: null,
    baseline,
    uplift: pass_rate - baseline,
    bound: null,
    p_value: null,
    score: pass_rate - baseline,
    first_seen: 0,
    last_seen: 0,
    support_weighted: sessions,
    error_rate: 0,
    interrupted_sessions: 0,
    stop_failure_sessions: 0,
  };
}

function learnResult(parts: { sequential?: SequentialPattern[]; parallel?: ParallelPattern[]; anti?: SequentialPattern[] }): LearnResult {
  return {
    sequential: parts.sequential ?? [],
    parallel: parts.parallel ?? [],
    anti: parts.anti ?? [],
    evidence: { version: 1, as_of: 0, half_life_days: 30, window: 5, totals: NO_SUPPORT, events: 0, activities: {}, pairs: {} },
    stats: {
      sessions: 0,
      events: 0,
      known_sessions: 0,
      baseline_pass_rate: null,
      truncated: false,
      min_support_used: 0,
      max_len_used: 0,
      patterns_explored: 0,
      activities: 0,
      tested: 0,
    },
  };
}

describe('tokenize', () => {
  it('lower-cases, drops stop words and 1-letter words, strips a plural s', () => {
    expect(tokenize('Fix the flaky Tests, please! A bug in class Bus')).toEqual(['fix', 'flaky', 'test', 'bug', 'class', 'bus']);
    expect(tokenize('npm-run build_all v2 x')).toEqual(['npm-run', 'build_all', 'v2']);
    expect(tokenize('docs')).toEqual(['docs']); // 4 letters: too short to be a plural we strip
  });
});

describe('BM25', () => {
  const index = buildBm25([
    { id: 'd1', text: 'test test flaky' },
    { id: 'd2', text: 'docs readme' },
  ]);

  it('builds document frequencies and lengths', () => {
    expect(index.avg_len).toBe(2.5);
    expect(index.df).toEqual({ test: 1, flaky: 1, docs: 1, readme: 1 });
    expect(index.docs).toEqual([
      { id: 'd1', len: 3, tf: { test: 2, flaky: 1 } },
      { id: 'd2', len: 2, tf: { docs: 1, readme: 1 } },
    ]);
  });

  it('scores by hand: idf ln(1 + (N-df+.5)/(df+.5)), tf saturation k1 1.2, length norm b .75', () => {
    // "flaky" in d1: idf = ln(1 + 1.5/1.5) = ln 2; tf part = 1·2.2 / (1 + 1.2·(0.25 + 0.75·3/2.5)) = 2.2/2.38
    const [flaky] = scoreBm25(index, 'Flaky?');
    expect(flaky?.id).toBe('d1');
    expect(flaky?.score).toBeCloseTo((Math.LN2 * 2.2) / 2.38, 12);
    // "tests" tokenizes to "test" (tf 2): 2·2.2 / (2 + 1.38); a word repeated in the query counts once
    expect(scoreBm25(index, 'tests test TEST')[0]?.score).toBeCloseTo((Math.LN2 * 4.4) / 3.38, 12);
    // both terms add up
    expect(scoreBm25(index, 'flaky tests')[0]?.score).toBeCloseTo(Math.LN2 * (2.2 / 2.38 + 4.4 / 3.38), 12);
  });

  it('returns only documents that share a term, best first', () => {
    expect(scoreBm25(index, 'the release notes')).toEqual([]);
    expect(scoreBm25(index, 'readme').map((s) => s.id)).toEqual(['d2']);
  });

  it('keeps only each document\'s most frequent terms', () => {
    const small = buildBm25([{ id: 'd', text: 'alpha alpha alpha beta beta gamma' }], 2);
    expect(small.docs[0]?.tf).toEqual({ alpha: 3, beta: 2 });
    expect(scoreBm25(small, 'gamma')).toEqual([]);
  });
});

// Two good patterns: one from sessions about tests, one from sessions about docs.
const TESTS_PATTERN = ['Read', 'Edit', 'Bash:test'];
const DOCS_PATTERN = ['Glob', 'Write'];
const testsId = adviceId('sequence', TESTS_PATTERN);
const docsId = adviceId('sequence', DOCS_PATTERN);

function traces(): SessionTrace[] {
  const t = (id: string, entries: string[], prompts: string[]) => trace(id, entries, 1_000_000, { prompts });
  return [
    t('t1', ['Read', 'Edit', 'pass'], ['The parser test is flaky, fix it', 'run the tests again']),
    t('t2', ['Grep', 'Read', 'Edit', 'pass'], ['flaky test in CI: make the timing test deterministic']),
    t('t3', ['Read', 'Edit', 'fail'], ['add a unit test for the tokenizer']),
    t('d1', ['Glob', 'Write'], ['update the docs and the README']),
    t('d2', ['Glob', 'Write', 'Read'], ['write docs for the public API, with one example test']),
    t('x1', ['Read', 'Grep'], ['unrelated: bump the version']),
  ];
}

function input(overrides: Partial<ContextInput> = {}): ContextInput {
  return {
    global: learnResult({ sequential: [pattern(TESTS_PATTERN, 3, 0.67, 0.5), pattern(DOCS_PATTERN, 2, 1, 0.5)] }),
    projects: new Map(),
    subagents: new Map(),
    traces: traces(),
    budget_chars: 1500,
    top: 3,
    min_relevance: 0,
    holdout_share: 0.1,
    max_gap: 1,
    ...overrides,
  };
}

describe('selectForPrompt over a bundle built from sessions', () => {
  const prompt = buildContextBundle(input()).prompt;
  const advice = (id: string) => prompt.advice[id]!;
  const withPrompt = (o: Partial<PromptContext>): PromptContext => ({ ...prompt, ...o });

  it('indexes each pattern by the prompts of the sessions that contain it', () => {
    const tf = (id: string) => prompt.index.docs.find((d) => d.id === id)?.tf ?? {};
    // t1, t2, t3 contain Read → Edit → Bash:test; d1, d2 contain Glob → Write
    expect(tf(testsId)).toMatchObject({ flaky: 2, test: 5, tokenizer: 1 });
    expect(tf(testsId).docs).toBeUndefined();
    expect(tf(docsId)).toMatchObject({ docs: 2, readme: 1, test: 1 });
    expect(tf(docsId).flaky).toBeUndefined();
  });

  it('ranks the advice whose sessions talked about tests above the one about docs', () => {
    const scores = scoreBm25(prompt.index, 'this flaky test fails one run in ten');
    expect(scores.map((s) => s.id)).toEqual([testsId, docsId]);
    expect(scores[0]!.score).toBeGreaterThan(scores[1]!.score);
    const r = selectForPrompt(prompt, 'this flaky test fails one run in ten', new Set());
    expect(r.ids).toEqual([testsId, docsId]);
    expect(r).toEqual(renderAdvice([advice(testsId), advice(docsId)], prompt.budget_chars, 'all your projects'));
    // learned from every project's sessions, and said so
    expect(r.text).toContain('from all your projects');
    expect(r.text).not.toContain('in this project');
    expect(r.text).toContain('- Read → Edit → Bash:test: seen in 3 sessions, tests passed 67% vs 50% baseline');
  });

  it('and only the docs advice for a prompt about docs', () => {
    expect(selectForPrompt(prompt, 'Please update the README docs', new Set()).ids).toEqual([docsId]);
  });

  it('respects the relevance threshold (score >= min_relevance)', () => {
    const scores = scoreBm25(prompt.index, 'flaky test');
    const docsScore = scores.find((s) => s.id === docsId)!.score;
    const testsScore = scores.find((s) => s.id === testsId)!.score;
    expect(selectForPrompt(withPrompt({ min_relevance: docsScore }), 'flaky test', new Set()).ids).toEqual([testsId, docsId]);
    expect(selectForPrompt(withPrompt({ min_relevance: docsScore + 1e-9 }), 'flaky test', new Set()).ids).toEqual([testsId]);
    expect(selectForPrompt(withPrompt({ min_relevance: testsScore + 1e-9 }), 'flaky test', new Set())).toEqual({ text: '', ids: [] });
  });

  it('does not repeat advice already injected in this session', () => {
    expect(selectForPrompt(prompt, 'flaky test', new Set([testsId])).ids).toEqual([docsId]);
    expect(selectForPrompt(prompt, 'flaky test', new Set([testsId, docsId]))).toEqual({ text: '', ids: [] });
  });

  it('takes at most `top` items, the best ones', () => {
    expect(selectForPrompt(withPrompt({ top: 1 }), 'flaky test', new Set()).ids).toEqual([testsId]);
    // the limit applies after dropping what was injected: the next best moves up
    expect(selectForPrompt(withPrompt({ top: 1 }), 'flaky test', new Set([testsId])).ids).toEqual([docsId]);
  });

  it('says nothing for a prompt unrelated to any session, and skips index entries without advice', () => {
    expect(selectForPrompt(prompt, 'bump the version', new Set())).toEqual({ text: '', ids: [] });
    const stale = withPrompt({ advice: { [docsId]: advice(docsId) } });
    expect(selectForPrompt(stale, 'flaky test', new Set()).ids).toEqual([docsId]);
  });

  it('cuts to the budget', () => {
    expect(selectForPrompt(withPrompt({ budget_chars: 200 }), 'flaky test', new Set())).toEqual({ text: '', ids: [] });
  });
});

describe('buildContextBundle', () => {
  it('renders session-start advice per project slug (only projects with advice) and per subagent', () => {
    const project = learnResult({ sequential: [pattern(['Grep', 'Read'], 4, 0.75, 0.5)] });
    const bundle = buildContextBundle(
      input({
        projects: new Map([
          ['/home/dev/my proj', project],
          ['/home/dev/empty', learnResult({})],
        ]),
        subagents: new Map([
          ['code-reviewer', learnResult({ anti: [pattern(['Edit', 'Write'], 3, 0.1, 0.6)] })],
          ['Explore', learnResult({})],
        ]),
        holdout_share: 0.15,
      }),
    );
    expect(Object.keys(bundle.session_start).sort()).toEqual(['-home-dev-my-proj', 'global']);
    expect(bundle.session_start['-home-dev-my-proj']).toEqual(renderAdvice(adviceFromLearn(project, { top: 3 }), 1500));
    expect(bundle.session_start.global?.ids).toEqual([testsId, docsId]);
    expect(Object.keys(bundle.subagents)).toEqual(['code-reviewer']);
    expect(bundle.subagents['code-reviewer']?.text).toContain('Avoid (went with failing tests):\n- Edit → Write: seen in 3 sessions, tests passed 10% vs 60% baseline');
    expect(bundle.holdout_percent).toBe(15);
  });

  it("counts a session for a pattern only when the steps occur within the pattern's own max_gap", () => {
    const gapped = trace('g1', ['Read', 'Grep', 'Edit', 'pass'], 1_000_000, { prompts: ['refactoring the lexer'] });
    const tf = (maxGap: number) =>
      buildContextBundle(
        input({
          traces: [...traces(), gapped],
          // the config's max_gap does not matter: each pattern is matched the way its evidence was counted
          max_gap: 5,
          global: learnResult({ sequential: [{ ...pattern(TESTS_PATTERN, 3, 0.67, 0.5), max_gap: maxGap }, pattern(DOCS_PATTERN, 2, 1, 0.5)] }),
        }),
      ).prompt.index.docs.find((d) => d.id === testsId)?.tf ?? {};
    expect(tf(1).refactoring).toBeUndefined();
    expect(tf(2).refactoring).toBe(1);
  });

  it('leaves demoted advice out everywhere', () => {
    const bundle = buildContextBundle(input({ demoted: new Set([testsId]) }));
    expect(bundle.session_start.global?.ids).toEqual([docsId]);
    expect(Object.keys(bundle.prompt.advice)).toEqual([docsId]);
    expect(bundle.prompt.index.docs.map((d) => d.id)).toEqual([docsId]);
  });

  it('leaves out patterns later sessions retired, in every scope, and marks the ones they validated', () => {
    // later sessions: Read → Edit → Bash:test passes in 2 of 12, the others in 11 of 12 (retired); Glob → Write validated
    const retired = laterEvidence(
      [...Array.from({ length: 12 }, (_, i) => trace(`r${i}`, ['Read', 'Edit', i < 2 ? 'pass' : 'fail'], 2_000_000 + i)),
        ...Array.from({ length: 12 }, (_, i) => trace(`o${i}`, ['Grep', i < 11 ? 'pass' : 'fail'], 2_000_000 + i))],
      { steps: ['Read', 'Edit'], max_gap: 1 }, 'good', 1_500_000);
    expect(retired.state).toBe('retired');
    const validated: LaterEvidence = { ...retired, state: 'validated', with: 30, without: 11 };
    const later = new Map([[prospectiveKey('good', TESTS_PATTERN), retired], [prospectiveKey('good', DOCS_PATTERN), validated]]);
    const scoped = learnResult({ sequential: [pattern(TESTS_PATTERN, 3, 0.67, 0.5)], anti: [pattern(DOCS_PATTERN, 3, 0.1, 0.6)] });
    const bundle = buildContextBundle(
      input({
        projects: new Map([['/home/dev/p', scoped]]),
        subagents: new Map([['Explore', scoped]]),
        // the project's and the subagent's own later sessions: there, only the good pattern is retired
        later: { global: later, projects: new Map([['/home/dev/p', later]]), subagents: new Map([['Explore', later]]) },
      }),
    );
    expect(bundle.session_start.global?.ids).toEqual([docsId]);
    expect(bundle.session_start.global?.text).toContain('- Glob → Write: seen in 2 sessions, tests passed 100% vs 50% baseline; validated on 41 later sessions');
    expect(Object.keys(bundle.prompt.advice)).toEqual([docsId]);
    expect(bundle.prompt.advice[docsId]?.later).toEqual({ state: 'validated', sessions: 41 });
    expect(bundle.prompt.index.docs.map((d) => d.id)).toEqual([docsId]);
    // the anti-pattern with the same steps as a validated good pattern is another identity: still advised
    const avoidDocs = adviceId('avoid', DOCS_PATTERN);
    expect(bundle.session_start['-home-dev-p']?.ids).toEqual([avoidDocs]);
    expect(bundle.subagents.Explore?.ids).toEqual([avoidDocs]);
    // without later evidence for a scope, nothing is left out there
    const unscoped = buildContextBundle(input({ projects: new Map([['/home/dev/p', scoped]]), later: { global: later } }));
    expect(unscoped.session_start['-home-dev-p']?.ids).toEqual([testsId, avoidDocs]);
  });

  it('projectSlug turns every character but ASCII letters and digits into "-"', () => {
    expect(projectSlug('/home/dev/my_proj.v2')).toBe('-home-dev-my-proj-v2');
    expect(projectSlug('C:\\src\\app')).toBe('C--src-app');
  });
});
