// Reliability item 2: thousands of hostile payloads (test/reliability/hostile.ts) through the real
// capture hook, and the SessionStart planner hook for SessionStart ones; then ingest must store or
// quarantine each one as its kind says, never throw, and let no planted secret into the database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalize } from '../../src/core/normalize.js';
import { CAPTURE_EVENTS } from '../../src/install/hook-spec.js';
import { dataPaths } from '../../src/shell/paths.js';
import { leakedSecrets, SECRET_SAMPLES, type SecretSample } from '../helpers/secrets-corpus.js';
import { databaseBytes, databaseValues, integrity, query } from './db.js';
import { buildHostile, eventOf, HOSTILE_KINDS, planHostile, type Fate, type HostileKind, type HostilePayload } from './hostile.js';
import { CAPTURE_HOOK, HOOK_BUDGET_MS, hookEnv, percentile, pool, runCli, runHook, sessionStartCommand, shellQuote } from './spawn.js';

const SEED = Number(process.env.AGENTOPS_RELIABILITY_SEED ?? 20_250_701);
const COUNT = 5_000;
const WIDTH = 16;
/** Every SessionStart payload, whatever its size, also goes through the planner hook (BUG 1 below). */
const PLANNER_MAX_BYTES = Number.POSITIVE_INFINITY;

interface Sent {
  index: number;
  kind: HostileKind;
  arg: string;
  size: number;
  fate: Fate;
  secrets: string[];
  /** the event part of the spool file name the hook must choose */
  spoolEvent: string;
  /** the capture event the spec was built for */
  event: string;
}

const temps: string[] = [];
const tempDir = (prefix: string): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const home = tempDir('am-rel-hostile-');
const paths = dataPaths({ AGENTOPS_META_HOME: home });
const userHome = tempDir('am-rel-user-');
// Arrival times near now: the planner hook's health check would speak up about a day-old spool file.
const clockBase = BigInt(Date.now()) * 1_000_000n;
const STEP = 1_000n;
const clockOf = (index: number): bigint => clockBase + BigInt(index) * STEP;
const indexOfId = (id: string): number => {
  const ns = /^(\d+)-/.exec(id)?.[1];
  return ns === undefined ? -1 : Number((BigInt(ns) - clockBase) / STEP);
};

const specs = planHostile(SEED, COUNT);
const sent: Sent[] = [];

const byKind = <T>(rows: readonly T[], kindOf: (row: T) => HostileKind): Record<string, number> =>
  Object.fromEntries(HOSTILE_KINDS.map((k) => [k, rows.filter((r) => kindOf(r) === k).length]).filter(([, n]) => (n as number) > 0));

