// One learning run: read events, build traces, learn globally, per project and per subagent type,
// and precompute the planner context. The only I/O is reading the store and writing context files.
import type { Config } from '../config/schema.js';
import type { EventRecord, SessionTrace } from '../core/types.js';
import { format } from 'date-fns';
import { adviceEffects, type AdviceEffect, type Injection } from '../learn/advice-effect.js';
import { adviceDays, type AdviceDay } from '../report/advice-panel.js';
import { learn } from '../learn/learn.js';
import { mineParallel } from '../learn/parallel.js';
import { laterStates, recordFirstReports, type FirstReports, type LaterEvidence } from '../learn/prospective.js';
import { buildTraces, subagentTraces } from '../learn/traces.js';
import { makeVocabulary } from '../learn/vocabulary.js';
import type { LearnOptions, LearnResult } from '../learn/types.js';
import { buildContextBundle, type ContextBundle } from '../plan/context-bundle.js';
import { buildHistory, type OrchestrateHistory } from '../orchestrate/history.js';
import type { EventStore } from '../store/port.js';

export interface LearnRun {
  result: LearnResult;
  traces: SessionTrace[];
  projects: Map<string, LearnResult>;
  subagents: Map<string, LearnResult>;
  /** the planner context, and what `orchestrate` reads (context/orchestrate.json; writeContext writes both) */
  bundle: ContextBundle & { orchestrate?: OrchestrateHistory };
  /** time the evidence is weighed at: the end of the newest session, so the same data learns the same */
  as_of: number;
  /** did the injected advice help? (each piece against the sessions it was withheld from, and the holdout) */
  advice: AdviceEffect[];
  /** told vs holdout sessions by local day (metrics/advice.json) */
  advice_days: AdviceDay[];
  /** what the sessions after each global pattern's first report say about it, by prospectiveKey */
  later: Map<string, LaterEvidence>;
}

/** Meta key of the first-report times: { [scope]: { [prospectiveKey]: ms } }, scope 'global', 'project:<dir>' or 'agent:<type>'. */
export const FIRST_REPORTED_META = 'first_reported';

type Scope = 'global' | `project:${string}` | `agent:${string}`;

