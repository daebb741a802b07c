// The pattern library renderers (pure): golden files, determinism, deltas, the abstractness guard,
// the meta-skill, and the team merge of machine evidence.
import { execFileSync } from 'node:child_process';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NotAbstractError, assertAbstract, findNotAbstract } from '../src/commit/abstract.js';
import { stableJson } from '../src/commit/format.js';
import { planLibraryWrite, renderLibrary, type LibraryInput } from '../src/commit/library.js';
import { histPercentile, renderSuccessRates } from '../src/commit/metrics-files.js';
import { readPatternState } from '../src/commit/pattern-state.js';
import { assignSlugs, slugOf } from '../src/commit/slugs.js';
import { COMMAND_PATH, SKILL_PATH, renderSkill, renderSkillFiles } from '../src/commit/skill.js';
import { combineMachineEvidence, readMachineEvidence } from '../src/commit/evidence-merge.js';
import { mergeEvidence } from '../src/learn/evidence.js';
import type { ActivityEvidence, Evidence, LearnResult, SequentialPattern, Support } from '../src/learn/types.js';
import { prospectiveKey, type LaterEvidence, type ProspectiveState } from '../src/learn/prospective.js';
import { newcombeInterval } from '../src/learn/rank.js';
import { commitLearning, readCommittedFiles } from '../src/commit/git-commit.js';
import { REPO_ROOT } from './helpers/paths.js';

// ---- a small hand-built LearnResult -------------------------------------------------------------

const DAY = 86_400_000;
const AS_OF = Date.UTC(2026, 0, 2); // 2026-01-02T00:00Z

function hist(buckets: Record<number, number>): number[] {
  return Array.from({ length: 32 }, (_, i) => buckets[i] ?? 0);
}

function sup(sessions: number, known: number, passed: number, w = 1): Support {
  return {
    sessions,
    known,
    passed,
    passed_final: passed,
    w_sessions: sessions * w,
    w_known: known * w,
    w_passed: passed * w,
    w_passed_final: passed * w,
  };
}

function act(count: number, support: Support, errors: number, duration: ActivityEvidence['duration']): ActivityEvidence {
  return { count, starts: 0, ends: 0, errors, interrupted: 0, refused: 0, support, duration };
}

const NO_DURATION = { count: 0, total_ms: 0, max_ms: 0, hist: hist({}) };

function evidence(): Evidence {
  return {
    version: 1,
    as_of: AS_OF,
    half_life_days: 14,
    window: 4,
    totals: sup(10, 9, 6, 0.75),
    events: 43,
    activities: {
      Read: act(20, sup(10, 9, 6, 0.75), 1, { count: 20, total_ms: 2000, max_ms: 400, hist: hist({ 0: 2, 5: 10, 7: 7, 9: 1 }) }),
      'Bash:test': act(10, sup(8, 8, 6, 0.75), 2, { count: 10, total_ms: 45000, max_ms: 9000, hist: hist({ 12: 4, 13: 5, 14: 1 }) }),
      Edit: act(12, sup(9, 8, 4, 0.75), 0, NO_DURATION),
      '/review': act(1, sup(1, 0, 0, 0.5), 0, { count: 1, total_ms: 5, max_ms: 5, hist: hist({ 3: 1 }) }),
    },
    pairs: {
      Read: { Edit: { df: 9, ef: 11, df_support: sup(7, 7, 6, 0.75), ef_support: sup(8, 8, 6, 0.75) } },
      Edit: { 'Bash:test': { df: 8, ef: 8, df_support: sup(7, 7, 6, 0.75), ef_support: null } },
    },
  };
}

function pattern(steps: string[], o: Partial<SequentialPattern>): SequentialPattern {
  return {
    steps,
    max_gap: 1,
    sessions: 5,
    known: 5,
    passed: 3,
    pass_rate: 0.6,
    pass_lower: 0.2,
    pass_upper: 0.9,
    baseline: 0.6,
    uplift: 0,
    bound: 0,
    score: 0,
    first_seen: Date.UTC(2025, 11, 1, 10),
    last_seen: Date.UTC(2026, 0, 1, 23, 59),
    support_weighted: 4,
    error_rate: 0,
    interrupted_sessions: 0,
    stop_failure_sessions: 0,
    p_value: null,
    ...o,
  };
}

