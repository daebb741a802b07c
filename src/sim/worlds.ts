// Recipe worlds: seeded corpora of session traces in which one good recipe and one anti recipe are
// planted at random over the whole activity vocabulary, for measuring whether the learner names the
// recipe that works (bench/quality.mjs, test/learn-recipes.test.ts). Pure: no node:*, no clock.
//
// A session is 1–3 episodes. An episode is some random noise activities, then, with probability
// good_share, the good recipe (passes good_pass) or, with probability anti_share, the anti recipe
// (passes anti_pass), and then a test run; an episode without a recipe passes neutral_pass. The
// recipe is a contiguous run right before the test run, as a user's "explore, edit, lint, then
// test" would be. Noise is drawn from the whole vocabulary (test runs excepted), so parts of the
// recipes also occur by chance. A null world plants recipes that change nothing.
import type { SessionTrace, Step } from '../core/types.js';
import { Rng, deriveSeed } from './rng.js';
import { simTestRun } from './simulate.js';

/** Tools, Bash kinds, subagents, skills, MCP servers and slash commands a recipe may be made of. */
export const WORLD_VOCABULARY: readonly string[] = [
  'Read', 'Edit', 'Write', 'MultiEdit', 'Grep', 'Glob', 'WebFetch', 'WebSearch', 'TodoWrite', 'NotebookEdit',
  'Bash:build', 'Bash:typecheck', 'Bash:lint', 'Bash:format', 'Bash:git', 'Bash:install', 'Bash:run', 'Bash:search', 'Bash:file',
  'Agent:Explore', 'Agent:Plan', 'Agent:code-reviewer', 'Agent:general-purpose', 'Agent:test-writer',
  'Skill:webapp-testing', 'Skill:pdf', 'Skill:frontend-design',
  'mcp:github', 'mcp:playwright', 'mcp:context7',
  '/review', '/security-review',
];

export const WORLD_TEST = 'Bash:test';

export interface WorldOptions {
  seed: number;
  sessions: number;
  start_ms: number;
  /** sessions spread evenly over this many days */
  days: number;
  /** share of episodes that run the good recipe, and the anti recipe */
  good_share: number;
  anti_share: number;
  good_pass: number;
  anti_pass: number;
  neutral_pass: number;
  /** recipe lengths, inclusive ranges */
  good_len: readonly [number, number];
  anti_len: readonly [number, number];
  /** episodes per session and noise activities per episode, inclusive ranges */
  episodes: readonly [number, number];
  noise: readonly [number, number];
  /** plant recipes that do not change the outcome (everything passes at neutral_pass) */
  null_world: boolean;
}

export const DEFAULT_WORLD: Readonly<Omit<WorldOptions, 'seed' | 'sessions'>> = {
  start_ms: Date.UTC(2026, 9, 1),
  days: 30,
  good_share: 0.3,
  anti_share: 0.2,
  good_pass: 0.85,
  anti_pass: 0.25,
  neutral_pass: 0.55,
  good_len: [2, 4],
  anti_len: [2, 3],
  episodes: [1, 3],
  noise: [0, 6],
  null_world: false,
};

export interface WorldTruth {
  good: string[];
  anti: string[];
  null_world: boolean;
}

export interface World {
  traces: SessionTrace[];
  truth: WorldTruth;
}

/** `n` distinct activities of the vocabulary that are not in `taken`. */
function drawRecipe(rng: Rng, n: number, taken: readonly string[]): string[] {
  const pool = rng.shuffle(WORLD_VOCABULARY.filter((a) => !taken.includes(a)));
  return pool.slice(0, n);
}

export function generateWorld(options: Partial<WorldOptions> & { seed: number; sessions: number }): World {
  const o: WorldOptions = { ...DEFAULT_WORLD, ...options };
  const rng = new Rng(deriveSeed(o.seed, 0));
  const good = drawRecipe(rng, rng.range(...o.good_len), []);
  const anti = drawRecipe(rng, rng.range(...o.anti_len), good);
  const noiseVocabulary = WORLD_VOCABULARY;
  const spacing = (o.days * 86_400_000) / Math.max(1, o.sessions);
  const traces: SessionTrace[] = [];
  for (let s = 0; s < o.sessions; s++) {
    const r = new Rng(deriveSeed(o.seed, s + 1));
    const start = o.start_ms + Math.floor(s * spacing + r.next() * spacing * 0.5);
    let t = start;
    const steps: Step[] = [];
    const push = (activity: string, extra: Partial<Step> = {}): void => {
      const dur = 500 + r.int(4_000);
      steps.push({ activity, start_ms: t, end_ms: t + dur, outcome: 'ok', tool_use_id: `toolu_${s}_${steps.length}`, agent: null, test: null, ...extra });
      t += dur + 200 + r.int(2_000);
    };
    const episodes = r.range(...o.episodes);
    for (let e = 0; e < episodes; e++) {
      const noise = r.range(...o.noise);
      for (let k = 0; k < noise; k++) push(r.pick(noiseVocabulary));
      const u = r.next();
      const recipe = u < o.good_share ? 'good' : u < o.good_share + o.anti_share ? 'anti' : 'none';
      if (recipe === 'good') for (const a of good) push(a);
      if (recipe === 'anti') for (const a of anti) push(a);
      const p = o.null_world || recipe === 'none' ? o.neutral_pass : recipe === 'good' ? o.good_pass : o.anti_pass;
      const passed = r.chance(p);
      const total = 20 + r.int(200);
      const failed = passed ? 0 : 1 + r.int(5);
      push(WORLD_TEST, { outcome: passed ? 'ok' : 'error', test: simTestRun(total - failed, failed) });
    }
    traces.push({
      session_id: `world-${o.seed}-${String(s).padStart(5, '0')}`,
      project: '/work/world',
      start_ms: start,
      end_ms: t,
      steps,
      stop_failures: 0,
      interrupts: 0,
      prompts: [],
    });
  }
  return { traces, truth: { good, anti, null_world: o.null_world } };
}
