// Spool file names carry what the hook knew without parsing: "<arrival ns>-<pid>-<Event>.json". Pure.

export interface SpoolName {
  /** unique event id: the name without ".json" */
  id: string;
  ts_ms: number;
  event: string | null;
}

const SPOOL_NAME = /^(\d{10,20})-(\d+)-([A-Za-z]+)\.json$/;

export function parseSpoolName(name: string): SpoolName | null {
  const m = SPOOL_NAME.exec(name);
  if (!m) return null;
  const ns = m[1]!;
  // Nanoseconds exceed 2^53: drop the last six digits as text instead of dividing a float.
  const ts_ms = Number(ns.length > 6 ? ns.slice(0, -6) : '0');
  return { id: name.slice(0, -5), ts_ms, event: m[3] === 'Unknown' ? null : m[3]! };
}
