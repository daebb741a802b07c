// The advice renderer: what a session is told, with its evidence, never longer than the budget.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adviceLine, formatDuration, renderAdvice, type Advice } from '../src/plan/render.js';

const HEADER = '## Patterns learned from past sessions in this project (agentops-meta)';
const FOOTER = 'Evidence is from recorded sessions; follow it when it fits the task.';
const SECTION = {
  sequence: 'Sequences that went with passing tests:',
  parallel: 'Worth running in parallel:',
  avoid: 'Avoid (went with failing tests):',
} as const;

function seq(id: string, steps: string[], sessions: number, pass_rate: number | null, baseline: number | null): Advice {
  return { id, kind: 'sequence', steps, sessions, pass_rate, baseline };
}

describe('renderAdvice: a hand-checked rendering', () => {
  it('renders sections in a fixed order, each line with its evidence', () => {
    const items: Advice[] = [
      seq('s1', ['Read', 'Edit', 'Bash:test'], 12, 0.83, 0.6),
      { id: 'p1', kind: 'parallel', steps: ['Grep', 'Read'], sessions: 5, pass_rate: null, baseline: null, saved_ms: 125_000 },
      { id: 'a1', kind: 'avoid', steps: ['Edit', 'Write'], sessions: 4, pass_rate: 0.25, baseline: 0.6 },
    ];
    const r = renderAdvice(items, 10_000);
    // 125 000 ms = 125 s = 2 min 5 s; 0.83 → 83 %; parallel lines join with " + ", others with " → "
    expect(r.text).toBe(
      [
        '## Patterns learned from past sessions in this project (agentops-meta)',
        'Sequences that went with passing tests:',
        '- Read → Edit → Bash:test: seen in 12 sessions, tests passed 83% vs 60% baseline',
        'Worth running in parallel:',
        '- Grep + Read: run concurrently in 5 sessions, saving ~2 min 5 s each time',
        'Avoid (went with failing tests):',
        '- Edit → Write: seen in 4 sessions, tests passed 25% vs 60% baseline',
        'Evidence is from recorded sessions; follow it when it fits the task.',
      ].join('\n'),
    );
    expect(r.ids).toEqual(['s1', 'p1', 'a1']);
  });

  it('takes an item when its text fits the budget, never when it would overflow by one', () => {
    const items = [seq('s1', ['Read', 'Edit'], 3, 1, 0.5)];
    // header, section, line, footer joined by 3 newlines
    const line = '- Read → Edit: seen in 3 sessions, tests passed 100% vs 50% baseline';
    const exact = HEADER.length + SECTION.sequence.length + line.length + FOOTER.length + 3;
    expect(renderAdvice(items, exact + 1).text).toHaveLength(exact);
    expect(renderAdvice(items, exact + 1).ids).toEqual(['s1']);
    expect(renderAdvice(items, exact - 1)).toEqual({ text: '', ids: [] });
  });
});

describe('renderAdvice: where the advice was learned', () => {
  it('says "in this project" for a project\'s own advice and "from all your projects" for advice learned across them', () => {
    const items = [seq('s1', ['Read', 'Edit'], 3, 1, 0.5)];
    expect(renderAdvice(items, 10_000, 'this project')).toEqual(renderAdvice(items, 10_000));
    const global = renderAdvice(items, 10_000, 'all your projects').text;
    expect(global.split('\n')[0]).toBe('## Patterns learned from past sessions, from all your projects (agentops-meta)');
    expect(global).not.toContain('in this project');
    // the longer header counts against the budget like the other
    expect(renderAdvice(items, global.length + 1, 'all your projects').text).toBe(global);
    expect(renderAdvice(items, global.length - 1, 'all your projects').text).toBe('');
  });
});

