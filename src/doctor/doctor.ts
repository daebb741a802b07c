// `agentops-meta doctor`: every check, in the order a person would look. Shell: runs the checks;
// formatDoctor() is pure.
import path from 'node:path';
import type { DataPaths } from '../shell/paths.js';
import { checkInstall } from './install-check.js';
import { measureCaptureLatency, saveLatency } from './latency.js';
import { checkConfig, checkDaemon, checkDataFolder, checkDatabase, checkLearning, checkNode, checkSpool, databaseState, spoolState } from './state-checks.js';
import { summarise, type Check, type DoctorReport, type Severity } from './types.js';

export interface DoctorOptions {
  paths: DataPaths;
  home: string;
  projectDir: string;
  /** this installation (holds hooks/agentops-capture.sh) */
  packageRoot: string;
  /** capture hook runs to time; 0 skips the measurement */
  latencyRuns?: number;
  now?: () => Date;
}

/** Above this capture/node ratio the hook is slower than it should be (the benchmark targets 0.10). */
export const SLOW_RATIO = 0.5;

export function runDoctor(options: DoctorOptions): DoctorReport {
  const now = options.now ?? (() => new Date());
  const checks: Check[] = [checkNode()];
  const { check: configCheck, config } = checkConfig(options.paths, options.projectDir);
  checks.push(configCheck);

  const install = checkInstall({ home: options.home, projectDir: options.projectDir });
  checks.push(...install.checks);

  // Time the hook Claude Code would run: the first installed capture script, else this installation's.
  const hook = install.captureScripts[0] ?? path.join(options.packageRoot, 'hooks', 'agentops-capture.sh');
  let latency = null;
  const runs = options.latencyRuns ?? 15;
  if (runs > 0) {
    const m = measureCaptureLatency(hook, runs, now);
    if (m.error || !m.figures) {
      checks.push({ id: 'hook.run', title: 'capture hook run', severity: 'problem', detail: `${hook} failed: ${m.error}`, fix: 'reinstall agentops-meta (npm install -g agentops-meta), then agentops-meta install' });
    } else if (m.stored !== runs) {
      checks.push({ id: 'hook.run', title: 'capture hook run', severity: 'problem', detail: `${hook} ran ${runs} times but spooled ${m.stored} payloads`, fix: 'check that the temp folder is writable and that sh, date and mv are on PATH' });
    } else {
      latency = m.figures;
      const f = m.figures;
      const slow = f.ratio > SLOW_RATIO;
      checks.push({
        id: 'hook.latency',
        title: 'capture hook latency',
        severity: slow ? 'warn' : 'ok',
        detail: `${f.capture_ms.toFixed(1)} ms vs ${f.node_ms.toFixed(1)} ms for \`node -e 0\` (${f.ratio.toFixed(2)}×, median of ${runs}); payload written`,
        ...(slow ? { fix: 'a slow disk or an overloaded machine; `npm run bench` measures it in detail' } : {}),
      });
      try {
        saveLatency(options.paths, f);
      } catch {
        // the data folder check reports an unwritable folder
      }
    }
  }

  checks.push(checkDataFolder(options.paths));
  const daemon = checkDaemon(options.paths, config);
  checks.push(daemon);
  const nowMs = now().getTime();
  checks.push(...checkSpool(spoolState(options.paths), daemon.severity === 'ok', nowMs));
  const db = databaseState(options.paths);
  checks.push(...checkDatabase(db, options.paths));
  checks.push(...checkLearning(config, options.paths, db.meta, nowMs));
  return summarise(checks, latency);
}

const GLYPH: Record<Severity, string> = { ok: '✓', info: '·', warn: '!', problem: '✗' };

export function formatDoctor(report: DoctorReport, colour: boolean): string {
  const paint = (sev: Severity, s: string) => {
    if (!colour) return s;
    const [open, close] = sev === 'ok' ? [32, 39] : sev === 'warn' ? [33, 39] : sev === 'problem' ? [31, 39] : [2, 22];
    return `\u001b[${open}m${s}\u001b[${close}m`;
  };
  const width = Math.max(...report.checks.map((c) => c.title.length));
  const lines = ['agentops-meta doctor', ''];
  for (const c of report.checks) {
    lines.push(`${paint(c.severity, GLYPH[c.severity])} ${c.title.padEnd(width)}  ${c.detail}`);
    if (c.fix && (c.severity === 'problem' || c.severity === 'warn')) lines.push(`  ${' '.repeat(width)}  fix: ${c.fix}`);
  }
  lines.push('');
  const problems = `${report.problems} problem${report.problems === 1 ? '' : 's'}`;
  const warnings = `${report.warnings} warning${report.warnings === 1 ? '' : 's'}`;
  lines.push(report.ok ? (report.warnings ? `healthy, ${warnings}` : 'healthy') : `${problems}, ${warnings}`);
  return `${lines.join('\n')}\n`;
}