const P_RET = pattern(['Read', 'Edit', 'Bash:test'], {
  sessions: 7, known: 7, passed: 6, pass_rate: 6 / 7, pass_lower: 0.4868, pass_upper: 0.9743,
  baseline: 0.5, uplift: 6 / 7 - 0.5, bound: 0.0512, score: 0.0512, support_weighted: 6.54321, error_rate: 0.0345,
});
const P_RB = pattern(['Read', 'Bash:test'], {
  sessions: 6, known: 6, passed: 5, pass_rate: 5 / 6, pass_lower: 0.4365, pass_upper: 0.9699, baseline: 0.6, uplift: 5 / 6 - 0.6, bound: 0.012, score: 0.012,
  first_seen: Date.UTC(2025, 11, 20), interrupted_sessions: 1,
});
const P_EEE = pattern(['Edit', 'Edit', 'Edit'], {
  sessions: 5, known: 5, passed: 1, pass_rate: 0.2, pass_lower: 0.0362, pass_upper: 0.6245, baseline: 0.8, uplift: -0.6, bound: -0.21, score: 0.21,
  stop_failure_sessions: 2,
});

function result(o: Partial<LearnResult> = {}): LearnResult {
  return {
    sequential: [P_RET, P_RB],
    anti: [P_EEE],
    parallel: [
      { members: ['Read', 'Grep'], kind: 'observed', sessions: 4, occurrences: 9, pass_rate: 0.75, baseline: 0.6, bound: null, saved_ms: 1234.4 },
    ],
    evidence: evidence(),
    stats: {
      sessions: 10,
      events: 43,
      known_sessions: 9,
      baseline_pass_rate: 6 / 9,
      tested: 3,
      truncated: false,
      min_support_used: 5,
      max_len_used: 4,
      patterns_explored: 37,
      activities: 4,
    },
    ...o,
  };
}

/** Later evidence: w later sessions with the pattern (pw passed), wo without (pwo passed), since `days` before AS_OF. */
function later(state: ProspectiveState, w: number, pw: number, wo: number, pwo: number, days: number): LaterEvidence {
  const ci = newcombeInterval(pw, w, pwo, wo);
  return {
    state, since_ms: AS_OF - days * DAY, with: w, without: wo, passed_with: pw, passed_without: pwo,
    pass_with: pw / w, pass_without: pwo / wo, uplift: pw / w - pwo / wo, lower: ci.lower, upper: ci.upper,
  };
}

// Read → Edit → Bash:test validated on 40 later sessions, Read → Bash:test pending, Edit^3 weakened.
const LATER = new Map([
  [prospectiveKey('good', P_RET.steps), later('validated', 20, 18, 20, 8, 10)],
  [prospectiveKey('good', P_RB.steps), later('pending', 3, 2, 5, 3, 4)],
  [prospectiveKey('anti', P_EEE.steps), later('weakened', 10, 6, 12, 6, 10)],
]);

const EVALUATION = {
  method: 'chronological holdout',
  holdout: { sessions: 3, next_activity_accuracy: 2 / 3 },
  tips: [{ key: 'Read > Edit > Bash:test', held: true }],
};

function input(o: Partial<LibraryInput> = {}): LibraryInput {
  return {
    result: result(),
    evaluation: EVALUATION,
    previous: null,
    date: '2026-01-02',
    later: LATER,
    machineId: 'laptop-1',
    options: { min_sessions: 5, min_known: 5, z: 1.959963984540054, miner: 'prefixspan', half_life_days: 14, window: 4 },
    ...o,
  };
}

function renderAll(i: LibraryInput): Map<string, string> {
  const files = new Map([...renderLibrary(i), ...renderSkillFiles({ result: i.result, later: i.later })]);
  for (const [p, c] of files) assertAbstract(c, p); // every rendered file, in every test that renders
  return files;
}

// ---- golden files -------------------------------------------------------------------------------

const GOLDEN = path.join(REPO_ROOT, 'test', 'golden', 'library');

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

describe('golden library (UPDATE_GOLDEN=1 rewrites test/golden/library)', () => {
  it('renders the hand-built result exactly as the reviewed golden files', async () => {
    const files = renderAll(input());
    if (process.env.UPDATE_GOLDEN === '1') {
      await fs.rm(GOLDEN, { recursive: true, force: true });
      for (const [p, c] of files) {
        await fs.mkdir(path.dirname(path.join(GOLDEN, p)), { recursive: true });
        await fs.writeFile(path.join(GOLDEN, p), c);
      }
    }
    expect(await listFiles(GOLDEN)).toEqual([...files.keys()].sort());
    for (const [p, c] of files) expect(c, p).toBe(await fs.readFile(path.join(GOLDEN, p), 'utf8'));
  });
});

