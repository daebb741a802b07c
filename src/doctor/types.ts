// What `agentops-meta doctor` reports. Pure types.
import type { LatencyFigures } from '../report/build-report.js';

/**
 * ok: as it should be. info: worth knowing, nothing to do. warn: works, but something is off.
 * problem: something does not work; `doctor` exits 1.
 */
export type Severity = 'ok' | 'info' | 'warn' | 'problem';

export interface Check {
  /** stable id, e.g. "install.user", "database.integrity" */
  id: string;
  title: string;
  severity: Severity;
  detail: string;
  /** how to fix it, when there is something to fix */
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  problems: number;
  warnings: number;
  checks: Check[];
  latency: LatencyFigures | null;
}

export function summarise(checks: Check[], latency: LatencyFigures | null): DoctorReport {
  const problems = checks.filter((c) => c.severity === 'problem').length;
  return { ok: problems === 0, problems, warnings: checks.filter((c) => c.severity === 'warn').length, checks, latency };
}
