// The one configuration file: schema, documented defaults, layering, and where each value came
// from. Pure: loading the files is src/config/load.ts.
import { z } from 'zod';

/** Claude Code caps injected context at 10,000 characters; we never go above it. */
export const CLAUDE_CONTEXT_CAP = 10_000;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time as HH:MM');

export const configSchema = z.strictObject({
  learn: z
    .strictObject({
      /** a pattern needs at least this many sessions before it is reported */
      min_sessions: z.number().int().min(1).default(20),
      /** PrefixSpan: at most this many steps between two pattern steps */
      max_gap: z.number().int().min(1).max(50).default(5),
      /** longest pattern, in steps */
      max_len: z.number().int().min(2).max(8).default(4),
      /** evidence loses half its weight after this many days */
      half_life_days: z.number().positive().default(30),
      /** eventually-follows and episode window, in steps */
      window: z.number().int().min(2).max(50).default(5),
      /** newest share of sessions held out to evaluate next-activity prediction and plans (metrics/eval.json); patterns are validated on later sessions instead */
      test_share: z.number().min(0.05).max(0.5).default(0.25),
    })
    .prefault({}),
  planner: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** characters per injection; the renderer enforces it */
      budget_chars: z.number().int().min(200).max(CLAUDE_CONTEXT_CAP).default(1500),
      /** most patterns per injection */
      top: z.number().int().min(1).max(20).default(5),
      /**
       * share of sessions that get no injection, chosen at random and recorded, to measure whether advice helps.
       * Sessions (told + holdout) the anytime-valid test needs to detect an uplift with 80% power at a 50% pass
       * rate (sessionsToDetect in src/learn/advice-effect.ts): 0.1 → +20 points in 1,028, +10 in 4,380; 0.2 →
       * +20 in 579, +10 in 2,378, at the price of 0.2 × the uplift in the held-out sessions. 0.2 is the
       * recommended value (issue 14, bench/loop.mjs); the default is still 0.1.
       */
      holdout_share: z.number().min(0).max(0.9).default(0.1),
      /**
       * share of sessions shown their advice with one item, chosen at random, left out (and recorded), so each
       * item is measured on its own against sessions told everything else (a trap shown next to a good recipe
       * would otherwise share its uplift). Each item is withheld from about this share / items shown.
       */
      withhold_share: z.number().min(0).max(0.9).default(0.3),
      /** prompt-conditioned injection needs at least this relevance score */
      min_relevance: z.number().min(0).default(0.5),
    })
    // one coin decides both (hooks/agentops-session-start.sh): below holdout, then below holdout + withhold
    .refine((p) => p.holdout_share + p.withhold_share <= 0.9, { message: 'holdout_share + withhold_share must be at most 0.9', path: ['withhold_share'] })
    .prefault({}),
  gate: z
    .strictObject({
      /** Stop hook blocks once when files were edited after the last passing test run */
      stop: z.boolean().default(false),
      /** also block when the session ran no tests at all */
      require_tests: z.boolean().default(false),
    })
    .prefault({}),
  privacy: z
    .strictObject({
      /** longest string kept in a stored payload */
      max_field_chars: z.number().int().min(100).max(1_000_000).default(4000),
      /**
       * sessions started with one of these CLAUDE_CODE_ENTRYPOINT values are neither captured nor advised
       * (observer isolation: e.g. ["sdk-cli"] for other tools' background `claude -p` analysers);
       * a tool can also set AGENTOPS_META_DISABLE=1 in the environment of the sessions it starts
       */
      exclude_entrypoints: z.array(z.string().regex(/^[A-Za-z0-9_.-]+$/)).default([]),
    })
    .prefault({}),
  nightly: z
    .strictObject({
      /** local time of the nightly learn and commit */
      time: hhmm.default('03:00'),
      commit: z.boolean().default(true),
      /** learning repository; null = <data>/library, a git repository made on first use (never the agentops-meta checkout unless named here) */
      repo: z.string().nullable().default(null),
      /** identity for learning commits when git has none */
      author_name: z.string().default('agentops-meta'),
      author_email: z.string().default('agentops-meta@localhost'),
    })
    .prefault({}),
  retention: z
    .strictObject({
      /** sessions whose last event is older than this are deleted (the learned library keeps their evidence) */
      max_age_days: z.number().int().min(1).default(365),
      /** the database is kept under this size: the oldest sessions go first */
      max_db_mb: z.number().min(1).default(1024),
    })
    .prefault({}),
  daemon: z
    .strictObject({
      autostart: z.boolean().default(true),
      debounce_ms: z.number().int().min(50).max(600_000).default(2000),
      /** how often the daemon checks that its data folder and hooks still exist (it exits when they are gone) */
      check_ms: z.number().int().min(100).max(60_000).default(30_000),
    })
    .prefault({}),
  store: z
    .strictObject({
      /**
       * the shared PostgreSQL store the daemon ships this machine's redacted events to, postgres://user@host:port/database;
       * null = none. Keep the password out of it: PGPASSWORD or ~/.pgpass. Read from the user's config only (never a project's).
       */
      remote: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').nullable().default(null),
      /** the team label stored with every shipped event (learn --store URL --team T learns from one team) */
      team: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)').nullable().default(null),
      /** projects (a folder, or its last segment) whose events never leave this machine */
      exclude_projects: z.array(z.string().min(1)).default([]),
      /**
       * where this machine's planner advice is learned: 'local' (its own sessions) or 'shared' (the
       * shared store's: every shipping machine's sessions, store.team's when set). With 'shared', the
       * daemon's nightly run and `learn --store <store.remote>` write the planner context from the
       * shared store, and the local learning runs between them leave it alone. Needs store.remote.
       */
      advice: z.enum(['local', 'shared']).default('local'),
    })
    .refine((s) => s.advice === 'local' || s.remote !== null, { message: 'store.advice "shared" needs store.remote', path: ['advice'] })
    .prefault({}),
  export: z
    .strictObject({
      /**
       * an OpenTelemetry collector the daemon sends finished sessions to as OTLP/HTTP logs (as
       * `export --format otlp --endpoint`): http(s)://host:4318, or a full …/v1/logs URL; null = none.
       * Read from the user's config only (never a project's).
       */
      otlp_endpoint: z.string().regex(/^https?:\/\//, 'expected an http:// or https:// URL').nullable().default(null),
      otlp_protocol: z.enum(['http/protobuf', 'http/json']).default('http/protobuf'),
      /** a session is sent once it has had no event for this long (so it is sent once, finished) */
      otlp_quiet_minutes: z.number().int().min(1).max(24 * 60).default(10),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigSourceName = 'default' | string;

export interface ConfigLayer {
  /** e.g. "~/.agentops-meta/config.json" */
  source: string;
  values: unknown;
}

export type ConfigResult =
  | { ok: true; config: Config; sources: Record<string, ConfigSourceName> }
  | { ok: false; errors: string[] };

export const DEFAULT_CONFIG: Config = configSchema.parse({});

/**
 * Layers later in the list override earlier ones, key by key. Returns every validation error with
 * the file it came from, instead of throwing at the first.
 */
export function resolveConfig(layers: readonly ConfigLayer[]): ConfigResult {
  const errors: string[] = [];
  const merged: Record<string, Record<string, unknown>> = {};
  const sources: Record<string, string> = {};
  for (const [key, value] of Object.entries(flatten(DEFAULT_CONFIG))) {
    setPath(merged, key, value);
    sources[key] = 'default';
  }
  for (const layer of layers) {
    const check = configSchema.safeParse(layer.values);
    if (!check.success) {
      for (const issue of check.error.issues) errors.push(`${layer.source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      continue;
    }
    for (const [key, value] of Object.entries(flatten(layer.values))) {
      setPath(merged, key, value);
      sources[key] = layer.source;
    }
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, config: configSchema.parse(merged), sources };
}

/** {"a": {"b": 1}} → {"a.b": 1}; arrays are values. */
export function flatten(value: unknown, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v, key));
    else out[key] = v;
  }
  return out;
}

function setPath(target: Record<string, Record<string, unknown>>, key: string, value: unknown): void {
  const [section, field] = key.split('.') as [string, string];
  (target[section] ??= {})[field] = value;
}