describe(`${COUNT} hostile payloads (seed ${SEED})`, () => {
  it('every capture and SessionStart planner run exits 0, prints nothing, stays within budget, and spools exactly one file', async () => {
    // Payloads are built before the clock starts (the 50 MB ones just before their own runs):
    // building them blocks this process, and would be measured as the hooks' time.
    let started = performance.now();
    const small = specs.filter((x) => !x.kind.startsWith('big-')).map((spec) => buildHostile(SEED, spec));
    const buildMs = performance.now() - started;
    const captureMs: number[] = [];
    const plannerMs: number[] = [];
    const problems: string[] = [];
    let plannerRuns = 0;
    let plannerSkipped = 0;
    const runOne = async (p: HostilePayload): Promise<void> => {
      sent.push({
        index: p.index,
        kind: p.kind,
        arg: p.arg,
        size: p.bytes.length,
        fate: p.fate,
        secrets: p.planted.map((x) => x.secret),
        spoolEvent: /^[A-Za-z]+$/.test(p.arg) ? p.arg : 'Unknown',
        event: eventOf(p),
      });
      const env = hookEnv(home, userHome, { AGENTOPS_META_CLOCK_NS: String(clockOf(p.index)) });
      const runs = [runHook(`${shellQuote(CAPTURE_HOOK)} ${shellQuote(p.arg)}`, p.bytes, env, 60_000).then((r) => ({ r, hook: 'capture' }))];
      if (p.arg === 'SessionStart') {
        if (p.bytes.length <= PLANNER_MAX_BYTES) {
          plannerRuns++;
          runs.push(runHook(sessionStartCommand(), p.bytes, env, 60_000).then((r) => ({ r, hook: 'session-start' })));
        } else plannerSkipped++;
      }
      for (const { r, hook } of await Promise.all(runs)) {
        (hook === 'capture' ? captureMs : plannerMs).push(r.ms);
        if (r.code !== 0 || r.stdout.length > 0 || r.stderr.length > 0 || r.ms >= HOOK_BUDGET_MS) {
          problems.push(`${hook} #${p.index} ${p.kind} (${p.bytes.length} B): exit ${r.code} ${r.signal ?? ''}, ${r.ms.toFixed(0)} ms, stdout ${JSON.stringify(r.stdout.toString().slice(0, 120))}, stderr ${JSON.stringify(r.stderr.toString().slice(0, 120))}`);
        }
      }
    };
    started = performance.now();
    await pool(small.length, WIDTH, async (i) => runOne(small[i] as HostilePayload));
    const poolMs = performance.now() - started;
    const bigMs: string[] = [];
    for (const spec of specs.filter((x) => x.kind.startsWith('big-'))) {
      const p = buildHostile(SEED, spec);
      const before = captureMs.length;
      await runOne(p);
      bigMs.push(`${p.kind} ${(p.bytes.length / 2 ** 20).toFixed(0)} MB ${captureMs[before]?.toFixed(0)} ms`);
    }
    const c = [...captureMs].sort((a, b) => a - b);
    const s = [...plannerMs].sort((a, b) => a - b);
    console.log(
      `hostile hooks: built ${small.length} payloads in ${(buildMs / 1000).toFixed(1)} s; ${small.length} capture runs + ${plannerRuns} SessionStart planner runs at ${WIDTH}-way in ${(poolMs / 1000).toFixed(1)} s ` +
        `(${plannerSkipped} SessionStart payloads over ${PLANNER_MAX_BYTES} B not given to the planner); capture p50 ${percentile(c, 50).toFixed(0)} ms, max ${(c.at(-1) ?? 0).toFixed(0)} ms; ` +
        `planner p50 ${percentile(s, 50).toFixed(0)} ms, max ${(s.at(-1) ?? 0).toFixed(0)} ms; big bodies alone: ${bigMs.join(', ')}; ${sent.reduce((a, x) => a + x.size, 0)} bytes sent`,
    );
    console.log(`  kinds: ${JSON.stringify(byKind(sent, (x) => x.kind))}`);
    expect(problems).toEqual([]);
    expect(plannerRuns).toBeGreaterThan(50);
    expect(sent.length).toBe(COUNT);
    expect(Object.keys(byKind(sent, (x) => x.kind)).sort()).toEqual([...HOSTILE_KINDS].sort());

    // One spool file per run, named by the clock we gave it and the event the command line named.
    const names = fs.readdirSync(paths.spool).filter((n) => n !== '.tmp');
    const bad = names.filter((n) => !/^\d+-\d+-[A-Za-z]+\.json$/.test(n));
    expect(bad).toEqual([]);
    const seen = new Map<number, string>();
    for (const n of names) seen.set(indexOfId(n), n);
    expect(names.length).toBe(COUNT);
    expect(seen.size).toBe(COUNT);
    const wrong = sent.filter((x) => {
      const n = seen.get(x.index);
      return n === undefined || !n.endsWith(`-${x.spoolEvent}.json`) || fs.statSync(path.join(paths.spool, n)).size !== x.size;
    });
    expect(wrong.map((x) => `#${x.index} ${x.kind} ${x.arg}`)).toEqual([]);
    expect(fs.readdirSync(paths.spoolTmp)).toEqual([]);
  }, 400_000);

  it('ingest stores or quarantines every payload as its kind says, never fails, and status shows the quarantine', async () => {
    expect(sent.length).toBe(COUNT);
    const env = hookEnv(home, userHome);
    const started = performance.now();
    const ingest = await runCli(env, 'ingest', '--json');
    const ingestMs = performance.now() - started;
    expect(ingest.stderr.toString()).toBe('');
    expect(ingest.code).toBe(0);
    const report = JSON.parse(ingest.stdout.toString()) as { files: number; inserted: number; duplicates: number; quarantined: number; partial_writes: number };
    const status = JSON.parse((await runCli(env, 'status', '--json')).stdout.toString()) as { events: number; quarantined: number; pending_spool: number };

    const fates = new Map<number, { fate: Fate; reason?: string }>();
    const doubled: string[] = [];
    const note = (id: string, fate: Fate, reason?: string): void => {
      const i = indexOfId(id);
      if (fates.has(i)) doubled.push(id);
      fates.set(i, { fate, reason });
    };
    for (const { id } of query<{ id: string }>(home, 'SELECT id FROM events')) note(id, 'stored');
    for (const { id, reason } of query<{ id: string; reason: string }>(home, 'SELECT id, reason FROM quarantine')) note(id, 'quarantined', reason);

    const mismatches = sent
      .filter((x) => fates.get(x.index)?.fate !== x.fate)
      .map((x) => `#${x.index} ${x.kind} (${x.size} B): expected ${x.fate}, got ${fates.get(x.index)?.fate ?? 'nothing'} ${fates.get(x.index)?.reason ?? ''}`);
    const quarantinedKinds = byKind(sent.filter((x) => fates.get(x.index)?.fate === 'quarantined'), (x) => x.kind);
    const reasons = new Map<string, number>();
    for (const { reason } of fates.values()) if (reason) reasons.set(reason.replace(/\d+/g, 'N').slice(0, 60), (reasons.get(reason.replace(/\d+/g, 'N').slice(0, 60)) ?? 0) + 1);
    console.log(
      `hostile ingest: ${report.files} files in ${(ingestMs / 1000).toFixed(1)} s: ${report.inserted} stored, ${report.quarantined} quarantined, ${report.duplicates} duplicates, ${report.partial_writes} partial writes; ` +
        `status: ${status.events} events, ${status.quarantined} quarantined, ${status.pending_spool} pending`,
    );
    console.log(`  quarantined by kind: ${JSON.stringify(quarantinedKinds)}`);
    console.log(`  top reasons: ${JSON.stringify([...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8))}`);

    expect(report.files).toBe(COUNT);
    expect(report.inserted + report.quarantined).toBe(COUNT);
    expect(report.duplicates).toBe(0);
    expect(report.partial_writes).toBe(0);
    expect(status).toMatchObject({ events: report.inserted, quarantined: report.quarantined, pending_spool: 0 });
    expect(doubled).toEqual([]);
    expect(fates.size).toBe(COUNT);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(report.quarantined).toBe(sent.filter((x) => x.fate === 'quarantined').length);
    expect(integrity(home)).toBe('ok');
    // Every capture event, in the shape of mid-2025 CLIs and of the current one, was stored.
    const storedShapes = new Set(sent.filter((x) => x.kind.startsWith('valid-') && fates.get(x.index)?.fate === 'stored').map((x) => `${x.event}/${x.kind}`));
    const missingShapes = CAPTURE_EVENTS.flatMap((e) => [`${e}/valid-mid2025`, `${e}/valid-current`]).filter((k) => !storedShapes.has(k));
    expect(missingShapes).toEqual([]);
  }, 240_000);

  it('no planted secret is in the database file, its WAL, or any text column', () => {
    const planted = new Set(sent.flatMap((x) => x.secrets));
    const inUnparseable = sent.filter((x) => x.fate === 'quarantined' && x.secrets.length > 0).length;
    const started = performance.now();
    const bytes = databaseBytes(home);
    const leaks = new Set(leakedSecrets(bytes));
    for (const table of databaseValues(home)) for (const s of leakedSecrets(table)) leaks.add(s);
    console.log(
      `hostile secrets: ${planted.size} distinct secrets planted in ${sent.filter((x) => x.secrets.length > 0).length} payloads (${inUnparseable} of them quarantined); ` +
        `scanned ${(bytes.length / 1e6).toFixed(1)} MB of database files and every text value in ${((performance.now() - started) / 1000).toFixed(1)} s; leaked ${leaks.size}`,
    );
    expect(planted.size).toBeGreaterThan(30);
    expect(inUnparseable).toBeGreaterThan(100);
    expect([...leaks]).toEqual([]);
  }, 240_000);
});

