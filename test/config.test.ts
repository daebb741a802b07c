import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setConfigValue } from '../src/config/load.js';
import { CLAUDE_CONTEXT_CAP, DEFAULT_CONFIG, resolveConfig } from '../src/config/schema.js';
import { tempDirs } from './helpers/temp-dirs.js';

const temp = tempDirs('am-config-');

describe('config', () => {
  it('has documented defaults', () => {
    expect(DEFAULT_CONFIG.planner).toEqual({ enabled: true, budget_chars: 1500, top: 5, holdout_share: 0.1, withhold_share: 0.3, min_relevance: 0.5 });
    expect(DEFAULT_CONFIG.gate.stop).toBe(false);
    expect(DEFAULT_CONFIG.nightly.time).toBe('03:00');
    // No learning repository by default: <data>/library, never the agentops-meta checkout (issue 12).
    expect(DEFAULT_CONFIG.nightly.repo).toBeNull();
  });

  it('one coin decides holdout and withheld items: their shares may not add up past 0.9', () => {
    expect(resolveConfig([{ source: 'a.json', values: { planner: { holdout_share: 0.5, withhold_share: 0.4 } } }]).ok).toBe(true);
    const r = resolveConfig([{ source: 'a.json', values: { planner: { holdout_share: 0.5, withhold_share: 0.41 } } }]);
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).toContain('withhold_share');
  });

  it('the daemon checks for its data folder and hooks at least once a minute', () => {
    expect(DEFAULT_CONFIG.daemon.check_ms).toBeLessThanOrEqual(60_000);
    expect(resolveConfig([{ source: 'a.json', values: { daemon: { check_ms: 60_001 } } }]).ok).toBe(false);
  });

  it('setConfigValue sets one key and keeps the rest; it refuses what would make the file invalid', () => {
    const file = path.join(temp(), 'config.json');
    setConfigValue(file, 'nightly.repo', '/srv/library');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ nightly: { repo: '/srv/library' } });
    fs.writeFileSync(file, JSON.stringify({ nightly: { time: '04:00' }, learn: { min_sessions: 5 } }));
    setConfigValue(file, 'nightly.repo', '/srv/other');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ nightly: { time: '04:00', repo: '/srv/other' }, learn: { min_sessions: 5 } });
    expect(() => setConfigValue(file, 'nightly.repo', 42)).toThrow(/nightly\.repo/);
    fs.writeFileSync(file, '{');
    expect(() => setConfigValue(file, 'nightly.repo', '/srv/x')).toThrow(/not valid JSON/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{');
  });

  it('layers files key by key and says where each value came from', () => {
    const r = resolveConfig([
      { source: 'user.json', values: { planner: { budget_chars: 3000, top: 3 } } },
      { source: 'project.json', values: { planner: { top: 2 }, gate: { stop: true } } },
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.planner).toMatchObject({ budget_chars: 3000, top: 2, holdout_share: 0.1 });
    expect(r.config.gate.stop).toBe(true);
    expect(r.sources).toMatchObject({ 'planner.budget_chars': 'user.json', 'planner.top': 'project.json', 'gate.stop': 'project.json', 'planner.holdout_share': 'default' });
  });

  it('returns every error with its file instead of throwing', () => {
    const r = resolveConfig([
      { source: 'a.json', values: { planner: { budget_chars: CLAUDE_CONTEXT_CAP + 1 }, nightly: { time: '25:00' } } },
      { source: 'b.json', values: { plannr: {} } },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(3);
    expect(r.errors.join('\n')).toMatch(/a\.json: planner\.budget_chars/);
    expect(r.errors.join('\n')).toMatch(/a\.json: nightly\.time: expected a local time/);
    expect(r.errors.join('\n')).toMatch(/b\.json: .*plannr/);
  });
});
