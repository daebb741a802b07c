// What a session does: its style (good, anti, neutral, no-test), its outcome, and the actions (calls,
// parallel batches, subagents) in order: the planted blocks, the steps of its task kind
// (task-kinds.ts), and noise between them. Pure.
import { Rng } from './rng.js';
import type { Builder } from './builder.js';
import type { Action, CallSpec } from './model.js';
import type { PlantedOptions, SessionStyle } from './options.js';
import { KIND_STEPS, NOISE_MIX, type KindStep, type TaskKind } from './task-kinds.js';

// ---- planning: what a session does ---------------------------------------------------------

export function pickStyle(rng: Rng, p: PlantedOptions): SessionStyle {
  const u = rng.next();
  if (u < p.good_share) return 'good';
  if (u < p.good_share + p.anti_share) return 'anti';
  if (u < p.good_share + p.anti_share + p.no_test_share) return 'no-test';
  return 'neutral';
}

export function passRate(style: SessionStyle, p: PlantedOptions): number {
  return style === 'good' ? p.good_pass_rate : style === 'anti' ? p.anti_pass_rate : p.neutral_pass_rate;
}

/** One step of a task kind, as the builder makes it. */
function kindAction(rng: Rng, b: Builder, step: KindStep['step']): Action {
  const call = (spec: CallSpec): Action => ({ kind: 'call', spec });
  switch (step) {
    case 'todo': return call(b.todo());
    case 'plan-agent':
      return { kind: 'agents', agents: [b.agent('Plan', 'Plan the change step by step', [b.glob(), b.read(b.file()), b.grep()])] };
    case 'write-module': return call(b.write(rng.pick(['src/export.ts', 'src/options.ts', 'src/filters.ts'])));
    case 'git-log': return call(b.gitLog());
    case 'search-error': return call(b.searchError());
    case 'debugger':
      return { kind: 'agents', agents: [b.agent('debugger', 'Find the cause of the failure', [b.grep(), b.read(b.file()), b.gitLog()])] };
    case 'format': return call(b.format());
    case 'fetch-docs': return call(b.webFetch());
    case 'write-docs': return call(b.writeDocs());
    case 'docs-skill': return call(b.docsSkill());
    case 'file-issue': return call(b.mcp());
    default: return call(b.skill());
  }
}

/** The kind's own steps at one place of the session, each drawn with its probability, in table order. */
function kindSteps(rng: Rng, b: Builder, kind: TaskKind, at: KindStep['at']): Action[] {
  const out: Action[] = [];
  for (const s of KIND_STEPS[kind]) if (s.at === at && rng.chance(s.p)) out.push(kindAction(rng, b, s.step));
  return out;
}

export function planSession(rng: Rng, b: Builder, style: SessionStyle, kind: TaskKind, passed: boolean | null, p: PlantedOptions): Action[] {
  const call = (spec: CallSpec): Action => ({ kind: 'call', spec });
  const segments: Action[][] = [];

  // Exploration, with the kind's first steps before it and its opening steps after it, in one
  // segment: no noise comes between them. Anti sessions never Read on the main thread ("edits
  // without reading").
  const explore: Action[] = kindSteps(rng, b, kind, 'first');
  if (rng.chance(p.concurrent_share)) explore.push({ kind: 'batch', specs: rng.shuffle([b.grep(), b.glob()]) });
  if (style !== 'anti') for (let i = rng.range(1, 2); i > 0; i--) explore.push(call(b.read(b.file())));
  else explore.push(call(b.grep()));
  explore.push(...kindSteps(rng, b, kind, 'opening'));
  segments.push(explore);

  // Work blocks.
  const blocks = style === 'no-test' ? rng.range(1, 3) : rng.range(2, 6);
  for (let i = 0; i < blocks; i++) {
    const f = b.file();
    switch (style) {
      case 'good':
        segments.push([call(b.read(f)), call(b.edit(f)), call(b.test(rng.chance(0.6), f))]);
        break;
      case 'anti':
        segments.push([call(b.edit(f)), call(b.edit(f)), call(b.edit(b.file())), call(b.test(rng.chance(0.4), f))]);
        break;
      case 'neutral': {
        const v = rng.int(3);
        if (v === 0) segments.push([call(b.grep()), call(b.edit(f)), call(b.test(rng.chance(0.5), f))]);
        else if (v === 1) segments.push([call(b.glob()), call(b.write(f.replace(/^src\//, 'test/'))), call(b.test(rng.chance(0.5), f))]);
        else segments.push([call(b.grep()), call(b.edit(f)), call(b.build())]);
        break;
      }
      default:
        segments.push(rng.chance(0.5) ? [call(b.read(f))] : [call(b.grep()), call(b.read(f))]);
    }
  }

  // The kind's closing steps: right after the final test run (no noise between), or last.
  const closing = kindSteps(rng, b, kind, 'closing');

  // Subagents, at a random point after exploration.
  if (rng.chance(p.subagent_pair_share)) {
    const explorer = b.agent('Explore', 'Map the modules involved',
      Array.from({ length: rng.range(2, 5) }, () => rng.pick([() => b.glob(), () => b.grep(), () => b.read(b.file())])()));
    const reviewer = b.agent('code-reviewer', 'Review the current diff',
      [b.git(), ...Array.from({ length: rng.range(1, 4) }, () => (rng.chance(0.7) ? b.read(b.file()) : b.grep()))]);
    segments.splice(rng.range(1, segments.length), 0, [{ kind: 'agents', agents: rng.shuffle([explorer, reviewer]) }]);
  }
  if (rng.chance(p.single_subagent_share)) {
    const helper = b.agent('general-purpose', 'Research the failing behaviour', [b.grep(), b.read(b.file()), b.webSearch()]);
    segments.splice(rng.range(1, segments.length), 0, [{ kind: 'agents', agents: [helper] }]);
  }

  // Tail: verification, then the final full test run that decides the outcome.
  if (style === 'no-test') {
    if (closing.length) segments.push(closing);
  } else {
    const tail: Action[] = [];
    if (rng.chance(p.order_independent_share)) {
      const pair = [call(b.lint()), call(b.typecheck())];
      tail.push(...rng.shuffle(pair));
    }
    tail.push(call(b.test(passed === true, null)), ...closing);
    if (passed === true && rng.chance(0.4)) tail.push(call(b.commit()));
    segments.push(tail);
  }

  // Noise goes into the gaps between segments: gap k lies before segment k, gap n after the last.
  // Never inside a block, never before the exploration; after the tail only when there is no test.
  const n = segments.length;
  const gaps: Action[][] = Array.from({ length: n + 1 }, () => []);
  const noiseCount = rng.int(2 * p.noise_mean + 1);
  const weights = NOISE_MIX[kind];
  for (let i = 0; i < noiseCount; i++) {
    (gaps[rng.range(1, style === 'no-test' ? n : n - 1)] as Action[]).push(call(b.noise(weights)));
  }
  const actions: Action[] = [];
  segments.forEach((seg, i) => actions.push(...(gaps[i] as Action[]), ...seg));
  actions.push(...(gaps[n] as Action[]));
  return actions;
}