describe('prototype-pollution keys', () => {
  it('change no prototype in the process that normalizes them', () => {
    const payloads = specs.filter((x) => x.kind === 'proto-keys').map((spec) => buildHostile(SEED, spec));
    expect(payloads.length).toBeGreaterThan(50);
    let stored = 0;
    for (const p of payloads) {
      const value: unknown = JSON.parse(p.bytes.toString('utf8'));
      const result = normalize({ id: `p-${p.index}`, ts_ms: 0, source: 'hook', value }, { projectOf: () => null, maxFieldChars: 4000 });
      if (result.ok) stored++;
    }
    const probe: Record<string, unknown> = {};
    expect(stored).toBe(payloads.length);
    expect([probe.polluted, probe.isAdmin, Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')]).toEqual([undefined, undefined, false]);
    expect(typeof probe.toString).toBe('function');
  });
});

// --- bugs the hostile run exposed, one test each (all fixed; they guard against regressions) -------

/** Captures each payload with the real hook into a fresh data folder, then runs `agentops-meta ingest`. */
async function captureAndIngest(payloads: { arg: string; bytes: Buffer }[]): Promise<string> {
  const dir = tempDir('am-rel-bug-');
  const env = hookEnv(dir, userHome);
  for (const p of payloads) {
    const r = await runHook(`${shellQuote(CAPTURE_HOOK)} ${p.arg}`, p.bytes, env);
    expect(r.code).toBe(0);
  }
  const ingest = await runCli(env, 'ingest', '--json');
  expect(ingest.code, ingest.stderr.toString()).toBe(0);
  expect(JSON.parse(ingest.stdout.toString())).toMatchObject({ files: payloads.length });
  return dir;
}

/** Corpus secrets found in the database files or in any text value. */
function leaksIn(dir: string, transform: (s: string) => string = (s) => s): string[] {
  const found = new Set(leakedSecrets(transform(databaseBytes(dir))));
  for (const table of databaseValues(dir)) for (const s of leakedSecrets(transform(table))) found.add(s);
  return [...found];
}

const sample = (kind: string): SecretSample => {
  const s = SECRET_SAMPLES.find((x) => x.kind === kind);
  if (!s) throw new Error(`no corpus sample ${kind}`);
  return s;
};

describe('hostile payloads: bugs the hostile run found, fixed', () => {
  // BUG 1, hooks/agentops-session-start.sh: it reads the payload with `read -r` (dash reads one byte
  // per system call) and cuts the session id out with ${payload#*\"session_id\":\"}, which dash
  // matches in time quadratic in the distance to the match. Measured here: 4 KB with session_id
  // last 41 ms, 16 KB 0.6 s, 64 KB 9 s; 1 MB with session_id first 0.7 s, so 50 MB ~30 s.
  // Claude Code kills it at 5 s (PLANNER_TIMEOUT_S): no advice, and a burnt core meanwhile.
  // Fix: read a bounded head, e.g. payload=$(head -c 8192) or dd bs=8192 count=1 (Claude Code sends
  // session_id first), and match on that.
  it('BUG 1: the SessionStart planner hook stays within budget on large SessionStart payloads', async () => {
    const env = hookEnv(tempDir('am-rel-bug-'), userHome);
    const late = JSON.stringify({ hook_event_name: 'SessionStart', source: 'startup', session_title: 'x'.repeat(65_536), session_id: 'late-id' });
    const big = JSON.stringify({ session_id: 'first-id', hook_event_name: 'SessionStart', source: 'resume', session_title: 'y'.repeat(50 * 2 ** 20) });
    const runs = await Promise.all([late, big].map((body) => runHook(sessionStartCommand(), body, env, HOOK_BUDGET_MS + 1_000)));
    console.log(`BUG 1: SessionStart planner on 64 KB (session_id last) and 50 MB payloads: ${runs.map((r) => `${r.ms.toFixed(0)} ms ${r.signal ?? `exit ${r.code}`}`).join(', ')}`);
    for (const r of runs) {
      expect(r.ms).toBeLessThan(HOOK_BUDGET_MS);
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBe(0);
    }
  }, 30_000);

  // BUG 2, src/ingest/ingest.ts quarantineRecord: the raw bytes of an unparseable payload are cut at
  // maxQuarantineBytes (1 MiB) and only then redacted, so a secret across the cut loses its tail,
  // no rule recognises the head, and the head is stored. (redactField in redact.ts redacts past its
  // cut for exactly this reason.) Same path for stale partial writes in spool/.tmp.
  // Fix: redact kept.toString() of the first maxRaw + 8192 bytes, then cut the redacted text.
  it('BUG 2: a secret across the 1 MiB cut of a quarantined payload is not stored in part', async () => {
    const s = sample('github-token (ghu_)');
    const at = s.context.indexOf(s.secret);
    const head = `{"session_id":"s","hook_event_name":"PostToolUse","tool_name":"Bash","tool_response":{"stdout":"`;
    const filler = 'x'.repeat(2 ** 20 - head.length - 1 - at - 24); // so the cut falls 24 chars into the secret
    const bytes = Buffer.from(`${head}${filler}\n${s.context}\n${'z'.repeat(5_000)}`); // unterminated: quarantined
    expect(bytes.subarray(2 ** 20 - 24, 2 ** 20).toString()).toBe(s.secret.slice(0, 24));
    const dir = await captureAndIngest([{ arg: 'PostToolUse', bytes }]);
    expect(query<{ n: number }>(dir, 'SELECT COUNT(*) AS n FROM quarantine')[0]?.n).toBe(1);
    expect(leaksIn(dir)).toEqual([]);
  }, 60_000);

  // BUG 3, src/ingest/ingest.ts parsePayload: the quarantine reason embeds V8's JSON.parse message,
  // which quotes up to 20 characters of the payload (all of it when it is that short), and the
  // reason is not redacted: `password=Xy7Kq2Lm` is redacted in quarantine.raw but kept whole in
  // quarantine.reason. Fix: drop the quoted source from the message (keep "at position N"), or
  // redactText() the reason.
  it('BUG 3: a short unparseable payload does not reach the database through the quarantine reason', async () => {
    const secret = 'Xy7Kq2Lm';
    const dir = await captureAndIngest([{ arg: 'UserPromptSubmit', bytes: Buffer.from(`password=${secret}`) }]);
    const [row] = query<{ reason: string; raw: string }>(dir, 'SELECT reason, raw FROM quarantine');
    expect(row?.raw).not.toContain(secret); // redaction itself recognises it
    expect(databaseValues(dir).join('\n')).not.toContain(secret);
  }, 60_000);

  // BUG 4, src/ingest/ingest.ts quarantineRecord: a payload that is not UTF-8 is decoded as UTF-8
  // anyway and redacted as text. For UTF-16 (what a Windows tool writes) every ASCII character is
  // followed by a NUL, no rule matches, and the secrets are stored readable (drop the NULs).
  // Fix: when the bytes are not UTF-8, decode UTF-16 if a byte-order mark says so, or redact the
  // text with NULs removed, or keep no raw text for undecodable payloads (size and reason only).
  it('BUG 4: secrets in a UTF-16 payload are not stored readable in the quarantine', async () => {
    const s = sample('anthropic-api-key');
    const json = JSON.stringify({ session_id: 's', hook_event_name: 'UserPromptSubmit', prompt: `run this:\n${s.context}\n` });
    const dir = await captureAndIngest([{ arg: 'UserPromptSubmit', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]) }]);
    expect(leaksIn(dir, (t) => t.replace(/\0/g, ''))).toEqual([]);
  }, 60_000);

  // BUG 5, src/core/normalize.ts: actor names come from tool_input.skill, tool_input.subagent_type and
  // command_name, split at ':' into plugin and name, and each piece is redacted on its own. A secret
  // whose rule needs the text on both sides of a ':' ("https://discord.com/api/webhooks/…",
  // "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: …", "https://user:pass@host") is then
  // recognised in neither piece, and actor_name / actor_plugin keep it (the payload column is fine).
  // Fix: redact the whole source string before splitting it (or derive the actor from the redacted
  // tool_input), and reject actor names that are not identifier-like (newlines, > 200 chars).
  it('BUG 5: a secret in a skill, subagent or command name does not reach the actor columns', async () => {
    const webhook = sample('discord-webhook');
    const pgp = sample('pgp-private-key-block');
    const url = sample('url-password');
    const base = { session_id: 's', cwd: '/tmp' };
    const dir = await captureAndIngest([
      { arg: 'PreToolUse', bytes: Buffer.from(JSON.stringify({ ...base, hook_event_name: 'PreToolUse', tool_name: 'Skill', tool_input: { skill: `pdf\n${webhook.context}\n` } })) },
      { arg: 'PreToolUse', bytes: Buffer.from(JSON.stringify({ ...base, hook_event_name: 'PreToolUse', tool_name: 'Agent', tool_input: { subagent_type: `Explore\n${pgp.context}\n`, prompt: 'p' } })) },
      { arg: 'UserPromptExpansion', bytes: Buffer.from(JSON.stringify({ ...base, hook_event_name: 'UserPromptExpansion', expansion_type: 'slash_command', command_name: `review\n${url.context}\n`, prompt: 'p' })) },
    ]);
    expect(query<{ n: number }>(dir, 'SELECT COUNT(*) AS n FROM events')[0]?.n).toBe(3);
    expect(leaksIn(dir)).toEqual([]);
  }, 60_000);
});
