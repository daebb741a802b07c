// Moves spooled hook payloads into the store, exactly once. The order of steps is what makes it
// crash-safe: (1) read a batch of files, (2) normalize + redact, (3) store the batch in one
// transaction, idempotent by id, (4) only then delete the files. A kill -9 before (3) leaves the
// files for the next run; a kill between (3) and (4) re-reads files whose ids are already stored,
// which the store counts as duplicates and skips. Two ingesters at once are safe for the same reason.
import fs from 'node:fs';
import path from 'node:path';
import { normalize } from '../core/normalize.js';
import { redactDeep, redactText } from '../core/redact.js';
import { parseSpoolName } from '../core/spool-name.js';
import type { EventRecord, QuarantineRecord } from '../core/types.js';
import type { EventStore } from '../store/port.js';
import type { DataPaths } from '../shell/paths.js';
import { gitRootResolver } from './project-root.js';

export interface IngestOptions {
  paths: DataPaths;
  store: EventStore;
  batchSize?: number;
  maxFieldChars?: number;
  /** a file in spool/.tmp older than this was left by a hook that died mid-write */
  staleTmpMs?: number;
  /** most raw bytes kept for a payload that cannot be parsed */
  maxQuarantineBytes?: number;
  now?: number;
  onBatch?: (done: number, total: number) => void;
}

export interface IngestReport {
  files: number;
  inserted: number;
  duplicates: number;
  quarantined: number;
  partial_writes: number;
  ms: number;
}

export const DEFAULT_MAX_FIELD_CHARS = 4000;
const DEFAULT_BATCH = 2000;
const DEFAULT_STALE_TMP_MS = 10 * 60_000;
const DEFAULT_MAX_QUARANTINE_BYTES = 1 << 20;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function ingestSpool(options: IngestOptions): IngestReport {
  const started = performance.now();
  const { paths, store } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const ctx = { projectOf: gitRootResolver(), maxFieldChars: options.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS };
  const maxRaw = options.maxQuarantineBytes ?? DEFAULT_MAX_QUARANTINE_BYTES;
  const report: IngestReport = { files: 0, inserted: 0, duplicates: 0, quarantined: 0, partial_writes: 0, ms: 0 };

  report.partial_writes = quarantineStaleTmp(options, maxRaw);
  const names = listSpool(paths.spool);
  for (let i = 0; i < names.length; i += batchSize) {
    const chunk = names.slice(i, i + batchSize);
    const events: EventRecord[] = [];
    const quarantine: QuarantineRecord[] = [];
    const done: string[] = [];
    for (const name of chunk) {
      const meta = parseSpoolName(name);
      const file = path.join(paths.spool, name);
      const bytes = readOrNull(file);
      if (bytes === null) continue; // another ingester took it
      done.push(file);
      if (!meta) {
        quarantine.push(quarantineRecord(`unnamed-${name}`, Date.now(), null, 'unrecognised spool file name', bytes, maxRaw));
        continue;
      }
      const parsed = parsePayload(bytes);
      if (!parsed.ok) {
        quarantine.push(quarantineRecord(meta.id, meta.ts_ms, meta.event, parsed.reason, bytes, maxRaw));
        continue;
      }
      const result = normalize({ id: meta.id, ts_ms: meta.ts_ms, source: 'hook', value: parsed.value }, ctx);
      if (result.ok) events.push(result.record);
      else quarantine.push(quarantineRecord(meta.id, meta.ts_ms, meta.event, result.reason, bytes, maxRaw));
    }
    const stored = store.insert(events, quarantine);
    report.inserted += stored.inserted;
    report.duplicates += stored.duplicates;
    report.quarantined += stored.quarantined;
    // Only now, with the batch committed (and redacted), may the raw copies go.
    for (const file of done) removeQuietly(file);
    report.files += done.length;
    options.onBatch?.(Math.min(i + batchSize, names.length), names.length);
  }
  report.ms = performance.now() - started;
  if (report.files > 0 || report.partial_writes > 0) store.setMeta('last_ingest', new Date(options.now ?? Date.now()).toISOString());
  return report;
}