// ---- numbers and structure ----------------------------------------------------------------------

describe('renderLibrary: content', () => {
  it('puts each pattern in the folder of its status, with a slug from its steps', () => {
    const files = renderAll(input());
    expect([...files.keys()].filter((p) => /^patterns\/(validated|discovered|anti)\//.test(p))).toEqual([
      'patterns/anti/edit-edit-edit.md',
      'patterns/discovered/read-bash-test.md',
      'patterns/validated/read-edit-bash-test.md',
    ]);
    const v = files.get('patterns/validated/read-edit-bash-test.md')!;
    // 6/7 = 0.857142… → 0.857; 6/7 − 0.5 = 0.357142… → +0.357
    expect(v).toContain('| pass rate (time-decayed) | 0.857 |');
    expect(v).toContain('| uplift | +0.357 |');
    expect(v).toContain('| lower 95% bound of the uplift | +0.051 |');
    expect(v).toContain('| 95% interval of the pass rate | 0.487 to 0.974 |');
    expect(v).toContain('| first seen | 2025-12-01 |');
    expect(v).toContain('| last seen | 2026-01-01 |');
    expect(files.get('patterns/anti/edit-edit-edit.md')).toContain('| upper 95% bound of the uplift | -0.210 |');
  });

  it('computes per-activity rates and duration percentiles from the evidence', () => {
    const files = renderAll(input());
    expect(files.get('metrics/success_rates.csv')).toBe(
      [
        'activity,count,sessions,known,passed,pass_rate,errors,error_rate',
        '/review,1,1,0,0,,0,0.000', // no known outcome → empty pass rate
        'Bash:test,10,8,8,6,0.750,2,0.200',
        'Edit,12,9,8,4,0.500,0,0.000',
        'Read,20,10,9,6,0.667,1,0.050',
        '',
      ].join('\n'),
    );
    // Bash:test: 4 in [2048,4096), 5 in [4096,8192), 1 in [8192,16384), max 9000.
    //   p50: rank 5 → 1/5 into [4096,8192) → 4915.2; p90: rank 9 → end of that bucket → 8192.
    // Read: 2 in [0,1), 10 in [16,32), 7 in [64,128), 1 in [256,512).
    //   p50: rank 10 → 8/10 into [16,32) → 28.8; p90: rank 18 → 6/7 into [64,128) → 118.86.
    // /review: one step of 5 ms in [4,8): interpolation would say 6 / 7.6, capped at the max 5.
    expect(files.get('metrics/durations.csv')).toBe(
      [
        'activity,count,mean_ms,p50_ms,p90_ms,max_ms',
        '/review,1,5,5,5,5',
        'Bash:test,10,4500,4915,8192,9000',
        'Edit,0,,,,',
        'Read,20,100,29,119,400',
        '',
      ].join('\n'),
    );
  });

  it('the metrics CSV files use the export\'s encoder: RFC 4180 quoting, the formula guard, LF line ends', () => {
    const ev = evidence();
    ev.activities['=SUM(A1)'] = act(1, sup(1, 0, 0), 0, NO_DURATION);
    ev.activities['mcp:a,"b"'] = act(2, sup(1, 1, 1), 0, NO_DURATION);
    expect(renderSuccessRates(ev).split('\n')).toEqual([
      'activity,count,sessions,known,passed,pass_rate,errors,error_rate',
      '/review,1,1,0,0,,0,0.000',
      "'=SUM(A1),1,1,0,0,,0,0.000",
      'Bash:test,10,8,8,6,0.750,2,0.200',
      'Edit,12,9,8,4,0.500,0,0.000',
      'Read,20,10,9,6,0.667,1,0.050',
      '"mcp:a,""b""",2,1,1,1,1.000,0,0.000',
      '',
    ]);
  });

  it('histPercentile handles empty and single-bucket histograms', () => {
    expect(histPercentile({ count: 0, total_ms: 0, max_ms: 0, hist: hist({}) }, 0.5)).toBeNull();
    expect(histPercentile({ count: 2, total_ms: 0, max_ms: 0.5, hist: hist({ 0: 2 }) }, 0.5)).toBe(0.5);
    expect(histPercentile({ count: 4, total_ms: 12, max_ms: 3.9, hist: hist({ 2: 4 }) }, 0.5)).toBe(3); // [2,4) halfway
  });

  it('writes eval.json only when an evaluation ran, and says so in meta/learning.md', () => {
    const withEval = renderAll(input());
    expect(JSON.parse(withEval.get('metrics/eval.json')!)).toEqual({
      holdout: { next_activity_accuracy: 0.666667, sessions: 3 },
      method: 'chronological holdout',
      tips: [{ held: true, key: 'Read > Edit > Bash:test' }],
    });
    expect(withEval.get('patterns/meta/learning.md')).toContain('| `holdout.next_activity_accuracy` | 0.667 |');
    expect(withEval.get('patterns/meta/learning.md')).toContain('This hold-out does not decide which patterns are validated');
    const without = renderAll(input({ evaluation: null }));
    expect(without.has('metrics/eval.json')).toBe(false);
    expect(without.get('patterns/meta/learning.md')).toContain('No evaluation ran with this learning run');
    expect(JSON.parse(without.get('metrics/dashboard.json')!).evaluation).toBe(false);
  });

  it('keeps the evidence additive and keyed by name, with sorted keys', () => {
    const files = renderAll(input());
    const text = files.get('metrics/evidence/laptop-1.json')!;
    const parsed = JSON.parse(text) as Evidence;
    expect(parsed).toEqual(evidence());
    expect(Object.keys(parsed.activities)).toEqual(['/review', 'Bash:test', 'Edit', 'Read']);
    // leaf objects (Support, hist) on one line
    expect(text).toContain('"totals": {"known": 9, "passed": 6, "passed_final": 6, "sessions": 10, "w_known": 6.75, ');
  });

  it('rejects bad dates and machine ids (they become file names)', () => {
    expect(() => renderLibrary(input({ date: '2026-1-2' }))).toThrow(/YYYY-MM-DD/);
    expect(() => renderLibrary(input({ machineId: '../x' }))).toThrow(/machineId/);
    expect(() => renderLibrary(input({ machineId: '' }))).toThrow(/machineId/);
  });
});