describe('adviceLine: evidence words', () => {
  it('says in how many sessions, and the pass rate against the baseline when both are known', () => {
    expect(adviceLine(seq('x', ['Grep', 'Read'], 7, 0.914, 0.5))).toBe('- Grep → Read: seen in 7 sessions, tests passed 91% vs 50% baseline');
    expect(adviceLine(seq('x', ['Grep'], 1, 0.006, 0))).toBe('- Grep: seen in 1 sessions, tests passed 1% vs 0% baseline');
    // no outcome known: no rates at all, never "null%" or "NaN%"
    expect(adviceLine(seq('x', ['Grep', 'Read'], 7, null, 0.5))).toBe('- Grep → Read: seen in 7 sessions');
    expect(adviceLine(seq('x', ['Grep', 'Read'], 7, 0.5, null))).toBe('- Grep → Read: seen in 7 sessions');
  });

  it('says when the sessions after the pattern was first reported validated it or did not show it', () => {
    const validated: Advice = { ...seq('x', ['Read', 'Edit', 'Bash:test'], 52, 0.85, 0.41), later: { state: 'validated', sessions: 41 } };
    expect(adviceLine(validated)).toBe('- Read → Edit → Bash:test: seen in 52 sessions, tests passed 85% vs 41% baseline; validated on 41 later sessions');
    const weakened: Advice = { id: 'a', kind: 'avoid', steps: ['Glob', 'Grep'], sessions: 10, pass_rate: 0.11, baseline: 0.66, later: { state: 'weakened', sessions: 30 } };
    expect(adviceLine(weakened)).toBe('- Glob → Grep: seen in 10 sessions, tests passed 11% vs 66% baseline; weaker in 30 later sessions');
    // the mark counts against the budget like the rest of the line
    const exact = HEADER.length + SECTION.sequence.length + adviceLine(validated).length + FOOTER.length + 3;
    expect(renderAdvice([validated], exact + 1).ids).toEqual(['x']);
    expect(renderAdvice([validated], exact - 1).ids).toEqual([]);
    expect(renderAdvice([{ ...validated, later: undefined }], exact - 1).ids).toEqual(['x']); // fits without the mark
  });

  it('parallel advice: sessions, time saved when any, then the rates', () => {
    const p = (saved_ms: number | undefined, pass_rate: number | null): Advice => ({
      id: 'p',
      kind: 'parallel',
      steps: ['Agent:Explore', 'Agent:Plan', 'mcp:github'],
      sessions: 9,
      pass_rate,
      baseline: 0.4,
      ...(saved_ms === undefined ? {} : { saved_ms }),
    });
    expect(adviceLine(p(30_000, 0.7))).toBe('- Agent:Explore + Agent:Plan + mcp:github: run concurrently in 9 sessions, saving ~30 s each time; tests passed 70% vs 40% baseline');
    expect(adviceLine(p(0, 0.7))).toBe('- Agent:Explore + Agent:Plan + mcp:github: run concurrently in 9 sessions; tests passed 70% vs 40% baseline');
    expect(adviceLine(p(undefined, null))).toBe('- Agent:Explore + Agent:Plan + mcp:github: run concurrently in 9 sessions');
  });

  it('formats durations in s, min and h', () => {
    // under ten seconds in tenths: what one batch of concurrent reads saves is often under a second
    expect(formatDuration(0)).toBe('0.0 s');
    expect(formatDuration(147)).toBe('0.1 s');
    expect(formatDuration(1_499)).toBe('1.5 s');
    expect(formatDuration(9_949)).toBe('9.9 s');
    expect(formatDuration(9_950)).toBe('10 s');
    expect(formatDuration(59_499)).toBe('59 s');
    expect(formatDuration(59_500)).toBe('1 min 0 s'); // rounds to 60 s first
    expect(formatDuration(61_000)).toBe('1 min 1 s');
    expect(formatDuration(3_599_000)).toBe('59 min 59 s');
    expect(formatDuration(3_600_000)).toBe('1 h 0 min');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000 + 40_000)).toBe('2 h 5 min');
  });
});

