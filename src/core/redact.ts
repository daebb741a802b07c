// Secret redaction and field truncation for everything we store.
// Pure: no node:* imports, no clock, no randomness.
//
// Why: hook payloads carry prompts, shell commands, tool output and file contents verbatim. Anything
// that looks like a credential must be gone before it reaches SQLite, exports or git, while the rest
// of the text stays intact: commands, paths, ids and code are what the miner learns from.
//
// How: four phases, each behind a cheap gate, so clean text (the common case) costs one skim and
// a couple of regex scans: PEM blocks; provider tokens (ghp_…, sk-…, AKIA…), looked for only in
// the few spans that can hold one; literal-keyed structures (URLs with passwords, webhooks,
// connection strings, mysql/curl commands); and secret-like words (`NAME=value`, `--token x`,
// headers, a random string after "api key"). Regexes are compiled once at module load. Specific
// rules run first so their precise label wins; later rules skip values already `[REDACTED:…]`,
// which also makes redaction idempotent.
//
// Where things are (src/core/redact/): text.ts (redactText: the phases and their gates), rule-lists.ts
// (the rules in the order they run), structured.ts (PEM, URL passwords, Authorization headers),
// named-secrets.ts (secret-like words), names.ts (secret-like names), values.ts (what a secret value
// looks like), rules.ts (rule and span plumbing). This file: whole JSON-like values, and truncation.
import { secretNameKind } from './redact/names.js';
import { redactText } from './redact/text.js';
import { isSecretValue, marker } from './redact/values.js';

export interface RedactOptions {
  /** Strings longer than this are cut to a head plus `…[truncated N chars]`. Default 4000. */
  maxFieldChars?: number;
}

export const DEFAULT_MAX_FIELD_CHARS = 4000;
/** Containers nested this deep (root = 0) are replaced by DEPTH_MARKER. */
export const MAX_DEPTH = 64;
export const DEPTH_MARKER = '[TRUNCATED:depth]';

export { containsSecret, redactText } from './redact/text.js';
export { secretNameKind } from './redact/names.js';

// ---------------------------------------------------------------------------------------------
// Deep redaction and truncation of JSON-like values

/** Fields up to this size are redacted whole, then cut; bigger ones only as far as the cut can reach. */
const WHOLE_SCAN_LIMIT = 1 << 20;
/** Redact this far past the cut so a secret straddling it is still recognised whole. */
const TRUNCATION_LOOKAHEAD = 8192;
/** Room for a marker that redaction of the head may add at the cut. */
const HEAD_SLACK = 48;
const TRUNCATED_RE = /…\[truncated \d+ chars\]$/;
const BARE_MARKER_RE = /^\[REDACTED:[a-z0-9-]+\]$/;

function redactField(s: string, max: number): string {
  // Long strings (file contents, command output) are only scanned as far as the cut plus a
  // lookahead: what lies beyond is dropped anyway. Unless redaction shrank the head so much that
  // text near the scan's end could reach the kept part; then the whole string is scanned.
  const long = s.length > Math.min(WHOLE_SCAN_LIMIT, max + 4 * TRUNCATION_LOOKAHEAD);
  let redacted = redactText(long ? s.slice(0, max + TRUNCATION_LOOKAHEAD) : s);
  const huge = long && (redacted.length >= max + TRUNCATION_LOOKAHEAD / 2 || s.length > WHOLE_SCAN_LIMIT);
  if (long && !huge) redacted = redactText(s);
  // Redact before measuring: markers are longer than short secrets, and measuring the raw text
  // would let a second pass truncate what the first did not.
  if (!huge && redacted.length <= max) return redacted;
  // Already ours (second pass with a budget smaller than our own markers): keep it, stay idempotent.
  if (BARE_MARKER_RE.test(redacted)) return redacted;
  const done = TRUNCATED_RE.exec(redacted);
  if (done !== null && done.index <= max) return redacted;
  const tail = `…[truncated ${s.length} chars]`;
  let headLen = Math.min(Math.max(0, max - tail.length - HEAD_SLACK), redacted.length);
  // Do not split a surrogate pair.
  const last = redacted.charCodeAt(headLen - 1);
  if (headLen > 0 && last >= 0xd800 && last <= 0xdbff) headLen--;
  // The cut may turn the tail of a token into something a rule matches; redact the head once more.
  return redactText(redacted.slice(0, headLen) + tail);
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // `__proto__` from JSON.parse is an own data key; plain assignment would change the prototype.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function walk(value: unknown, depth: number, max: number, secretKind: string | null): unknown {
  if (typeof value === 'string') {
    if (secretKind !== null && isSecretValue(secretKind, value, secretKind, true)) return marker(secretKind);
    return redactField(value, max);
  }
  if (typeof value === 'number') {
    // PINs and numeric passwords; small numbers under a secret name are counts or flags.
    return secretKind !== null && Number.isInteger(value) && Math.abs(value) >= 1000 ? marker(secretKind) : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return DEPTH_MARKER;
  // Copy on write: most payloads hold nothing to redact, and copying them was a quarter of the work.
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const done = walk(item, depth + 1, max, secretKind);
      if (out === null && !Object.is(done, item)) out = value.slice(0, i);
      if (out !== null) out.push(done);
    }
    return out ?? value;
  }
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  // Anything but a plain object (a Date, a class instance) becomes a plain copy of its own keys.
  const proto: unknown = Object.getPrototypeOf(source);
  let out: Record<string, unknown> | null = proto === Object.prototype || proto === null ? null : {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = source[key];
    const name = key.length >= 8 ? redactText(key) : key;
    const done = walk(item, depth + 1, max, secretNameKind(key));
    if (out === null && (name !== key || !Object.is(done, item))) {
      out = {};
      for (let j = 0; j < i; j++) setOwn(out, keys[j]!, source[keys[j]!]);
    }
    if (out !== null) setOwn(out, name, done);
  }
  return out ?? source;
}

/**
 * A redacted copy of a JSON-like value: strings go through redactText and are truncated past
 * maxFieldChars; values under secret-like keys are replaced whole; containers nested deeper than
 * MAX_DEPTH become DEPTH_MARKER. Never mutates the input; parts with nothing to redact are shared
 * with it, not copied, so treat the result as read-only. Idempotent.
 */
export function redactDeep(value: unknown, options: RedactOptions = {}): unknown {
  return walk(value, 0, options.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS, null);
}