describe('slugs', () => {
  it('are stable, readable, and never collide', () => {
    expect(slugOf(['Read', 'Edit', 'Bash:test'])).toBe('read-edit-bash-test');
    expect(slugOf(['/review', 'Agent:my-plugin:reviewer', 'mcp:github'])).toBe('review-agent-my-plugin-reviewer-mcp-github');
    const long = Array.from({ length: 30 }, () => 'Agent:code-reviewer');
    expect(slugOf(long).length).toBeLessThanOrEqual(80);
    expect(slugOf(long)).toMatch(/^agent-code-reviewer-.*-[0-9a-f]{8}$/);
    const slugs = assignSlugs([['Bash:test'], ['bash-test'], ['Read']]);
    expect(slugs.get('Read')).toBe('read');
    expect(slugs.get('Bash:test')).toMatch(/^bash-test-[0-9a-f]{8}$/);
    expect(slugs.get('bash-test')).toMatch(/^bash-test-[0-9a-f]{8}$/);
    expect(slugs.get('Bash:test')).not.toBe(slugs.get('bash-test'));
  });
});

// ---- determinism --------------------------------------------------------------------------------

describe('determinism', () => {
  it('renders the same bytes for the same input, whatever the order of arrays and keys', () => {
    const a = renderAll(input());
    const b = renderAll(input());
    expect([...b]).toEqual([...a]);
    const ev = evidence();
    const shuffled: Evidence = { ...ev, activities: Object.fromEntries(Object.entries(ev.activities).reverse()) };
    const r = result({ sequential: [P_RB, P_RET], evidence: shuffled });
    const c = renderAll(input({ result: r }));
    expect([...c]).toEqual([...a]);
  });

  it('contains no run date except in the learned/ file, so an unchanged library renders identically on another day', () => {
    const day1 = renderLibrary(input());
    const day2 = renderLibrary(input({ date: '2026-01-03', previous: day1 }));
    expect(day2.has('patterns/learned/2026-01-03.md')).toBe(false); // nothing changed
    const plan = planLibraryWrite(day2, day1);
    for (const [p, c] of plan) expect(c, p).toBe(day1.get(p));
    for (const [p, c] of day2) if (!p.startsWith('patterns/learned/')) expect(c).not.toContain('2026-01-02');
  });
});

// ---- deltas -------------------------------------------------------------------------------------

