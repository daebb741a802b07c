// Value heuristics shared by the redaction rules: placeholders and references are not secrets,
// random-looking strings may be. Pure: no node:* imports.
import { normalizeName, secretNameKind } from './names.js';

export const MARK = '[REDACTED:';
export const marker = (kind: string): string => `${MARK}${kind}]`;

/** Literal values that say "no secret here": booleans, nulls, type names, placeholders. */
const NON_SECRET_WORDS = new Set([
  'true', 'false', 'null', 'none', 'nil', 'undefined', 'yes', 'no', 'on', 'off', 'required', 'optional',
  'string', 'str', 'number', 'int', 'integer', 'bool', 'boolean', 'bytes', 'any', 'unknown', 'object',
  'secretstr', 'redacted', 'hidden', 'masked', 'env', 'prompt', 'stdin', 'bearer', 'basic', 'token',
]);
const MASK_RE = /^(?:\*+|x+|X+|\.+|-+|_+|•+|#+|…)$/;
const FILE_PATH_RE = /^(?:~|\.{1,2})?\/[\w.@+-]+(?:\/[\w.@+-]+)+\/?$/;
const MEMBER_ACCESS_RE = /^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+;?$/;
const IDENT_RE = /^[A-Za-z_][\w]*$/;

/** True for values that are references or placeholders, not secrets; `quoted` values are string literals. */
export function isNonSecretValue(value: string, name: string, quoted: boolean): boolean {
  const v = quoted ? value.trim() : value.trim().replace(/[;,]+$/, '');
  if (v.length === 0) return true;
  if (v.startsWith(MARK)) return true;
  const c = v.charCodeAt(0);
  // $VAR, ${VAR}, %VAR%, {{ tmpl }}, <placeholder>, [array / marker
  if (c === 36 || c === 37 || c === 123 || c === 60 || c === 91) return true;
  if (MASK_RE.test(v)) return true;
  if (/^\d{1,3}$/.test(v)) return true;
  if (NON_SECRET_WORDS.has(v.toLowerCase())) return true;
  if (FILE_PATH_RE.test(v)) return true;
  if (quoted) return false;
  // Unquoted ALL_CAPS words are metavars or env names in help text and docs (`--token TOKEN`).
  if (/^[A-Z][A-Z_]*$/.test(v)) return true;
  // Unquoted: code expressions (`getpass()`, `process.env.X`, `self.password`) and variables that are
  // themselves secret-like names (`password=password`, `token: authToken`) are references, not values.
  if (v.includes('(') || v.includes('[') || MEMBER_ACCESS_RE.test(v)) return true;
  if (IDENT_RE.test(v) && (v.toLowerCase() === normalizeName(name).replace(/_/g, '') || secretNameKind(v) !== null)) return true;
  return false;
}

/**
 * Names ending in a generic `<something>_key` (storage, session, cache-like prefixes) often hold
 * plain identifiers (`STORAGE_KEY = 'todos'`); their values count only when they look like key
 * material. Passwords, secrets and tokens count whatever they look like.
 */
export function isSecretValue(kind: string, value: string, name: string, quoted: boolean): boolean {
  if (isNonSecretValue(value, name, quoted)) return false;
  if (kind !== 'key') return true;
  const v = value.trim();
  return v.length >= 16 && hasLetterAndDigit(v) && entropy(v) >= 3;
}

export const UPPER_RE = /[A-Z]/;
export const LOWER_RE = /[a-z]/;
const DIGIT_RE = /[0-9]/;
export const hasLetterAndDigit = (s: string): boolean => DIGIT_RE.test(s) && (LOWER_RE.test(s) || UPPER_RE.test(s));
export const hasThreeClasses = (s: string): boolean => UPPER_RE.test(s) && LOWER_RE.test(s) && DIGIT_RE.test(s);

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Identifier prefixes of Anthropic/OpenAI objects: ids, not secrets. */
const KNOWN_ID_RE = /^(?:toolu|srvtoolu|msg|req|call|chatcmpl|run|thread|asst|file|batch|step|evt|cus|sub|prod|price)_/;

/** A random-looking token: long, all three character classes, several digits and capitals, high entropy. */
export function looksRandom(s: string): boolean {
  if (s.length < 20 || KNOWN_ID_RE.test(s)) return false;
  if (s.includes('/') && s.includes('.')) return false; // file paths and URLs
  let upper = 0;
  let lower = 0;
  let digit = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c >= 48 && c <= 57) digit++;
  }
  return upper >= 2 && lower >= 2 && digit >= 2 && entropy(s) >= 3.5;
}


/** An ASCII letter or digit, by char code. */
export const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
