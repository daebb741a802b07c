// Secret-like words in text: `name = value`, `--flag value`, and random strings near the word.
// Pure: no node:* imports.
import { secretNameKind } from './names.js';
import { replaceSpans, type Span } from './rules.js';
import { isAlnum, isSecretValue, looksRandom } from './values.js';

// One scan finds every secret-like word; each hit is then tried as the end of an assigned name, as
// the end of a CLI flag, and as the lead-in to a random-looking string ("my api key is Xy3…").

const SECRET_WORD_SCAN_RE = /pass(?:word|wd|phrase)?|pwd|secret|token|key|auth|credentials?|cookie|pat/gi;
/** After the name: an optional closing quote or bracket, then the operator (not `==`, `::`). */
const OPERATOR_RE = /(?:\\?["'`])?\]?[ \t]*(:=|=>|=|:)(?![=:])/y;
const NAME_CHAR_RE = /[A-Za-z0-9_.\-$@]/;
const FLAG_NAME_RE = /^--?[A-Za-z0-9_-]+$/;
const FLAG_VALUE_RE = /[ \t]+("[^"\n]*"|'[^'\n]*'|[^\s'"|;&<>-][^\s'"|;&<>]*)/y;
/** Unquoted values end at whitespace, quotes and separators of the surrounding syntax. */
const UNQUOTED_VALUE_RE = /[^\s"'`&,;)}\]<>|\\]+/y;
const LINE_REST_RE = /[^\r\n"'`\\]+/y;
const ENV_VALUE_RE = /[^\s"'`\\]+/y;
const CANDIDATE_RE = /[A-Za-z0-9+/_\-=.~]{20,}/g;
const NEAR_WINDOW = 80;

function findClosingQuote(text: string, from: number, quote: number, escaped: boolean): number {
  const limit = Math.min(text.length, from + 2048);
  for (let i = from; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return -1;
    if (c === 92) {
      if (escaped && text.charCodeAt(i + 1) === quote) return i;
      i++;
      continue;
    }
    if (!escaped && c === quote) return i;
  }
  return -1;
}

function nameStart(text: string, wordStart: number): number {
  let start = wordStart;
  while (start > 0 && NAME_CHAR_RE.test(text[start - 1] ?? '')) start--;
  return start;
}

/** The value span of `name <op> value` (.env, YAML, JSON, code, headers, --flag=value), if secret. */
function assignmentSpan(text: string, start: number, name: string, kind: string, op: string, valueAt: number): Span | null {
  let at = valueAt;
  while (text[at] === ' ' || text[at] === '\t') at++;
  const c = text.charCodeAt(at);
  let vStart = at;
  let vEnd = -1;
  let quoted = false;
  const escapedQuote = c === 92 && (text[at + 1] === '"' || text[at + 1] === "'");
  if (escapedQuote || c === 34 || c === 39 || c === 96) {
    const q = escapedQuote ? text.charCodeAt(at + 1) : c;
    vStart = at + (escapedQuote ? 2 : 1);
    const close = findClosingQuote(text, vStart, q, escapedQuote);
    if (close >= 0) {
      vEnd = close;
      quoted = true;
    }
  }
  if (vEnd < 0) {
    vStart = at;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const linePrefix = text.slice(lineStart, start);
    // Headers and YAML (`name: value` alone on its line) run to the end of the line; `a=b` stops at space.
    const wholeLine = kind === 'cookie' || (op === ':' && /^[ \t]*(?:-[ \t]+)?["']?$/.test(linePrefix));
    // `.env` / `export NAME=value` lines: the value runs to whitespace, even across `&` or `;`.
    const envLine = op === '=' && /^[ \t]*(?:export[ \t]+)?$/.test(linePrefix);
    const re = wholeLine ? LINE_REST_RE : envLine ? ENV_VALUE_RE : UNQUOTED_VALUE_RE;
    re.lastIndex = at;
    const v = re.exec(text);
    if (v === null) return null;
    let raw = v[0];
    if (wholeLine) {
      const comment = raw.search(/\s#/);
      if (comment >= 0) raw = raw.slice(0, comment);
      raw = raw.trimEnd().replace(/[;,]$/, '');
    }
    vEnd = at + raw.length;
  }
  const value = text.slice(vStart, vEnd);
  return isSecretValue(kind, value, name, quoted) ? { start: vStart, end: vEnd, kind } : null;
}

/** The value span of `--flag value` when the flag is secret-like. */
function flagSpan(text: string, start: number, name: string, kind: string, wordEnd: number): Span | null {
  if (!FLAG_NAME_RE.test(name)) return null;
  const before = text.charCodeAt(start - 1);
  if (start > 0 && before !== 32 && before !== 9 && before !== 10) return null;
  FLAG_VALUE_RE.lastIndex = wordEnd;
  const v = FLAG_VALUE_RE.exec(text);
  if (v === null) return null;
  const value = v[1] ?? '';
  const quoted = value.startsWith('"') || value.startsWith("'");
  const inner = quoted ? value.slice(1, -1) : value;
  if (!isSecretValue(kind, inner, name, quoted)) return null;
  const vStart = FLAG_VALUE_RE.lastIndex - value.length + (quoted ? 1 : 0);
  return { start: vStart, end: vStart + inner.length, kind };
}

/** Words after which a random-looking string counts as a secret even without `=` or `:`. */
function leadsToSecret(text: string, word: string, at: number, end: number): boolean {
  const w = word.toLowerCase();
  if (w === 'key') {
    if (/(?:api|access|private)[_ .-]?$/i.test(text.slice(Math.max(0, at - 8), at))) return true;
    return !isWordCode(text.charCodeAt(at - 1)) && !isWordCode(text.charCodeAt(end));
  }
  if (w === 'auth') return !isWordCode(text.charCodeAt(at - 1)) && !isWordCode(text.charCodeAt(end));
  return w !== 'pwd' && w !== 'cookie' && w !== 'pat' && w !== 'pass';
}

const isWordCode = (c: number): boolean => c === 95 || isAlnum(c);

export function redactNamedSecrets(text: string): string {
  const spans: Span[] = [];
  let floor = 0; // spans are kept in order and never overlap
  const add = (s: Span): void => {
    spans.push(s);
    floor = s.end;
  };
  const re = SECRET_WORD_SCAN_RE;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index < floor) continue;
    const wordEnd = m.index + m[0].length;
    let found: Span | null = null;
    OPERATOR_RE.lastIndex = wordEnd;
    const op = OPERATOR_RE.exec(text);
    const c = text.charCodeAt(wordEnd);
    if (op !== null || c === 32 || c === 9) {
      const start = nameStart(text, m.index);
      const name = text.slice(start, wordEnd);
      const kind = secretNameKind(name);
      // Authorization headers have their own rule (it keeps the scheme and knows multi-part values).
      if (kind !== null && kind !== 'authorization') {
        found = op !== null ? assignmentSpan(text, start, name, kind, op[1] ?? '', OPERATOR_RE.lastIndex) : flagSpan(text, start, name, kind, wordEnd);
      }
    }
    if (found !== null) {
      add(found);
      re.lastIndex = Math.max(re.lastIndex, found.end);
      continue;
    }
    if (!leadsToSecret(text, m[0], m.index, wordEnd)) continue;
    let to = Math.min(text.length, wordEnd + NEAR_WINDOW);
    const nl = text.indexOf('\n', wordEnd);
    if (nl >= 0 && nl < to) to = nl;
    const window = text.slice(wordEnd, to);
    CANDIDATE_RE.lastIndex = 0;
    for (let cand = CANDIDATE_RE.exec(window); cand !== null; cand = CANDIDATE_RE.exec(window)) {
      const token = cand[0].replace(/[.=~-]+$/, (t) => (t.startsWith('=') ? t : ''));
      const start = wordEnd + cand.index;
      if (start < floor || !looksRandom(token)) continue;
      add({ start, end: start + token.length, kind: 'high-entropy-secret' });
    }
    re.lastIndex = Math.max(re.lastIndex, floor);
  }
  return replaceSpans(text, spans);
}
