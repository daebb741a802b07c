// The sequential miners against a brute-force reference on small random logs, plus the evidence
// classes, the max-gap semantics, the top-k and work guards.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexItems, mineDeepening, patternSessions, prefixSpan, projectPattern, type Projection, type SequenceDb } from '../src/learn/prefixspan.js';
import { mineNgrams } from '../src/learn/ngrams.js';
import { evidenceClasses } from '../src/learn/rank.js';
import { encodeTraces } from '../src/learn/encoded-log.js';
import { tallyProjection } from '../src/learn/outcomes.js';
import { trace } from './learn-helpers.js';

function toDb(seqs: number[][], alphabet: number): SequenceDb {
  const offsets = [0];
  for (const s of seqs) offsets.push(offsets.at(-1)! + s.length);
  return { items: Int32Array.from(seqs.flat()), offsets: Int32Array.from(offsets), alphabet };
}

/**
 * Reference: all occurrence ends of a pattern in one sequence, by the definition (a set-based DP
 * over positions, no window merging): ends(p1) = positions of p1; ends(p1..pk) = positions j of pk
 * with some end e of p1..pk-1 such that 0 < j - e <= gap.
 */
function bruteEnds(seq: readonly number[], pattern: readonly number[], gap: number): number[] {
  let ends = seq.flatMap((x, j) => (x === pattern[0] ? [j] : []));
  for (const p of pattern.slice(1)) ends = seq.flatMap((x, j) => (x === p && ends.some((e) => j - e > 0 && j - e <= gap) ? [j] : []));
  return ends;
}

function allPatterns(alphabet: number, maxLen: number): number[][] {
  const out: number[][] = [];
  let level: number[][] = [[]];
  for (let len = 1; len <= maxLen; len++) {
    level = level.flatMap((p) => Array.from({ length: alphabet }, (_, x) => [...p, x]));
    out.push(...level);
  }
  return out;
}

/** pattern key → per session (sid → sorted ends), for every pattern with support >= minSup */
function bruteMine(seqs: number[][], alphabet: number, gap: number, maxLen: number, minSup: number): Map<string, Map<number, number[]>> {
  const out = new Map<string, Map<number, number[]>>();
  for (const p of allPatterns(alphabet, maxLen)) {
    const bySid = new Map<number, number[]>();
    seqs.forEach((seq, sid) => {
      const ends = bruteEnds(seq, p, gap);
      if (ends.length > 0) bySid.set(sid, ends);
    });
    if (bySid.size >= minSup) out.set(p.join(','), bySid);
  }
  return out;
}

/** Projection → sid → ends as global positions turned back into per-sequence positions */
function projToMap(db: SequenceDb, proj: Projection): Map<number, number[]> {
  const m = new Map<number, number[]>();
  proj.sids.forEach((sid, k) => {
    m.set(sid, Array.from(proj.ends.subarray(proj.offs[k]!, proj.offs[k + 1]!), (e) => e - db.offsets[sid]!));
  });
  return m;
}

const logArb = fc.record({
  alphabet: fc.integer({ min: 1, max: 4 }),
  seqs: fc.array(fc.array(fc.nat(3), { maxLength: 12 }), { minLength: 1, maxLength: 8 }),
  gap: fc.integer({ min: 1, max: 4 }),
  maxLen: fc.integer({ min: 1, max: 4 }),
  minSup: fc.integer({ min: 1, max: 3 }),
});