describe('learned/<date>.md deltas', () => {
  const P_BB = pattern(['Bash:test', 'Bash:test'], { sessions: 6, pass_rate: 0.25, baseline: 0.75, uplift: -0.5, bound: -0.1, score: 0.1 });

  it('the first library lists every pattern as new', () => {
    const md = renderAll(input()).get('patterns/learned/2026-01-02.md')!;
    expect(md).toContain('## First library: every pattern is new');
    expect(md).toContain('### New (3)');
    expect(md).toContain('### Promoted (0)');
  });

  it('reports new, promoted, demoted and retired patterns with their numbers', () => {
    const day1 = renderLibrary(input());
    // day 2: Read>Bash:test now validated, Read>Edit>Bash:test weakened, Edit^3 gone, Bash:test^2 new anti
    const r2 = result({ sequential: [P_RET, { ...P_RB, bound: 0.03, score: 0.03 }], anti: [P_BB] });
    const later2 = new Map([
      [prospectiveKey('good', P_RET.steps), later('weakened', 25, 13, 25, 14, 10)],
      [prospectiveKey('good', P_RB.steps), later('validated', 20, 19, 22, 9, 4)],
    ]);
    const day2 = renderAll(input({ result: r2, date: '2026-01-03', previous: day1, later: later2 }));
    const md = day2.get('patterns/learned/2026-01-03.md')!;
    const section = (name: string) => md.split(`### ${name}`)[1]!.split('###')[0]!;
    expect(md).toContain('## Changes since the previous library');
    expect(section('New (1)')).toContain('| [Bash:test → Bash:test](../anti/bash-test-bash-test.md) | anti | 6 | 0.250 | 0.750 | -0.100 | pending |');
    expect(section('Promoted (1)')).toContain(
      '| [Read → Bash:test](../validated/read-bash-test.md) | discovered | validated | 6 | 0.833 | 0.600 | +0.012 | +0.030 |',
    );
    expect(section('Demoted (1)')).toContain(
      '| [Read → Edit → Bash:test](../discovered/read-edit-bash-test.md) | validated | discovered | 7 | 0.857 | 0.500 | +0.051 | +0.051 |',
    );
    expect(section('No longer reported (1)')).toContain('| Edit → Edit → Edit | anti | 5 | 0.200 | 0.800 | -0.210 |');
    // the state on later sessions changed for both good patterns, with the numbers since each was first reported
    const changed = section('Checked on later sessions (2)');
    expect(changed).toContain(
      '| [Read → Edit → Bash:test](../discovered/read-edit-bash-test.md) | validated | weakened: 50 sessions since 2025-12-23 do not show it | 25 / 25 | 0.520 | 0.560 | -0.040 (',
    );
    expect(changed).toContain('| [Read → Bash:test](../validated/read-bash-test.md) | pending | validated on 42 sessions since 2025-12-29 | 20 / 22 | 0.950 | 0.409 | +0.541 (');

    // files that moved or retired are deleted; the new ones written
    const plan = planLibraryWrite(day2, day1);
    expect([...plan].filter(([, c]) => c === null).map(([p]) => p)).toEqual([
      'patterns/anti/edit-edit-edit.md',
      'patterns/discovered/read-bash-test.md',
      'patterns/validated/read-edit-bash-test.md',
    ]);
    expect(plan.get('patterns/validated/read-bash-test.md')).toContain('Status: **validated**');
    expect(plan.get('patterns/discovered/read-edit-bash-test.md')).toContain('Status: **discovered**');
  });

  it('a pattern later sessions contradict is retired: shown with its numbers, listed as retired, left out of the skill', () => {
    const day1 = renderLibrary(input());
    const retired = new Map([...LATER, [prospectiveKey('good', P_RET.steps), later('retired', 15, 3, 15, 13, 10)]]);
    const day2 = renderAll(input({ date: '2026-01-03', previous: day1, later: retired }));
    const file = day2.get('patterns/discovered/read-edit-bash-test.md')!; // out of validated/
    expect(file).toContain('Status: **retired**: contradicted by 30 sessions recorded after it was first reported (2025-12-23); no longer advised.');
    expect(file).toContain('| 95% interval of the uplift | -0.');
    const md = day2.get('patterns/learned/2026-01-03.md')!;
    expect(md).toContain('| [Read → Edit → Bash:test](../discovered/read-edit-bash-test.md) | validated | retired: contradicted by 30 sessions since 2025-12-23 | 15 / 15 | 0.200 | 0.867 | -0.667 (');
    expect(md).toContain('Retired patterns are no longer advised.');
    expect(day2.get('patterns/README.md')).toContain('| retired | 2025-12-23 | 15 / 15 | -0.667 (');
    expect(JSON.parse(day2.get('metrics/dashboard.json')!).later_sessions).toEqual({ pending: 1, retired: 1, validated: 0, weakened: 1 });
    const skill = day2.get(SKILL_PATH)!;
    expect(skill).not.toContain('Read → Edit → Bash:test');
    expect(skill).toContain('1. **Read → Bash:test**'); // the remaining good pattern, as a candidate
  });

  it('reads a library written before later sessions were checked as all pending', () => {
    const v1 = JSON.stringify({ version: 1, patterns: [{ key: 'Read > Edit', status: 'validated', steps: ['Read', 'Edit'], sessions: 3 }] });
    expect(readPatternState(new Map([['metrics/patterns.json', v1]])).rows![0]).toMatchObject({ status: 'validated', state: 'pending', first_reported: 'n/a', later: { with: 0, without: 0, uplift: null } });
    const v2 = renderLibrary(input());
    expect(readPatternState(v2).rows!.map((r) => [r.key, r.state, r.first_reported, r.later.with])).toEqual([
      ['Read > Edit > Bash:test', 'validated', '2025-12-23', 20],
      ['Read > Bash:test', 'pending', '2025-12-29', 3],
      ['Edit > Edit > Edit', 'weakened', '2025-12-23', 10],
    ]);
  });

  it('a broken metrics/patterns.json is a reported error, never a crash: every pattern is new, and the day\'s file says why', () => {
    const day1 = renderLibrary(input());
    const notJson = new Map([...day1, ['metrics/patterns.json', '{"patterns": [']]);
    expect(readPatternState(notJson)).toEqual({ rows: null, error: 'metrics/patterns.json is not valid JSON' });
    const badShape = new Map([...day1, ['metrics/patterns.json', JSON.stringify({ version: 2, patterns: [{ key: 'Read', status: 'great', steps: ['Read'] }] })]]);
    expect(readPatternState(badShape).error).toMatch(/^metrics\/patterns\.json is not a pattern state \(patterns\.0\.status: /);
    expect(readPatternState(new Map([['metrics/patterns.json', '[]']])).error).toMatch(/\(top level: /);
    for (const previous of [notJson, badShape]) {
      const md = renderLibrary(input({ date: '2026-01-03', previous })).get('patterns/learned/2026-01-03.md')!;
      expect(md).toContain('## Changes since the previous library');
      expect(md).toContain('_The previous library could not be read (metrics/patterns.json is not ');
      expect(md).toContain('### New (3)');
    }
    expect(readPatternState(null)).toEqual({ rows: null, error: null });
  });

  it('a second run on the same day appends its changes to that day\'s file', () => {
    const day1 = renderLibrary(input());
    const run1 = renderLibrary(input({ date: '2026-01-03', previous: day1, later: new Map() }));
    const md1 = run1.get('patterns/learned/2026-01-03.md')!;
    expect(md1).toContain('### Demoted (1)');
    const head = new Map([...day1, ...run1]); // what HEAD holds after the first run's commit
    // rerun with nothing new: the day's file is not rewritten
    expect(renderLibrary(input({ date: '2026-01-03', previous: head, later: new Map() })).has('patterns/learned/2026-01-03.md')).toBe(false);
    // rerun with a change: appended as run 2, the first run's section kept verbatim
    const run2 = renderLibrary(input({ date: '2026-01-03', previous: head, later: new Map(), result: result({ anti: [] }) }));
    const md2 = run2.get('patterns/learned/2026-01-03.md')!;
    expect(md2.startsWith(md1.trimEnd())).toBe(true);
    expect(md2).toContain('## Changes since the previous library (run 2)');
    expect(md2.split('## Changes since the previous library (run 2)')[1]).toContain('### No longer reported (1)');
  });
});

// ---- abstractness -------------------------------------------------------------------------------

describe('assertAbstract', () => {
  it.each([
    ['a Linux home path', 'steps: Read /home/alice/project/src/app.ts'],
    ['a tmp path', '"cwd": "/tmp/build/x"'],
    ['a macOS path', 'in /Users/bob/code'],
    ['a Windows path', 'C:\\Users\\bob\\repo'],
    ['a home-relative path', 'see ~/notes/todo.md'],
    ['a URL', 'fetched https://example.com/api'],
    ['a redaction marker', 'Bearer [REDACTED:token]'],
    ['an Anthropic key', 'key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv'],
    ['a GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['an AWS key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig'],
    ['a private key', '-----BEGIN RSA PRIVATE KEY-----'],
    ['a password', 'password=hunter2hunter2'],
    ['an e-mail address', 'mail alice@example.com'],
    ['a high-entropy string', 'x Zk8mQ2vR7pL4nW9sT1yH6cB3fJ5dG0aXeU'],
  ])('rejects %s', (_kind, text) => {
    expect(findNotAbstract(text)).not.toBeNull();
    expect(() => assertAbstract(text, 'patterns/x.md')).toThrow(NotAbstractError);
  });

  it.each([
    '/review',
    '| `Agent:my-plugin:reviewer` | `mcp:github` | `Bash:test` |',
    '[Read → Edit](validated/read-edit.md) and ../metrics/ and patterns/learned/2026-01-02.md',
    '0.857 +0.051 -0.210 2026-01-01 1767312000000',
    'agentops-meta plan --prompt "<the task>"',
    'read-edit-bash-test-grep-glob-read-edit-bash-test-grep-glob-read-edit',
  ])('accepts abstract content: %s', (text) => {
    expect(findNotAbstract(text)).toBeNull();
  });

  it('never echoes the offending text', () => {
    try {
      assertAbstract('token sk-ant-api03-SECRETSECRETSECRETSECRET', 'metrics/eval.json');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toContain('metrics/eval.json');
      expect((err as Error).message).not.toContain('SECRET');
    }
  });

  it('renderLibrary refuses to render a planted path or secret', () => {
    expect(() => renderLibrary(input({ evaluation: { note: 'from /home/alice/log.txt' } }))).toThrow(NotAbstractError);
    const leaky = result({ sequential: [pattern(['Read', 'Bash:test sk-ant-api03-AAAAAAAAAAAAAAAAAAAA'], {})] });
    expect(() => renderLibrary(input({ result: leaky }))).toThrow(/looks like an API token/);
  });
});

// ---- the meta-skill -----------------------------------------------------------------------------

describe('meta-skill and /patterns command', () => {
  it('has the frontmatter Claude Code needs and the evidence inline', () => {
    const skill = renderSkill({ result: result(), later: LATER });
    const [, front, body] = skill.split(/^---$/m);
    expect(front).toMatch(/^\nname: agentops-meta\ndescription: .+\n$/);
    expect(front!.split('\n')[2]).not.toMatch(/description: .*: /); // plain YAML scalar stays valid
    expect(front).toMatch(/before planning a multi-step change/);
    expect(body).toContain('1. **Read → Edit → Bash:test**: tests passed 0.857 of the time after it, 0.500 without it (uplift at least +0.051, 7 sessions, last seen 2026-01-01).');
    expect(body).toContain('1. **Edit → Edit → Edit**: tests passed 0.200 of the time after it, 0.800 without it (uplift at most -0.210, 5 sessions');
    expect(body).not.toContain('Read → Bash:test**'); // discovered, not shown while a validated one exists
    expect(body).toContain('`agentops-meta patterns --top 10`');
    expect(body).toContain('`agentops-meta plan --prompt');
  });

  it('falls back to discovered candidates, marked as weaker, when nothing is validated', () => {
    const skill = renderSkill({ result: result() });
    expect(skill).toContain('None is validated by later sessions yet');
    expect(skill).toContain('1. **Read → Edit → Bash:test**');
    expect(skill).toContain('2. **Read → Bash:test**');
  });

  it('the command runs agentops-meta patterns with the arguments', () => {
    const files = renderSkillFiles({ result: result() });
    expect([...files.keys()]).toEqual([COMMAND_PATH, SKILL_PATH]);
    const cmd = files.get(COMMAND_PATH)!;
    expect(cmd).toMatch(/^---\ndescription: .+\nargument-hint: .+\nallowed-tools: Bash\(agentops-meta patterns:\*\)/);
    expect(cmd).toContain('`agentops-meta patterns $ARGUMENTS`');
  });
});

// ---- team merge ---------------------------------------------------------------------------------

describe('combineMachineEvidence', () => {
  const small = (asOf: number, w: number, events: number): Evidence => ({
    version: 1,
    as_of: asOf,
    half_life_days: 14,
    window: 4,
    totals: sup(2, 2, 1, w),
    events,
    activities: { Read: act(3, sup(2, 2, 1, w), 1, { count: 3, total_ms: 30, max_ms: 20, hist: hist({ 4: 2, 5: 1 }) }) },
    pairs: {},
  });

  it('sums the machines, decaying the older one to the later as_of', () => {
    const a = small(AS_OF, 2, 5);
    const b = small(AS_OF + 14 * DAY, 1, 7); // exactly one half-life later: a's weights halve
    const files = new Map([
      ['metrics/evidence/laptop.json', stableJson(a)],
      ['metrics/evidence/desktop.json', stableJson(b)],
      ['metrics/dashboard.json', '{}'],
    ]);
    const merged = combineMachineEvidence(files)!;
    expect(merged.as_of).toBe(AS_OF + 14 * DAY);
    expect(merged.events).toBe(12);
    expect(merged.totals.sessions).toBe(4);
    expect(merged.totals.w_sessions).toBeCloseTo(2 * 2 * 0.5 + 2 * 1, 9); // 2 sessions × w 2 halved + 2 × 1
    expect(merged.activities.Read!.count).toBe(6);
    expect(merged.activities.Read!.duration.hist[4]).toBe(4);
    expect(merged.activities.Read!.duration.max_ms).toBe(20);
    expect(merged).toEqual(mergeEvidence(b, a)); // the learner's own merge, whatever the file order
  });

  it('reports unusable files instead of failing, and returns null when none is usable', () => {
    const good = small(AS_OF, 1, 5);
    const files = new Map([
      ['metrics/evidence/a.json', stableJson(good)],
      ['metrics/evidence/b.json', stableJson(good)],
      ['metrics/evidence/broken.json', '{"version": 1,'],
      ['metrics/evidence/other-window.json', stableJson({ ...good, window: 8 })],
      ['metrics/evidence/wrong.json', stableJson({ version: 2 })],
    ]);
    const read = readMachineEvidence(files);
    expect(read.accepted.map((m) => m.machineId)).toEqual(['a', 'b']);
    expect(read.rejected.map((r) => r.path)).toEqual([
      'metrics/evidence/broken.json',
      'metrics/evidence/other-window.json',
      'metrics/evidence/wrong.json',
    ]);
    expect(read.rejected[1]!.reason).toMatch(/window\/half-life 8\/14 differs/);
    expect(combineMachineEvidence(files)!.events).toBe(10);
    expect(combineMachineEvidence(new Map([['metrics/evidence/broken.json', 'x']]))).toBeNull();
    expect(combineMachineEvidence(new Map())).toBeNull();
  });

  it('reads back exactly what renderLibrary wrote', () => {
    const files = renderLibrary(input());
    expect(combineMachineEvidence(files)).toEqual(evidence());
  });
});

// ---- end to end with git ------------------------------------------------------------------------

describe('library + learning commit', () => {
  it('commits a library, then makes no commit for an unchanged re-render, then deletes retired files', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'commit-library-test-'));
    try {
      const env = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_SYSTEM: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', HOME: tmp };
      const gitEnv: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GIT_')) gitEnv[k] = v;
      Object.assign(gitEnv, env);
      const git = (args: string[]) => execFileSync('git', args, { cwd: tmp, env: gitEnv, encoding: 'utf8' });
      git(['init', '-q', '--initial-branch=main']);
      const identity = { name: 'agentops-meta', email: 'agentops@localhost' };
      const run = async (i: LibraryInput) => {
        const previous = await readCommittedFiles(tmp, { env });
        const rendered = new Map([...renderLibrary({ ...i, previous: previous.size > 0 ? previous : null }), ...renderSkillFiles(i)]);
        const plan = planLibraryWrite(rendered, previous);
        return commitLearning({ repo: tmp, files: plan, message: `learning: ${i.date}`, identity, env });
      };

      const first = await run(input());
      expect(first.status).toBe('committed');
      expect(await readCommittedFiles(tmp, { env })).toEqual(renderLibrary(input()));
      // next day, same data: byte-identical files, so no commit
      expect(await run(input({ date: '2026-01-03' }))).toEqual({ status: 'unchanged' });
      // the anti-pattern disappears: its file is deleted, the day's changes recorded
      const third = await run(input({ date: '2026-01-04', result: result({ anti: [] }) }));
      if (third.status !== 'committed') throw new Error(JSON.stringify(third));
      expect(third.changed).toEqual([
        '.claude/skills/agentops-meta/SKILL.md',
        'metrics/dashboard.json',
        'metrics/patterns.json',
        'patterns/README.md',
        'patterns/anti/edit-edit-edit.md',
        'patterns/learned/2026-01-04.md',
      ]);
      expect(git(['ls-files', 'patterns/anti'])).toBe('');
      expect(git(['status', '--porcelain'])).toBe('');
      expect(git(['log', '--format=%s'])).toBe('learning: 2026-01-04\nlearning: 2026-01-02\n');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
