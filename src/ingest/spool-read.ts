// Reading spool files, in the spool worker or the ingesting thread: the files of one job into one
// buffer that moves between threads without a copy, and (in the worker) each payload's stored form.
// It imports only what that needs, so the worker starts fast.
import fs from 'node:fs';
import path from 'node:path';
import { storedPayload } from '../core/stored-payload.js';

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

/** A payload's JSON value, or why it has none (empty, not UTF-8, not JSON). */
export function parsePayload(bytes: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } {
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
