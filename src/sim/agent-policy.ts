// A simulated agent that reads the advice (issue 14). Pure.
//
// It reads what the installed planner hooks printed (their stdout, as Claude Code would pass it on:
// `hookSpecificOutput.additionalContext`), parses the advised sequences and anti-patterns out of the
// rendered text (src/plan/render.ts's format), and follows or avoids each one with probability
// `adherence`, drawn once per session and advice:
//   - a followed sequence "A → B" replaces the agent's habitual recipe in every episode: the agent
//     does A, then B, then runs the tests (several followed sequences: in the order they were advised;
//     one that is part of another it follows, "B → C" beside "A → B → C", is done by doing the other).
//     A test run inside advice ("A → Bash:test") is the test run the episode ends with anyway;
//   - an avoided anti-pattern is not done: wherever its steps would run in a row (the episode's
//     closing test run included), the last of them that is not a test run is left out.
// Everything else (the noise, the number of episodes, the test runs) stays as the agent's habit.
import { Rng } from './rng.js';
import { containsRun, type Episode } from './loop-world.js';
import { WORLD_TEST } from './worlds.js';

export interface ParsedAdvice {
  /** sequences that went with passing tests, in the order advised */
  follow: string[][];
  /** anti-patterns */
  avoid: string[][];
}

export const DEFAULT_ADHERENCE = 0.6;

const SECTIONS: readonly [string, 'follow' | 'avoid' | 'other'][] = [
  ['Sequences that went with passing tests:', 'follow'],
  ['Avoid (went with failing tests):', 'avoid'],
  ['Worth running in parallel:', 'other'],
];

const ITEM = /^- (.+?): (?:seen in|run concurrently) /;

/** The advice in one rendered text (markdown lines under the renderer's section headings). */
export function parseAdviceText(text: string, into: ParsedAdvice = { follow: [], avoid: [] }): ParsedAdvice {
  let section: 'follow' | 'avoid' | 'other' | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const heading = SECTIONS.find(([h]) => line === h);
    if (heading) {
      section = heading[1];
      continue;
    }
    const m = ITEM.exec(line);
    if (!m || section === null || section === 'other') continue;
    const steps = m[1]!.split(' → ');
    const list = into[section];
    if (!list.some((s) => s.join('\u0000') === steps.join('\u0000'))) list.push(steps);
  }
  return into;
}

/** The additionalContext of every hook output (one JSON object a line; anything else is ignored). */
export function injectedTexts(stdouts: readonly string[]): string[] {
  const out: string[] = [];
  for (const stdout of stdouts) {
    for (const line of stdout.split('\n')) {
      try {
        const v = JSON.parse(line) as { hookSpecificOutput?: { additionalContext?: unknown } };
        const text = v.hookSpecificOutput?.additionalContext;
        if (typeof text === 'string' && text) out.push(text);
      } catch {
        // not JSON: Claude Code would show plain stdout of SessionStart as context too, but our hooks print JSON
      }
    }
  }
  return out;
}

/** What the hooks advised, read from their stdout. */
export function parseHookOutputs(stdouts: readonly string[]): ParsedAdvice {
  const advice: ParsedAdvice = { follow: [], avoid: [] };
  for (const text of injectedTexts(stdouts)) parseAdviceText(text, advice);
  return advice;
}

/**
 * Leaves out, of every contiguous run of `seq` in `steps` + the closing test run, the last step
 * that is not a test run (a run of test runs only is left alone).
 */
export function avoidRun(steps: readonly string[], seq: readonly string[]): string[] {
  const out = [...steps, WORLD_TEST];
  const drop = seq.map((a, j) => (a === WORLD_TEST ? -1 : j)).filter((j) => j >= 0).at(-1);
  if (seq.length === 0 || drop === undefined) return steps.slice();
  for (let i = 0; i + seq.length <= out.length; ) {
    let hit = true;
    for (let j = 0; j < seq.length && hit; j++) hit = out[i + j] === seq[j];
    if (hit) out.splice(i + drop, 1);
    else i++;
  }
  return out.slice(0, -1);
}

export interface Decision {
  episodes: Episode[];
  followed: string[][];
  avoided: string[][];
}

/** The agent's plan for a session after reading `advice` (`seed`: its own draws for adherence). */
export function decide(habit: readonly Episode[], advice: ParsedAdvice, adherence: number, seed: number): Decision {
  const rng = new Rng(seed);
  const chosen = advice.follow.filter(() => rng.chance(adherence));
  const followed = chosen.filter((s) => !chosen.some((o) => o.length > s.length && containsRun(o, s)));
  const avoided = advice.avoid.filter(() => rng.chance(adherence));
  const episodes = habit.map((e): Episode => {
    let steps = followed.length ? [...e.noise, ...followed.flat().filter((a) => a !== WORLD_TEST)] : [...e.steps];
    for (const a of avoided) steps = avoidRun(steps, a);
    return { noise: e.noise, recipe: followed.length ? 'none' : e.recipe, steps };
  });
  return { episodes, followed, avoided };
}