describe('prefixSpan', () => {
  it('finds exactly the frequent patterns, with their sessions and occurrence ends (fast-check)', () => {
    fc.assert(
      fc.property(logArb, ({ alphabet, seqs: raw, gap, maxLen, minSup }) => {
        const seqs = raw.map((s) => s.map((x) => x % alphabet));
        const db = toDb(seqs, alphabet);
        const expected = bruteMine(seqs, alphabet, gap, maxLen, minSup);
        const got = new Map<string, Map<number, number[]>>();
        const run = prefixSpan(db, { minSupport: minSup, maxGap: gap, maxLen, maxPatterns: Infinity, maxWork: Infinity }, (items, proj) => {
          got.set(items.join(','), projToMap(db, proj));
          return items.length;
        });
        expect(run.truncated).toBe(false);
        expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [k, bySid] of expected) {
          const mine = got.get(k)!;
          expect([...mine.keys()]).toEqual([...bySid.keys()]);
          const len = k.split(',').length;
          for (const [sid, ends] of bySid) {
            // patterns that are not extended further (except single items) keep only their earliest end
            expect(mine.get(sid)).toEqual(len < maxLen || len === 1 ? ends : [ends[0]]);
          }
          expect(projToMap(db, projectPattern(db, k.split(',').map(Number), gap))).toEqual(bySid);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('mineDeepening gives the same patterns when the budget suffices', () => {
    fc.assert(
      fc.property(logArb, ({ alphabet, seqs: raw, gap, maxLen, minSup }) => {
        const seqs = raw.map((s) => s.map((x) => x % alphabet));
        const db = toDb(seqs, alphabet);
        const opts = { minSupport: minSup, maxGap: gap, maxLen, maxPatterns: Infinity, maxWork: Infinity };
        const key = (items: readonly number[], p: Projection) => `${items.join(',')}:${p.sids.length}`;
        const a = prefixSpan(db, opts, key).patterns.sort();
        const b = mineDeepening(db, opts, key).patterns.sort();
        expect(b).toEqual(a);
      }),
      { numRuns: 150 },
    );
  });

  it('n-grams equal PrefixSpan with max gap 1', () => {
    fc.assert(
      fc.property(logArb, ({ alphabet, seqs: raw, maxLen, minSup }) => {
        const seqs = raw.map((s) => s.map((x) => x % alphabet));
        const db = toDb(seqs, alphabet);
        const key = (items: readonly number[], p: Projection) => `${items.join(',')}:${Array.from(p.sids).join('.')}`;
        const grams = mineNgrams(db, { minN: 1, maxN: maxLen, minSupport: minSup }, key).patterns.sort();
        const ps = prefixSpan(db, { minSupport: minSup, maxGap: 1, maxLen, maxPatterns: Infinity, maxWork: Infinity }, key).patterns.sort();
        expect(grams).toEqual(ps);
      }),
      { numRuns: 200 },
    );
  });

  it('max gap: B five steps after A is "A then B" at gap 5, not at gap 4', () => {
    const db = toDb([[0, 2, 2, 2, 2, 1]], 3);
    const pairs = (gap: number) =>
      prefixSpan(db, { minSupport: 1, maxGap: gap, maxLen: 2, maxPatterns: Infinity, maxWork: Infinity }, (items) => items.join(',')).patterns;
    expect(pairs(5)).toContain('0,1');
    expect(pairs(4)).not.toContain('0,1');
    expect(pairs(4)).toContain('0,2');
    expect(pairs(1)).not.toContain('0,1');
  });

  it('top-k guard: keeps exactly the patterns at or above the support it reports, and says truncated', () => {
    fc.assert(
      fc.property(logArb, fc.integer({ min: 1, max: 10 }), ({ alphabet, seqs: raw, gap, maxLen }, k) => {
        const seqs = raw.map((s) => s.map((x) => x % alphabet));
        const db = toDb(seqs, alphabet);
        const run = prefixSpan(db, { minSupport: 1, maxGap: gap, maxLen, maxPatterns: k, maxWork: Infinity }, (items, p) => `${items.join(',')}:${p.sids.length}`);
        const all = bruteMine(seqs, alphabet, gap, maxLen, 1);
        const expected = [...all].filter(([, bySid]) => bySid.size >= run.minSupport).map(([key, bySid]) => `${key}:${bySid.size}`);
        expect(run.patterns.sort()).toEqual(expected.sort());
        // the k-th largest support: at least k patterns kept when there are k
        if (all.size >= k) expect(run.patterns.length).toBeGreaterThanOrEqual(k);
        expect(run.truncated).toBe(run.minSupport > 1);
      }),
      { numRuns: 200 },
    );
  });

  it('work guard: stops and reports truncated; deepening keeps a complete shorter level', () => {
    const r = (i: number) => (i * 7919) % 5;
    const seqs = Array.from({ length: 40 }, (_, s) => Array.from({ length: 60 }, (_, i) => r(i + s * 3)));
    const db = toDb(seqs, 5);
    const opts = { minSupport: 2, maxGap: 5, maxLen: 4, maxPatterns: Infinity };
    const full = prefixSpan(db, { ...opts, maxWork: Infinity }, (items) => items.join(','));
    const cut = prefixSpan(db, { ...opts, maxWork: full.work / 3 }, (items) => items.join(','));
    expect(full.truncated).toBe(false);
    expect(cut.truncated).toBe(true);
    expect(cut.outOfWork).toBe(true);
    expect(cut.patterns.length).toBeLessThan(full.patterns.length);
    const deep = mineDeepening(db, { ...opts, maxWork: full.work / 2 }, (items) => items.join(','));
    expect(deep.truncated).toBe(true);
    expect(deep.maxLen).toBeLessThan(4);
    const complete = full.patterns.filter((p) => p.split(',').length <= deep.maxLen).sort();
    expect(deep.patterns.filter((p) => p.split(',').length <= deep.maxLen).sort()).toEqual(complete);
  });
});

describe('patternSessions', () => {
  it('finds the sessions of projectPattern, each with its earliest occurrence end (fast-check)', () => {
    fc.assert(
      fc.property(logArb, fc.array(fc.nat(3), { minLength: 1, maxLength: 4 }), ({ alphabet, seqs: raw, gap }, rawPattern) => {
        const seqs = raw.map((s) => s.map((x) => x % alphabet));
        const pattern = rawPattern.map((x) => x % alphabet);
        const db = toDb(seqs, alphabet);
        const expected = new Map<number, number>();
        seqs.forEach((seq, sid) => {
          const ends = bruteEnds(seq, pattern, gap);
          if (ends.length > 0) expected.set(sid, Math.min(...ends) + db.offsets[sid]!);
        });
        const seen = new Map<number, number>();
        const all = patternSessions(db, pattern, gap, indexItems(db), (sid, end) => {
          seen.set(sid, end);
          return end % 2 === 0; // keep decides, on the earliest end
        });
        expect(seen).toEqual(expected);
        expect(Array.from(all)).toEqual([...expected].filter(([, e]) => e % 2 === 0).map(([sid]) => sid));
        expect(Array.from(patternSessions(db, pattern, gap, indexItems(db)))).toEqual(Array.from(projectPattern(db, pattern, gap).sids));
      }),
      { numRuns: 300 },
    );
  });
});

describe('evidenceClasses', () => {
  it('keeps one pattern per (session set, known set): the most informative, then the shortest (fast-check)', () => {
    fc.assert(
      fc.property(logArb, fc.nat(3), ({ alphabet, seqs: raw, gap, maxLen, minSup }, ubiq) => {
        const seqs = raw.map((s) => s.map((x) => x % alphabet));
        // item 3 is a passing test run, so that known sets differ from session sets
        const names = ['A', 'B', 'C', 'pass'];
        const traces = seqs.map((s, i) => trace(`s${i}`, s.map((x) => names[x]!), 1000 + i));
        const log = encodeTraces(traces, { now: 0, half_life_days: 30 });
        const db = { items: log.acts, offsets: log.offsets, alphabet: log.names.length };
        const cands = prefixSpan(db, { minSupport: minSup, maxGap: gap, maxLen, maxPatterns: Infinity, maxWork: Infinity }, (items, proj) => {
          const sids = Array.from(proj.sids);
          // known: the earliest end is at or before the session's last test run (brute force)
          const known = sids.filter((sid, k) => {
            const seq = db.items.subarray(db.offsets[sid]!, db.offsets[sid + 1]!);
            const lastTest = Array.from(seq).lastIndexOf(log.names.indexOf('Bash:test'));
            return lastTest >= 0 && proj.ends[proj.offs[k]!]! - db.offsets[sid]! <= lastTest;
          });
          return { items: [...items], tally: tallyProjection(log, proj), gap, key: `${sids.join('.')}|${known.join('.')}` };
        }).patterns;
        const isUbiq = (item: number) => log.names[item] === names[ubiq];
        const classes = evidenceClasses(cands, log.names, isUbiq);
        const groups = new Map<string, typeof cands>();
        for (const c of cands) groups.set(c.key, [...(groups.get(c.key) ?? []), c]);
        expect(classes.map((c) => c.rep.key).sort()).toEqual([...groups.keys()].sort());
        const informative = (c: (typeof cands)[number]) => c.items.filter((x) => !isUbiq(x)).length;
        for (const { rep, simplest, layer } of classes) {
          const members = groups.get(rep.key)!;
          const best = Math.max(...members.map(informative));
          expect(informative(rep)).toBe(best);
          expect(rep.items.length).toBe(Math.min(...members.filter((m) => informative(m) === best).map((m) => m.items.length)));
          expect(simplest.items.length).toBe(Math.min(...members.map((m) => m.items.length)));
          expect(simplest.key).toBe(rep.key);
          expect(layer).toBe(`${gap === 1 ? 'contiguous' : 'gapped'}:${simplest.items.length}`);
        }
      }),
      { numRuns: 200 },
    );
  });
});
