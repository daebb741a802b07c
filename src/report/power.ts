// "How much history does the learner need?": the power curve of the simulated recipe worlds
// (metrics/quality.json, written by `npm run bench -- quality` from src/sim/world-sweep.ts), and where
// the user's own session count falls on it. Pure: the shell reads and validates the file.
import type { SweepRow } from '../sim/world-sweep.js';

/** metrics/quality.json as bench/quality.mjs writes it. */
export interface QualityDoc {
  generated_by: string;
  node_e0_ms: number;
  worlds_per_setting: number;
  settings: SweepRow[];
}

/** The three lines, by corpus size, and the user's place on them. */
export interface PowerCurve {
  generated_by: string;
  /** worlds per setting: each share is out of this many */
  worlds: number;
  /** x: corpus sizes of the default and null worlds, ascending */
  sessions: number[];
  /** shares of default worlds whose exact good recipe was in the top 3 (null: size not run) */
  good_top3: (number | null)[];
  /** shares of default worlds whose exact anti recipe was flagged */
  anti_flagged: (number | null)[];
  /** shares of null worlds (nothing planted) where anything was reported: the false-alarm rate */
  false_alarm: (number | null)[];
  /** the other world kinds, for the table under the curve */
  harder: SweepRow[];
  you: ReadOff | null;
}

/** What the curve says for the user's session count. */
export interface ReadOff {
  sessions: number;
  /** below the smallest simulated size, between two, or above the largest */
  where: 'below' | 'within' | 'above';
  /** position on the x axis as a fractional index into `sessions` (clamped to the ends) */
  at: number;
  good_top3: number | null;
  anti_flagged: number | null;
  false_alarm: number | null;
}

export const DEFAULT_KIND = 'default';
export const NULL_KIND = 'null';

/** The curve from the benchmark's rows; null when it holds no default or null worlds to draw. */
export function powerCurve(doc: QualityDoc, userSessions: number): PowerCurve | null {
  const main = doc.settings.filter((r) => r.kind === DEFAULT_KIND || r.kind === NULL_KIND);
  if (!main.length) return null;
  const sessions = [...new Set(main.map((r) => r.sessions))].sort((a, b) => a - b);
  const rowAt = (kind: string, n: number) => main.find((r) => r.kind === kind && r.sessions === n);
  const good_top3 = sessions.map((n) => rowAt(DEFAULT_KIND, n)?.good_top3 ?? null);
  const anti_flagged = sessions.map((n) => rowAt(DEFAULT_KIND, n)?.anti_flagged ?? null);
  const false_alarm = sessions.map((n) => rowAt(NULL_KIND, n)?.any_report ?? null);
  const curve = { generated_by: doc.generated_by, worlds: doc.worlds_per_setting, sessions, good_top3, anti_flagged, false_alarm };
  return {
    ...curve,
    harder: doc.settings.filter((r) => r.kind !== DEFAULT_KIND && r.kind !== NULL_KIND),
    you: userSessions > 0 ? readOff(curve, userSessions) : null,
  };
}

/**
 * The curve at `n` sessions. The chart spaces the sizes evenly, and they grow about geometrically
 * (100, 200, 400, 1000), so between two sizes the position and the values are interpolated on
 * log(sessions): the marker then crosses each drawn line exactly at the value read off here.
 * Outside the simulated sizes nothing is extrapolated: the nearest end is reported, and `where` says so.
 */
export function readOff(curve: Pick<PowerCurve, 'sessions' | 'good_top3' | 'anti_flagged' | 'false_alarm'>, n: number): ReadOff {
  const xs = curve.sessions;
  const last = xs.length - 1;
  let at: number;
  let where: ReadOff['where'];
  if (n <= xs[0]!) {
    at = 0;
    where = n === xs[0] ? 'within' : 'below';
  } else if (n >= xs[last]!) {
    at = last;
    where = n === xs[last] ? 'within' : 'above';
  } else {
    const i = xs.findIndex((x) => x > n) - 1;
    at = i + Math.log(n / xs[i]!) / Math.log(xs[i + 1]! / xs[i]!);
    where = 'within';
  }
  const value = (ys: (number | null)[]): number | null => {
    const lo = Math.floor(at);
    const hi = Math.ceil(at);
    const a = ys[lo] ?? null;
    const b = ys[hi] ?? null;
    if (a === null || b === null) return lo === hi ? a : null;
    return a + (b - a) * (at - lo);
  };
  return { sessions: n, where, at, good_top3: value(curve.good_top3), anti_flagged: value(curve.anti_flagged), false_alarm: value(curve.false_alarm) };
}

const percent = (x: number | null, about = false) => (x === null ? '-' : `${about ? '~' : ''}${Math.round(x * 100)}%`);

/** One plain line: what simulated worlds of the user's size got (terminal summary, HTML caption). */
export function readOffSentence(curve: PowerCurve): string | null {
  const y = curve.you;
  if (!y) return null;
  const xs = curve.sessions;
  // Between two simulated sizes the figures are read off the drawn lines: approximate.
  const about = y.where === 'within' && !xs.includes(y.sessions);
  const got = `name the planted recipe in ${percent(y.good_top3, about)}, flag the anti recipe in ${percent(y.anti_flagged, about)}, false alarms ${percent(y.false_alarm, about)}`;
  if (y.where === 'below') return `with ${y.sessions} sessions, fewer than the smallest simulated worlds (${xs[0]} sessions, which ${got}): expect less`;
  if (y.where === 'above') return `with ${y.sessions} sessions, more than the largest simulated worlds (${xs[xs.length - 1]} sessions, which ${got})`;
  return `with ${y.sessions} sessions, simulated worlds ${got}`;
}
