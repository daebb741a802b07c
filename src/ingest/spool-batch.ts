// Spool files in, records ready to store out: read the files (in the spool worker, or the ingesting
// thread), then parse, validate, normalize and redact them (in the ingesting thread). Nothing here
// deletes a file: only ingest may, once the records are committed.
import fs from 'node:fs';
import path from 'node:path';
import { normalize, storedPayload } from '../core/normalize.js';
import { redactDeep, redactText } from '../core/redact.js';
import { parseSpoolName } from '../core/spool-name.js';
import type { EventRecord, QuarantineRecord } from '../core/types.js';

export interface SpoolNormalizeContext {
  maxFieldChars: number;
  /** most raw bytes kept for a payload that cannot be parsed */
  maxRaw: number;
  /** git root of a working directory, memoised */
  projectOf: (cwd: string) => string | null;
}

export interface PreparedBatch {
  events: EventRecord[];
  quarantine: QuarantineRecord[];
  /** the files read, to delete once the records are stored */
  files: string[];
  /** names handled (files another ingester took first are not in `files`) */
  names: number;
}

/**
 * Spool files read into one buffer: file i is bytes[offsets[i], offsets[i+1]). One buffer, so
 * the batch moves from the spool worker without a copy (transferred).
 */
export interface SpoolBytes {
  dir: string;
  names: string[];
  files: string[];
  offsets: number[];
  bytes: Uint8Array;
  /** names asked for, read or not */
  asked: number;
  /** per file, its stored payload made where it was read (null: not JSON), to spare the thread that normalizes */
  stored?: (string | null)[];
}

/** Reads the files that are still there (another ingester may have taken some). */
export function readSpoolFiles(spoolDir: string, names: readonly string[]): SpoolBytes {
  const read: SpoolBytes = { dir: spoolDir, names: [], files: [], offsets: [0], bytes: new Uint8Array(0), asked: names.length };
  let buf: Uint8Array = new Uint8Array(new ArrayBuffer(64 * 1024));
  let size = 0;
  for (const name of names) {
    const file = path.join(spoolDir, name);
    const got = readInto(file, buf, size);
    if (got === null) continue; // another ingester took it
    buf = got.buf;
    size = got.size;
    read.names.push(name);
    read.files.push(file);
    read.offsets.push(size);
  }
  read.bytes = buf.subarray(0, size);
  return read;
}

export function prepareSpoolBytes(read: SpoolBytes, ctx: SpoolNormalizeContext): PreparedBatch {
  const events: EventRecord[] = [];
  const quarantine: QuarantineRecord[] = [];
  const whole = Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength);
  for (let i = 0; i < read.names.length; i++) {
    const name = read.names[i]!;
    const bytes = whole.subarray(read.offsets[i], read.offsets[i + 1]);
    const meta = parseSpoolName(name);
    if (!meta) {
      quarantine.push(quarantineRecord(`unnamed-${name}`, Date.now(), null, 'unrecognised spool file name', bytes, ctx.maxRaw));
      continue;
    }
    const parsed = parsePayload(bytes);
    if (!parsed.ok) {
      quarantine.push(quarantineRecord(meta.id, meta.ts_ms, meta.event, parsed.reason, bytes, ctx.maxRaw));
      continue;
    }
    const stored = read.stored?.[i] ?? undefined;
    const result = normalize({ id: meta.id, ts_ms: meta.ts_ms, source: 'hook', value: parsed.value, stored }, ctx);
    if (result.ok) events.push(result.record);
    else quarantine.push(quarantineRecord(meta.id, meta.ts_ms, meta.event, result.reason, bytes, ctx.maxRaw));
  }
  return { events, quarantine, files: read.files, names: read.asked };
}

/**
 * Each file's stored payload (storedPayload), or null when it is not JSON: the half of normalizing
 * that needs nothing but the bytes, done by the spool worker while it has time to spare.
 */
export function storedPayloads(read: SpoolBytes, maxFieldChars: number): (string | null)[] {
  const whole = Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength);
  const out: (string | null)[] = [];
  for (let i = 0; i < read.names.length; i++) {
    const parsed = parsePayload(whole.subarray(read.offsets[i], read.offsets[i + 1]));
    out.push(parsed.ok ? storedPayload(parsed.value, maxFieldChars) : null);
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

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
export function quarantineRecord(id: string, ts_ms: number, event: string | null, reason: string, bytes: Buffer, maxRaw: number): QuarantineRecord {
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

/** Appends a file's bytes at `at`, growing the buffer as needed (open, read until 0, close: no stat). */
function readInto(file: string, buf: Uint8Array, at: number): { buf: Uint8Array; size: number } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    let size = at;
    for (;;) {
      if (size === buf.length) {
        const bigger = new Uint8Array(new ArrayBuffer(buf.length * 2));
        bigger.set(buf.subarray(0, size));
        buf = bigger;
      }
      const n = fs.readSync(fd, buf, size, buf.length - size, null);
      if (n === 0) break;
      size += n;
    }
    return { buf, size };
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** A whole file, or null when it is gone or unreadable. */
export function readOrNull(file: string): Buffer | null {
  const got = readInto(file, new Uint8Array(new ArrayBuffer(4096)), 0);
  return got === null ? null : Buffer.from(got.buf.buffer, 0, got.size);
}
