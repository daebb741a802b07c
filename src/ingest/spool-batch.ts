// Spool bytes in (spool-read.ts), records ready to store out: parse, validate, normalize and redact,
// in the ingesting thread. Nothing here deletes a file: only ingest may, once the records are committed.
import { normalize } from '../core/normalize.js';
import { redactDeep, redactText } from '../core/redact.js';
import { parseSpoolName } from '../core/spool-name.js';
import type { EventRecord, QuarantineRecord } from '../core/types.js';
import { parsePayload, type SpoolBytes } from './spool-read.js';

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