describe('renderAdvice: budget and order', () => {
  it('renders nothing when no item fits, and nothing for no items', () => {
    expect(renderAdvice([], 10_000)).toEqual({ text: '', ids: [] });
    const items = [seq('s1', ['Read', 'Edit'], 3, 0.9, 0.5)];
    expect(renderAdvice(items, 200)).toEqual({ text: '', ids: [] });
    expect(renderAdvice(items, 0)).toEqual({ text: '', ids: [] });
  });

  it('skips an item that does not fit and still takes later, smaller ones', () => {
    const long = seq('long', Array.from({ length: 40 }, (_, i) => `mcp:server-${i}`), 3, 0.9, 0.5);
    const short = seq('short', ['Read'], 2, null, null);
    const r = renderAdvice([long, short], 400);
    expect(r.ids).toEqual(['short']);
    expect(r.text).toContain('- Read: seen in 2 sessions');
    expect(r.text).not.toContain('mcp:server-0');
  });

  it('keeps the rank order within each section, and returns ids in rank order', () => {
    const items: Advice[] = [
      { id: 'a1', kind: 'avoid', steps: ['Write'], sessions: 3, pass_rate: 0.1, baseline: 0.5 },
      seq('s1', ['Read', 'Edit'], 9, 0.9, 0.5),
      seq('s2', ['Grep', 'Edit'], 8, 0.8, 0.5),
      { id: 'a2', kind: 'avoid', steps: ['Bash:other'], sessions: 3, pass_rate: 0.2, baseline: 0.5 },
      seq('s3', ['Glob', 'Read'], 7, 0.7, 0.5),
    ];
    const r = renderAdvice(items, 10_000);
    expect(r.ids).toEqual(['a1', 's1', 's2', 'a2', 's3']);
    const lines = r.text.split('\n');
    expect(lines).toEqual([
      HEADER,
      SECTION.sequence,
      adviceLine(items[1]!),
      adviceLine(items[2]!),
      adviceLine(items[4]!),
      SECTION.avoid,
      adviceLine(items[0]!),
      adviceLine(items[3]!),
      FOOTER,
    ]);
  });

  const name = fc.oneof(
    fc.constantFrom('Read', 'Edit', 'Bash:test', 'Agent:code-reviewer', 'Skill:pdf', 'mcp:github', '/review', 'Grep'),
    fc.string({ minLength: 1, maxLength: 60 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  );
  const rate = fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null });
  const advice = fc.record({
    kind: fc.constantFrom('sequence', 'parallel', 'avoid') as fc.Arbitrary<Advice['kind']>,
    steps: fc.array(name, { minLength: 1, maxLength: 12 }),
    sessions: fc.integer({ min: 1, max: 100_000 }),
    pass_rate: rate,
    baseline: rate,
    saved_ms: fc.option(fc.integer({ min: 0, max: 100 * 3_600_000 }), { nil: undefined }),
    later: fc.option(fc.record({ state: fc.constantFrom('validated', 'weakened') as fc.Arbitrary<'validated' | 'weakened'>, sessions: fc.integer({ min: 1, max: 100_000 }) }), { nil: undefined }),
  });
  const adviceList = fc
    .array(advice, { maxLength: 60 })
    .map((xs) => xs.map((x, i): Advice => ({ ...x, id: `id-${i}` })));
  const budget = fc.oneof(fc.integer({ min: 200, max: 10_000 }), fc.constant(10_000), fc.constant(200));

  it('never exceeds the budget, takes what fits greedily, and loses nothing it took (property)', () => {
    fc.assert(
      fc.property(adviceList, budget, (items, limit) => {
        const r = renderAdvice(items, limit);
        expect(r.text.length).toBeLessThanOrEqual(limit);
        expect(new Set(r.ids).size).toBe(r.ids.length);
        if (r.ids.length === 0) {
          expect(r.text).toBe('');
          // nothing fits even alone
          for (const a of items) {
            const alone = HEADER.length + SECTION[a.kind].length + adviceLine(a).length + FOOTER.length + 3;
            expect(alone).toBeGreaterThan(limit - 1);
          }
          return;
        }
        expect(r.text.startsWith(`${HEADER}\n`)).toBe(true);
        expect(r.text.endsWith(`\n${FOOTER}`)).toBe(true);
        const byId = new Map(items.map((a) => [a.id, a]));
        const taken = r.ids.map((id) => byId.get(id)!);
        // ids keep the input order
        expect(r.ids).toEqual(items.filter((a) => r.ids.includes(a.id)).map((a) => a.id));
        // the text is exactly the taken lines under their sections, in rank order within a section
        const expected = [HEADER];
        for (const kind of ['sequence', 'parallel', 'avoid'] as const) {
          const lines = taken.filter((a) => a.kind === kind).map(adviceLine);
          if (lines.length) expected.push(SECTION[kind], ...lines);
        }
        expected.push(FOOTER);
        expect(r.text).toBe(expected.join('\n'));
        // greedy leaves no room: every skipped item would overflow the final text
        const kinds = new Set(taken.map((a) => a.kind));
        for (const a of items) {
          if (r.ids.includes(a.id)) continue;
          const heading = kinds.has(a.kind) ? 0 : SECTION[a.kind].length + 1;
          expect(r.text.length + 1 + heading + adviceLine(a).length).toBeGreaterThan(limit - 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('at the 10,000-character cap, a long list is cut just below the cap', () => {
    const items = Array.from({ length: 400 }, (_, i) => seq(`s${i}`, ['Read', 'Edit', `Bash:step-${i}`], 10 + i, 0.9, 0.5));
    const r = renderAdvice(items, 10_000);
    expect(r.text.length).toBeLessThanOrEqual(10_000);
    // the longest line is short, so the cut leaves less than one line of room
    const longest = Math.max(...items.map((a) => adviceLine(a).length));
    expect(r.text.length).toBeGreaterThan(10_000 - longest - 2);
    expect(r.ids).toEqual(items.slice(0, r.ids.length).map((a) => a.id));
  });
});