function listSpool(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
}

function parsePayload(bytes: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (bytes.length === 0) return { ok: false, reason: 'empty payload' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'invalid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, reason: `invalid JSON: ${(e as Error).message.slice(0, 120)}` };
  }
}

/**
 * Raw text is redacted too: a payload we cannot use may still hold a secret. A payload that is JSON
 * but failed validation is redacted as JSON (field by field); other text has its JSON escapes
 * decoded first, so "\\nTOKEN=..." cannot hide a name from the patterns behind a letter "n".
 */
function quarantineRecord(id: string, ts_ms: number, event: string | null, reason: string, bytes: Buffer, maxRaw: number): QuarantineRecord {
  // Redact a little past the cut before cutting, so a secret straddling it is still recognised whole.
  const scanned = bytes.length > maxRaw + RAW_LOOKAHEAD ? bytes.subarray(0, maxRaw + RAW_LOOKAHEAD) : bytes;
  // NULs (UTF-16 text read as UTF-8, binary) would hide secrets from every pattern.
  const text = scanned.toString('utf8').replace(/\u0000/g, '');
  let raw: string;
  try {
    raw = JSON.stringify(redactDeep(JSON.parse(text)));
  } catch {
    raw = redactText(decodeJsonEscapes(text));
  }
  if (raw.length > maxRaw) raw = raw.slice(0, maxRaw);
  // JSON.parse's message quotes the payload: the reason is redacted like the payload.
  return { id, ts_ms, event, reason: redactText(reason), size: bytes.length, raw };
}

/** How far past the kept part the raw text is scanned for secrets. */
const RAW_LOOKAHEAD = 8192;

const JSON_ESCAPE = /\\(["\\/bfnrt])/g;
const ESCAPED: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: ' ', f: ' ', n: '\n', r: '\r', t: '\t' };

function decodeJsonEscapes(text: string): string {
  return text.includes('\\') ? text.replace(JSON_ESCAPE, (_m, c: string) => ESCAPED[c] ?? c) : text;
}

function quarantineStaleTmp(options: IngestOptions, maxRaw: number): number {
  const now = options.now ?? Date.now();
  const staleMs = options.staleTmpMs ?? DEFAULT_STALE_TMP_MS;
  let names: string[];
  try {
    names = fs.readdirSync(options.paths.spoolTmp);
  } catch {
    return 0;
  }
  const records: QuarantineRecord[] = [];
  const files: string[] = [];
  for (const name of names) {
    const file = path.join(options.paths.spoolTmp, name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      continue;
    }
    if (now - stat.mtimeMs < staleMs) continue; // a hook may still be writing it
    const bytes = readOrNull(file);
    if (bytes === null) continue;
    const meta = parseSpoolName(`${name}.json`);
    records.push(quarantineRecord(meta?.id ?? `tmp-${name}`, meta?.ts_ms ?? stat.mtimeMs, meta?.event ?? null, 'partial write: the hook was stopped while writing', bytes, maxRaw));
    files.push(file);
  }
  if (records.length === 0) return 0;
  const stored = options.store.insert([], records);
  for (const file of files) removeQuietly(file);
  return stored.quarantined;
}

/** One buffer reused for every read: a spool file is read with open, read(s), close — no stat. */
let readBuffer = Buffer.allocUnsafe(1 << 20);

function readOrNull(file: string): Buffer | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    let size = 0;
    for (;;) {
      if (size === readBuffer.length) {
        const bigger = Buffer.allocUnsafe(readBuffer.length * 2);
        readBuffer.copy(bigger, 0, 0, size);
        readBuffer = bigger;
      }
      const n = fs.readSync(fd, readBuffer, size, readBuffer.length - size, null);
      if (n === 0) break;
      size += n;
    }
    return Buffer.from(readBuffer.subarray(0, size));
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone: another ingester finished it
  }
}
