// The miners on the design note's dense case (§6: 1M events, ~7.5k sessions, 40 activities, long
// sessions over a small alphabet, so almost every short pattern is frequent): PrefixSpan with the
// default guard, contiguous n-grams 2..4, and learn() end to end, each against one counting pass over
// the same events measured in the same run (machines here are noisy; only ratios are comparable).
// Moved here from the test suite, which keeps the behaviour at a small size (test/learn-perf.test.ts).
// The miners are not part of dist/lib.js: they are bundled from source for this run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { fmt, interleaved, report } from './lib.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The learner's own modules and the test suite's dense-log generator, bundled once into a temp file. */
async function loadMiners() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-bench-miner-'));
  const outfile = path.join(dir, 'miners.mjs');
  await build({
    stdin: {
      contents: [
        "export { DEFAULT_LEARN_OPTIONS, learn } from './src/learn/learn.ts';",
        "export { mineDeepening } from './src/learn/prefixspan.ts';",
        "export { mineNgrams } from './src/learn/ngrams.ts';",
        "export { denseLog, rng, testRun } from './test/learn-helpers.ts';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
  });
  const miners = await import(pathToFileURL(outfile).href);
  fs.rmSync(dir, { recursive: true, force: true });
  return miners;
}

/** The baseline: one pass over the events counting each activity's sessions. */
function countingPass(db) {
  const seen = new Int32Array(db.alphabet).fill(-1);
  const sessions = new Int32Array(db.alphabet);
  for (let s = 0; s + 1 < db.offsets.length; s++) {
    for (let j = db.offsets[s]; j < db.offsets[s + 1]; j++) {
      const x = db.items[j];
      if (seen[x] !== s) {
        seen[x] = s;
        sessions[x]++;
      }
    }
  }
  return sessions;
}

function timed(fn) {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
}

/** Traces of the dense log: activity 0 is the test run, passing 60% of the time. */
function denseTraces(m, db) {
  const names = Array.from({ length: db.alphabet }, (_, i) => (i === 0 ? 'Bash:test' : `Tool${i}`));
  const r = m.rng(11);
  const traces = [];
  for (let s = 0; s + 1 < db.offsets.length; s++) {
    const steps = [];
    for (let j = db.offsets[s]; j < db.offsets[s + 1]; j++) {
      const activity = names[db.items[j]];
      const t = 1_700_000_000_000 + s * 10_000_000 + (j - db.offsets[s]) * 1000;
      steps.push({ activity, start_ms: t, end_ms: t + 500, outcome: 'ok', tool_use_id: null, agent: null, test: activity === 'Bash:test' ? m.testRun(r() < 0.6) : null });
    }
    traces.push({ session_id: `s${s}`, project: null, start_ms: steps[0].start_ms, end_ms: steps.at(-1).end_ms, steps, stop_failures: 0, interrupts: 0, prompts: [] });
  }
  return traces;
}

export async function benchLearnMiner(events = 1_000_000) {
  const m = await loadMiners();
  const db = m.denseLog(events, 40, 7);
  const sessions = db.offsets.length - 1;
  const scan = interleaved(5, { scan: () => timed(() => countingPass(db)).ms }).scan;
  const o = m.DEFAULT_LEARN_OPTIONS;
  const guard = { minSupport: o.min_sessions, maxGap: o.max_gap, maxLen: o.max_len, maxPatterns: o.max_patterns, maxWork: o.max_work };
  const ps = timed(() => m.mineDeepening(db, guard, (_items, proj) => proj.sids.length));
  const ng = timed(() => m.mineNgrams(db, { minN: 2, maxN: 4, minSupport: 20 }, (_items, proj) => proj.sids.length));
  const traces = denseTraces(m, db);
  const learned = timed(() => m.learn(traces, { now: 1_700_000_000_000 + sessions * 10_000_000 }));
  const ratio = (ms) => `${fmt(ms / scan, 0)}x`;
  const run = ps.value;
  const result = learned.value;
  report(`the miners on a dense log (${events} events, ${sessions} sessions, 40 activities) vs one counting pass over the same events (${fmt(scan, 1)} ms)`, [
    ['PrefixSpan, default guard', `${ratio(ps.ms)}; ${run.patterns.length} patterns (${run.explored} visited), complete up to length ${run.maxLen} at support >= ${run.minSupport}, truncated ${run.truncated}`],
    ['contiguous n-grams 2..4', `${ratio(ng.ms)}; ${ng.value.explored} frequent grams`],
    ['learn() end to end', `${ratio(learned.ms)}; ${result.sequential.length} good, ${result.anti.length} anti, truncated ${result.stats.truncated}, support >= ${result.stats.min_support_used}, length <= ${result.stats.max_len_used}`],
  ]);
}
