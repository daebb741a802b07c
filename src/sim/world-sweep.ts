// The world sweep: how often the learner names the planted recipes, per corpus size and world kind
// (bench/quality.mjs writes it to metrics/quality.json; test/learn-recipes.test.ts runs a small one).
// Pure: the clock that times learning is passed in.
import { learn, type LearnInput } from '../learn/learn.js';
import { median } from '../learn/stats.js';
import { generateWorld, type WorldOptions } from './worlds.js';
import { scoreWorld } from './world-score.js';

export interface SweepSetting {
  /** what kind of world: "default", "rare recipes", "small effects", "null", … */
  kind: string;
  sessions: number;
  worlds: number;
  world?: Partial<WorldOptions>;
}

export interface SweepRow {
  kind: string;
  sessions: number;
  worlds: number;
  /** shares of the worlds (null worlds: only any_report means anything) */
  good_top3: number;
  anti_flagged: number;
  good_sub_or_super: number;
  anti_sub_or_super: number;
  any_report: number;
  learn_ms_median: number;
  learn_ms_max: number;
}

const NOW = Date.UTC(2026, 10, 1);

const share = (n: number, of: number): number => (of > 0 ? Math.round((n / of) * 1000) / 1000 : 0);


/** Worlds `seed_base + 0 .. worlds-1` of one setting, learned and scored. */
export function runSetting(setting: SweepSetting, clock: () => number, seedBase = 1000, options: Omit<LearnInput, 'now'> = {}): SweepRow {
  let top3 = 0;
  let anti = 0;
  let goodPart = 0;
  let antiPart = 0;
  let any = 0;
  const ms: number[] = [];
  for (let w = 0; w < setting.worlds; w++) {
    const world = generateWorld({ ...setting.world, seed: seedBase + w, sessions: setting.sessions });
    const t0 = clock();
    const result = learn(world.traces, { ...options, now: NOW });
    ms.push(clock() - t0);
    const s = scoreWorld(world.truth, result);
    if (s.good_rank >= 0 && s.good_rank < 3) top3++;
    if (s.anti_flagged) anti++;
    if (s.good_sub_or_super) goodPart++;
    if (s.anti_sub_or_super) antiPart++;
    if (s.any_report) any++;
  }
  const n = setting.worlds;
  return {
    kind: setting.kind,
    sessions: setting.sessions,
    worlds: n,
    good_top3: share(top3, n),
    anti_flagged: share(anti, n),
    good_sub_or_super: share(goodPart, n),
    anti_sub_or_super: share(antiPart, n),
    any_report: share(any, n),
    learn_ms_median: Math.round(median(ms)),
    learn_ms_max: Math.round(Math.max(0, ...ms)),
  };
}

/** The benchmark's grid: every size for the default and null worlds, the harder kinds at 400. */
export function qualitySettings(worlds = 20): SweepSetting[] {
  const sizes = [100, 200, 400, 1000];
  return [
    ...sizes.map((sessions) => ({ kind: 'default', sessions, worlds })),
    ...sizes.map((sessions) => ({ kind: 'null', sessions, worlds, world: { null_world: true } })),
    { kind: 'rare recipes (15% / 10% of episodes)', sessions: 400, worlds, world: { good_share: 0.15, anti_share: 0.1 } },
    { kind: 'rare recipes (15% / 10% of episodes)', sessions: 1000, worlds, world: { good_share: 0.15, anti_share: 0.1 } },
    { kind: 'small effects (75% / 35% vs 55%)', sessions: 400, worlds, world: { good_pass: 0.75, anti_pass: 0.35 } },
    { kind: 'small effects (75% / 35% vs 55%)', sessions: 1000, worlds, world: { good_pass: 0.75, anti_pass: 0.35 } },
    { kind: 'long sessions (1-5 episodes, 0-12 noise steps)', sessions: 400, worlds, world: { episodes: [1, 5], noise: [0, 12] } },
  ];
}