function readFirstReports(store: LearnMeta): Record<string, FirstReports> {
  try {
    const parsed: unknown = JSON.parse(store.getMeta(FIRST_REPORTED_META) ?? '{}');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    const out: Record<string, FirstReports> = {};
    for (const [scope, entries] of Object.entries(parsed as Record<string, unknown>)) {
      if (entries === null || typeof entries !== 'object') continue;
      out[scope] = Object.fromEntries(Object.entries(entries as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number'));
    }
    return out;
  } catch {
    // unreadable: every pattern counts as first reported by this run
    return {};
  }
}

/**
 * Records when each scope's patterns were first reported (this run's as_of for the new ones; earlier
 * runs' for the others, also for patterns not reported now) and returns their later evidence per scope.
 */
function checkOnLaterSessions(store: LearnMeta, scopes: readonly [Scope, LearnResult, readonly SessionTrace[]][], asOf: number): Map<Scope, Map<string, LaterEvidence>> {
  const first = readFirstReports(store);
  const out = new Map<Scope, Map<string, LaterEvidence>>();
  for (const [scope, result, traces] of scopes) {
    first[scope] = recordFirstReports(first[scope] ?? {}, result, asOf);
    out.set(scope, laterStates(traces, result, first[scope]!));
  }
  store.setMeta(FIRST_REPORTED_META, JSON.stringify(first));
  return out;
}

/** AgentopsInjection records the planner hooks spooled: which advice went into which session. */
export function injectionsOf(events: readonly EventRecord[]): Injection[] {
  const out: Injection[] = [];
  for (const e of events) {
    if (e.event !== 'AgentopsInjection') continue;
    try {
      const p = JSON.parse(e.payload) as { hook?: unknown; holdout?: unknown; ids?: unknown; withheld?: unknown };
      const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
      out.push({ session_id: e.session_id, ts_ms: e.ts_ms, hook: String(p.hook ?? ''), holdout: p.holdout === true, ids: strings(p.ids), withheld: strings(p.withheld) });
    } catch {
      // a record we cannot read tells us nothing
    }
  }
  return out;
}

export function learnOptions(config: Config, now: number): Partial<LearnOptions> & { now: number } {
  const l = config.learn;
  return { now, min_sessions: l.min_sessions, min_known: Math.max(1, Math.ceil(l.min_sessions / 2)), max_gap: l.max_gap, max_len: l.max_len, half_life_days: l.half_life_days, window: l.window };
}

/** Learning on one set of traces: sequential and anti-patterns from the learner, parallel ones beside. */
export function learnAll(traces: readonly SessionTrace[], config: Config, now: number): LearnResult {
  const result = learn(traces, learnOptions(config, now));
  result.parallel = mineParallel([...traces], { min_sessions: config.learn.min_sessions, window: config.learn.window });
  return result;
}

/**
 * Traces and injection records from events that arrive ordered by session, one session at a time:
 * only one session's events are held at once, so a long history costs the size of its traces, not
 * of its events. Fed by the local store here, by the shared store in src/org/learn-org.ts.
 */
export class TraceCollector {
  private readonly traces: SessionTrace[] = [];
  private readonly injections: Injection[] = [];
  private session: EventRecord[] = [];
  private readonly vocabulary = makeVocabulary({});
  /**
   * One string per activity, outcome and agent name across sessions: each row read brings its own
   * copy, and a million events' copies were a sixth of the traces' memory. The learner's peak heap is
   * a multiple (about three) of what stays live, and the traces are most of that.
   */
  private readonly names = new Map<string, string>();

  add(e: EventRecord): void {
    if (this.session.length && this.session[0]!.session_id !== e.session_id) this.flush();
    this.session.push(e);
    if (e.event === 'AgentopsInjection') this.injections.push(...injectionsOf([e]));
  }

  finish(): { traces: SessionTrace[]; injections: Injection[] } {
    this.flush();
    return { traces: this.traces, injections: this.injections };
  }

  private flush(): void {
    if (this.session.length) {
      for (const t of buildTraces(this.session, { vocabulary: this.vocabulary })) {
        for (const step of t.steps) {
          step.activity = this.shared(step.activity);
          step.outcome = this.shared(step.outcome);
          if (step.agent !== null) step.agent = this.shared(step.agent);
          // Nothing that learns reads a step's call id (exports build their own traces): another
          // fifth of the traces' memory, one unique string per call.
          step.tool_use_id = null;
        }
        this.traces.push(t);
      }
    }
    this.session = [];
  }

  private shared<S extends string>(name: S): S {
    const known = this.names.get(name);
    if (known !== undefined) return known as S;
    this.names.set(name, name);
    return name;
  }
}

function readTraces(store: EventStore): { traces: SessionTrace[]; injections: Injection[] } {
  const collector = new TraceCollector();
  store.forEachEvent((e) => collector.add(e), { lean: true });
  return collector.finish();
}

/** Where a learning run keeps when each pattern was first reported (FIRST_REPORTED_META). */
export type LearnMeta = Pick<EventStore, 'getMeta' | 'setMeta'>;

/** Advice stopped on some night, by id, with when (ms): a stop is kept (advice-effect.ts). */
export const ADVICE_STOPPED_META = 'advice_stopped';

/** Advice stopped on earlier nights (ADVICE_STOPPED_META): the learner keeps them stopped, the report shows them so. */
export function readAdviceStops(store: Pick<LearnMeta, 'getMeta'>): Map<string, number> {
  try {
    const v = JSON.parse(store.getMeta(ADVICE_STOPPED_META) ?? '{}') as Record<string, unknown>;
    return new Map(Object.entries(v).filter((e): e is [string, number] => typeof e[1] === 'number'));
  } catch {
    return new Map(); // a damaged record: stops are found again from the evidence
  }
}

export function runLearning(store: EventStore, config: Config, fallbackNow: number): LearnRun {
  return learnFromTraces(readTraces(store), store, config, fallbackNow);
}

/** Appends in place (copying the list per trace made grouping quadratic in a project's sessions). */
function pushTo<T>(groups: Map<string, T[]>, key: string, item: T): void {
  const list = groups.get(key);
  if (list) list.push(item);
  else groups.set(key, [item]);
}

/** The learning run on traces already read (from the local store, or the shared one). */
export function learnFromTraces({ traces, injections }: { traces: SessionTrace[]; injections: Injection[] }, meta: LearnMeta, config: Config, fallbackNow: number): LearnRun {
  // Decay is measured from the newest session, not the wall clock: rerunning on unchanged data gives
  // byte-identical results, so the nightly commit is empty when nothing new happened.
  const newest = traces.reduce((m, t) => Math.max(m, t.end_ms), -Infinity);
  const now = Number.isFinite(newest) ? newest : fallbackNow;
  const stoppedBefore = readAdviceStops(meta);
  const advice = adviceEffects(traces, injections, {
    max_gap: config.learn.max_gap,
    holdout_share: config.planner.holdout_share,
    withheld_share: config.planner.withhold_share / Math.max(1, config.planner.top),
    stopped_before: stoppedBefore,
    now,
  });
  const stopped = new Map(stoppedBefore);
  for (const a of advice) if (a.stopped_at !== null && !stopped.has(a.id)) stopped.set(a.id, a.stopped_at);
  if (stopped.size > stoppedBefore.size) meta.setMeta(ADVICE_STOPPED_META, JSON.stringify(Object.fromEntries(stopped)));
  const result = learnAll(traces, config, now);
  const enough = (n: number) => n >= config.learn.min_sessions;

  const byProject = new Map<string, SessionTrace[]>();
  for (const t of traces) if (t.project) pushTo(byProject, t.project, t);
  const projects = new Map<string, LearnResult>();
  // A project gets advice of its own only when it has enough sessions, and more than one project exists.
  if (byProject.size > 1) for (const [p, ts] of byProject) if (enough(ts.length)) projects.set(p, learnAll(ts, config, now));

  const byAgent = new Map<string, SessionTrace[]>();
  for (const t of traces) {
    for (const sub of subagentTraces(t)) {
      const agent = sub.steps[0]?.agent;
      if (agent) pushTo(byAgent, agent, sub);
    }
  }
  const subagents = new Map<string, LearnResult>();
  for (const [agent, ts] of byAgent) if (enough(ts.length)) subagents.set(agent, learnAll(ts, config, now));

  const later = checkOnLaterSessions(meta, [
    ['global', result, traces],
    ...[...projects].map(([p, r]): [Scope, LearnResult, SessionTrace[]] => [`project:${p}`, r, byProject.get(p)!]),
    ...[...subagents].map(([a, r]): [Scope, LearnResult, SessionTrace[]] => [`agent:${a}`, r, byAgent.get(a)!]),
  ], now);

  const bundle = buildContextBundle({
    global: result,
    projects,
    subagents,
    traces,
    budget_chars: config.planner.budget_chars,
    top: config.planner.top,
    min_relevance: config.planner.min_relevance,
    holdout_share: config.planner.holdout_share,
    max_gap: config.learn.max_gap,
    withhold_share: config.planner.withhold_share,
    demoted: new Set(stopped.keys()),
    later: {
      global: later.get('global'),
      projects: new Map([...projects.keys()].map((p) => [p, later.get(`project:${p}`)!])),
      subagents: new Map([...subagents.keys()].map((a) => [a, later.get(`agent:${a}`)!])),
    },
  });
  const orchestrate = buildHistory({ traces, global: result, projects, as_of: now });
  const advice_days = adviceDays(traces, injections, (ms) => format(ms, 'yyyy-MM-dd'));
  return { result, traces, projects, subagents, bundle: { ...bundle, orchestrate }, advice, advice_days, as_of: now, later: later.get('global')! };
}
