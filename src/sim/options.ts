// The simulator's public options, its truth and its output types, and the planted defaults. Pure.
import type { TaskKind } from './task-kinds.js';

export interface SimPayload {
  ts_ms: number;
  event: string;
  payload: Record<string, unknown>;
}

/** Knobs of the planted patterns. Shares are fractions of all sessions. */
export interface PlantedOptions {
  good_share: number;
  good_pass_rate: number;
  anti_share: number;
  anti_pass_rate: number;
  neutral_pass_rate: number;
  /** sessions that never run a test (questions, exploration): outcome unknown */
  no_test_share: number;
  /** sessions with one Grep + Glob batch (overlapping intervals) */
  concurrent_share: number;
  /** sessions with Agent:Explore and Agent:code-reviewer running at the same time */
  subagent_pair_share: number;
  /** sessions with a single (non-concurrent) Agent:general-purpose */
  single_subagent_share: number;
  /** tested sessions with Bash:lint and Bash:typecheck adjacent, in random order */
  order_independent_share: number;
  /** mean number of noise calls per session (uniform on 0..2·mean) */
  noise_mean: number;
  /** probability that an Edit fails ("String to replace not found") */
  edit_error_rate: number;
  /** probability that a noise `npm run build` is interrupted by the user */
  interrupt_rate: number;
  /** probability that a turn ends in StopFailure (rate limit) instead of Stop */
  stop_failure_rate: number;
  /**
   * probability that a session's prompts are written for the kind of task it works on (task-kinds.ts);
   * otherwise for a kind drawn independently. 0: the prompts say nothing about the workflow.
   */
  prompt_signal: number;
}

export const DEFAULT_PLANTED: Readonly<PlantedOptions> = {
  good_share: 0.35,
  good_pass_rate: 0.85,
  anti_share: 0.2,
  anti_pass_rate: 0.3,
  neutral_pass_rate: 0.6,
  no_test_share: 0.1,
  concurrent_share: 0.4,
  subagent_pair_share: 0.25,
  single_subagent_share: 0.1,
  order_independent_share: 0.4,
  noise_mean: 24,
  edit_error_rate: 0.04,
  interrupt_rate: 0.03,
  stop_failure_rate: 0.02,
  prompt_signal: 0.8,
};

/** The demo corpus: 120 sessions over the 30 days before 2026-11-29 (seeded, so always the same). */
export const DEMO_SIMULATION: Readonly<SimulateOptions> = {
  seed: 20261129,
  sessions: 120,
  start_ms: Date.UTC(2026, 9, 30),
  days: 30,
};

export interface SimulateOptions {
  seed: number;
  sessions: number;
  /** start of the simulated period (epoch ms) */
  start_ms: number;
  /** sessions are spread evenly (with jitter) over this many days; default 30 */
  days?: number;
  planted?: Partial<PlantedOptions>;
}

export type SessionStyle = 'good' | 'anti' | 'neutral' | 'no-test';

export interface SimTruth {
  seed: number;
  planted: PlantedOptions;
  good_sequence: { steps: string[]; pass_rate: number; baseline: number };
  anti_pattern: { steps: string[]; pass_rate: number; baseline: number };
  concurrent_pairs: { members: string[]; share: number }[];
  order_independent_pair: { members: string[]; share: number };
  /** activities placed independently of the outcome: the noise, and the steps only some task kinds take */
  noise_activities: string[];
  /** every activity name the simulator can produce */
  activities: string[];
  /**
   * ground truth per session, in start order; `kind` is the task it works on, `prompt_kind` the kind
   * its prompts were written for (task-kinds.ts)
   */
  sessions: { session_id: string; style: SessionStyle; kind: TaskKind; prompt_kind: TaskKind; passed: boolean | null; start_ms: number }[];
}

export interface SimulatedCorpus {
  payloads: SimPayload[];
  truth: SimTruth;
}

export function resolvePlanted(p: Partial<PlantedOptions> | undefined): PlantedOptions {
  const planted = { ...DEFAULT_PLANTED, ...p };
  if (planted.good_share + planted.anti_share + planted.no_test_share > 1 + 1e-9) {
    throw new Error('good_share + anti_share + no_test_share must not exceed 1');
  }
  return planted;
}
