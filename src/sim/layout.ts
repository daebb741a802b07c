// Lays a planned session out in time: turns and prompts, tool calls with start/end, subagents
// enclosed by their Agent call, unique strictly increasing timestamps; and when each session starts. Pure.
import { Rng, deriveSeed } from './rng.js';
import { Builder } from './builder.js';
import { PROJECTS } from './fixtures.js';
import type { CallSpec, EventKind, SimAgent, SimCall, SimEvent, SimSession } from './model.js';
import { resolvePlanted, type PlantedOptions, type SimulateOptions } from './options.js';
import { passRate, pickStyle, planSession } from './plan-session.js';
import { FOLLOW_UPS, GENERIC_PROMPTS, GENERIC_SHARE, PROMPTS, pickKind, promptKind } from './task-kinds.js';

const DAY_MS = 86_400_000;

// ---- layout: timestamps --------------------------------------------------------------------

function toolUseId(rng: Rng): string {
  return `toolu_01${rng.base62(22)}`;
}

function buildSession(seed: number, index: number, startMs: number, p: PlantedOptions): SimSession {
  const rng = new Rng(deriveSeed(seed, index));
  const proj = rng.pick(PROJECTS);
  const b = new Builder(rng, proj, p);
  const style = pickStyle(rng, p);
  const passed = style === 'no-test' ? null : rng.chance(passRate(style, p));
  const kind = pickKind(rng, style !== 'no-test');
  const prompt_kind = promptKind(rng, kind, p.prompt_signal);
  const actions = planSession(rng, b, style, kind, passed, p);
  const prompts = PROMPTS[proj.name]![prompt_kind];

  const session_id = rng.uuid();
  const session: SimSession = {
    session_id, project: proj, style, kind, prompt_kind, passed,
    transcript_path: `/home/dev/.claude/projects/${proj.slug}/${session_id}.jsonl`,
    permission_mode: rng.chance(0.3) ? 'acceptEdits' : 'default',
    prompts: [], prompt_ids: [], events: [], calls: [], stop_failures: 0, interrupts: 0,
  };
  const events: SimEvent[] = [];
  const push = (ts: number, kind: EventKind, turn: number, call: SimCall | null = null, agent: SimAgent | null = null): void => {
    events.push({ ts, kind, turn, call, agent });
  };

  // Turn boundaries: 1–3 prompts, each owning a contiguous run of actions.
  const turnStarts = new Set<number>([0]);
  const extraTurns = (rng.chance(0.4) ? 1 : 0) + (rng.chance(0.2) ? 1 : 0);
  for (let i = 0; i < extraTurns && actions.length > 1; i++) turnStarts.add(rng.range(1, actions.length - 1));

  let t = startMs;
  push(t, 'SessionStart', -1);
  t += rng.range(2000, 60000);
  let turn = -1;

  const startCall = (spec: CallSpec, at: number, agent: SimAgent | null): SimCall => {
    const c: SimCall = { spec, tool_use_id: toolUseId(rng), agent, start: at, end: at + spec.duration, launched: null };
    session.calls.push(c);
    if (spec.outcome === 'interrupted') session.interrupts++;
    push(c.start, 'PreToolUse', turn, c);
    push(c.end, spec.outcome === 'ok' ? 'PostToolUse' : 'PostToolUseFailure', turn, c);
    return c;
  };
  const endTurn = (): void => {
    t += rng.range(500, 4000);
    if (rng.chance(p.stop_failure_rate)) {
      session.stop_failures++;
      push(t, 'StopFailure', turn);
    } else {
      push(t, 'Stop', turn);
    }
  };

  actions.forEach((action, i) => {
    if (turnStarts.has(i)) {
      if (turn >= 0) {
        endTurn();
        t += rng.range(20_000, 600_000); // the user reads, thinks, types
      }
      turn++;
      // The first prompt says what the task is (or, sometimes, nothing); later ones follow up.
      const pool = turn === 0 ? (rng.chance(GENERIC_SHARE) ? GENERIC_PROMPTS : prompts) : rng.chance(0.5) ? FOLLOW_UPS : prompts;
      session.prompts.push(rng.pick(pool).replace('{file}', rng.pick(proj.files)));
      session.prompt_ids.push(rng.uuid());
      push(t, 'UserPromptSubmit', turn);
    }
    t += rng.range(800, 9000); // model latency before the next tool call
    if (action.kind === 'call') {
      t = startCall(action.spec, t, null).end;
    } else if (action.kind === 'batch') {
      // Parallel tool calls of one assistant message: Pre hooks a few ms apart, Posts as each finishes.
      let end = t;
      action.specs.forEach((spec, k) => {
        end = Math.max(end, startCall(spec, t + k * rng.range(1, 3), null).end);
      });
      t = end;
    } else {
      let end = t;
      action.agents.forEach((plan, k) => {
        const pre = t + k * rng.range(1, 3);
        const agent: SimAgent = { id: `a${rng.hex(16)}`, type: plan.type };
        push(pre + rng.range(4, 10), 'SubagentStart', turn, null, agent);
        let u = pre + rng.range(300, 2000);
        for (const spec of plan.inner) {
          u = startCall(spec, u, agent).end + rng.range(200, 3000);
        }
        const stop = u + rng.range(300, 2000);
        push(stop, 'SubagentStop', turn, null, agent);
        const post = stop + rng.range(2, 6);
        const response = {
          status: 'completed', agentId: agent.id, agentType: plan.type,
          content: [{ type: 'text', text: `Done: ${plan.description.toLowerCase()}.` }],
          totalToolUseCount: plan.inner.length, totalTokens: plan.tokens,
          usage: { input_tokens: Math.floor(plan.tokens * 0.9), output_tokens: Math.ceil(plan.tokens * 0.1) },
          prompt: plan.prompt,
        };
        const spec: CallSpec = {
          tool_name: 'Agent', activity: `Agent:${plan.type}`,
          input: { description: plan.description, prompt: plan.prompt, subagent_type: plan.type, run_in_background: false },
          duration: post - pre, outcome: 'ok', response, error: null, test: null,
        };
        const c = startCall(spec, pre, null);
        c.launched = agent;
        end = Math.max(end, post);
      });
      t = end;
    }
  });
  if (turn >= 0) endTurn();
  t += rng.range(5000, 600_000);
  push(t, 'SessionEnd', -1);

  // Order by time (stable), then make timestamps unique and strictly increasing within the session,
  // so that any consumer ordering by ts_ms sees exactly this order. Start/end follow the final times.
  const order = events.map((_, k) => k).sort((x, y) => (events[x] as SimEvent).ts - (events[y] as SimEvent).ts || x - y);
  let prev = -Infinity;
  for (const k of order) {
    const ev = events[k] as SimEvent;
    if (ev.ts <= prev) ev.ts = prev + 1;
    prev = ev.ts;
    session.events.push(ev);
    if (ev.call !== null) {
      if (ev.kind === 'PreToolUse') ev.call.start = ev.ts;
      else ev.call.end = ev.ts;
    }
  }
  return session;
}

function sessionStart(o: SimulateOptions, i: number): number {
  // Even spread with jitter: session i starts in slot i of `sessions` equal slots over the period.
  const span = (o.days ?? 30) * DAY_MS;
  const slot = span / Math.max(1, o.sessions);
  const jitter = new Rng(deriveSeed(o.seed ^ 0x5eed, i)).next();
  return Math.floor(o.start_ms + (i + 0.1 + 0.8 * jitter) * slot);
}

export function* sessions(o: SimulateOptions): Generator<SimSession> {
  const p = resolvePlanted(o.planted);
  for (let i = 0; i < o.sessions; i++) yield buildSession(o.seed, i, sessionStart(o, i), p);
}
