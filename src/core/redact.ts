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

export interface RedactOptions {
  /** Strings longer than this are cut to a head plus `…[truncated N chars]`. Default 4000. */
  maxFieldChars?: number;
}

export const DEFAULT_MAX_FIELD_CHARS = 4000;
/** Containers nested this deep (root = 0) are replaced by DEPTH_MARKER. */
export const MAX_DEPTH = 64;
export const DEPTH_MARKER = '[TRUNCATED:depth]';

const MARK = '[REDACTED:';
const marker = (kind: string): string => `${MARK}${kind}]`;

// ---------------------------------------------------------------------------------------------
// Secret-like names (env vars, JSON keys, CLI flags, headers)

/**
 * Matched against a normalized name (snake_case, lower). A name is secret-like when it *ends* with
 * the secret word, so `GITHUB_TOKEN` and `clientSecret` match but `max_tokens`, `token_type`,
 * `secret_name`, `primary_key`, `session_id` and `PWD` (the working directory) do not.
 */
const SECRET_NAME_RE =
  /(?:password|passwd|passphrase|secret|token)$|(?:^|_)(?:pass|pat|auth|cookie|authorization|credentials?|(?:api|access|secret|private|client|master|encryption|signing|account|license|app|service|auth|shared|storage|subscription|webhook|ssh|gpg|pgp|session|consumer|admin|deploy|sas|bot|rpc|db|x_api)_?key)$|.+_pwd$/;

/** Words whose presence lets the name-based rules run at all (and names be secret-like). */
const SECRET_WORD_GATE = /pass|pwd|secret|token|key|auth|credential|cookie|pat\b/i;

function normalizeName(name: string): string {
  return name
    .replace(/^[-$.@:/]+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[-.\s/:]+/g, '_');
}

/**
 * The redaction label for a secret-like name, or null when the name is not secret-like.
 * Exported so other modules (env capture, settings dumps) can use the same notion of "secret name".
 */
export function secretNameKind(name: string): string | null {
  if (name.length < 3 || name.length > 128) return null;
  // Object keys repeat endlessly (session_id, tool_input, ...): remember the verdicts.
  const known = nameKindCache.get(name);
  if (known !== undefined) return known;
  if (nameKindCache.size >= NAME_CACHE_MAX) nameKindCache.clear();
  const kind = SECRET_WORD_GATE.test(name) ? kindOfNormalizedName(normalizeName(name)) : null;
  nameKindCache.set(name, kind);
  return kind;
}

const NAME_CACHE_MAX = 4096;
const nameKindCache = new Map<string, string | null>();

function kindOfNormalizedName(n: string): string | null {
  if (!SECRET_NAME_RE.test(n)) return null;
  if (/(?:password|passwd|passphrase|pass|pwd)$/.test(n)) return 'password';
  if (n.endsWith('secret')) return 'secret';
  if (n.endsWith('token') || /(?:^|_)pat$/.test(n)) return 'token';
  if (/private_?key$/.test(n)) return 'private-key';
  if (/secret_?key$/.test(n)) return 'secret';
  if (/access_?key$/.test(n)) return 'access-key';
  if (/api_?key$/.test(n)) return 'api-key';
  if (n.endsWith('cookie')) return 'cookie';
  if (n.endsWith('authorization')) return 'authorization';
  if (/(?:^|_)auth$/.test(n)) return 'auth';
  if (/credentials?$/.test(n)) return 'credentials';
  return 'key';
}

// ---------------------------------------------------------------------------------------------
// Value heuristics shared by the structural rules

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
function isNonSecretValue(value: string, name: string, quoted: boolean): boolean {
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
function isSecretValue(kind: string, value: string, name: string, quoted: boolean): boolean {
  if (isNonSecretValue(value, name, quoted)) return false;
  if (kind !== 'key') return true;
  const v = value.trim();
  return v.length >= 16 && hasLetterAndDigit(v) && entropy(v) >= 3;
}

const UPPER_RE = /[A-Z]/;
const LOWER_RE = /[a-z]/;
const DIGIT_RE = /[0-9]/;
const hasLetterAndDigit = (s: string): boolean => DIGIT_RE.test(s) && (LOWER_RE.test(s) || UPPER_RE.test(s));
const hasThreeClasses = (s: string): boolean => UPPER_RE.test(s) && LOWER_RE.test(s) && DIGIT_RE.test(s);

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
function looksRandom(s: string): boolean {
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

// ---------------------------------------------------------------------------------------------
// Rules

interface Rule {
  /** substrings one of which must occur for the rule to run (case-sensitive), a regex test, or null: always */
  gate: readonly string[] | RegExp | null;
  apply: (text: string) => string;
}

function gateOpen(gate: readonly string[] | RegExp | null, text: string): boolean {
  if (gate === null) return true;
  if (gate instanceof RegExp) return gate.test(text);
  for (const g of gate) if (text.includes(g)) return true;
  return false;
}

interface PatternSpec {
  kind: string;
  gate: readonly string[] | RegExp;
  /** global regex; with `keep`, group 1 is kept verbatim and group 2 is the secret */
  re: RegExp;
  keep?: boolean;
  validate?: (secret: string, keep: string) => boolean;
}

function patternRule(spec: PatternSpec): Rule {
  return {
    gate: spec.gate,
    apply: (text) =>
      text.replace(spec.re, (...args: unknown[]) => {
        const match = args[0] as string;
        const keep = spec.keep ? ((args[1] as string | undefined) ?? '') : '';
        const secret = spec.keep ? ((args[2] as string | undefined) ?? '') : match;
        if (secret.length === 0 || secret.startsWith(MARK)) return match;
        if (spec.validate && !spec.validate(secret, keep)) return match;
        return keep + marker(spec.kind) + match.slice(keep.length + secret.length);
      }),
  };
}

interface Span {
  start: number;
  end: number;
  kind: string;
}

/** Replace non-overlapping spans, given in increasing order. */
function replaceSpans(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += text.slice(at, s.start) + marker(s.kind);
    at = s.end;
  }
  return out + text.slice(at);
}

// --- PEM private keys ----------------------------------------------------------------------------

const PEM_BEGIN_RE = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/g;
const PEM_END_RE = /-----END ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/g;
/** A key body always has long base64 runs; code that merely mentions the header does not. */
const PEM_BODY_RE = /[A-Za-z0-9+/]{16,}/;
/** Body of a cut-off key (no END line): base64 lines, armor headers, escaped or real newlines. */
const PEM_TAIL_RE = /(?:(?:\s|\\[rn])+(?:[A-Za-z][\w-]*: [^\r\n\\]*|[A-Za-z0-9+/=]{16,}|=[A-Za-z0-9+/]{4}))*(?:(?:\s|\\[rn])*[A-Za-z0-9+/=]+$)?/y;
const PEM_MAX_BODY = 64 * 1024;

function redactPem(text: string): string {
  const spans: Span[] = [];
  // The next END line at or after the current header, found once and reused, so many headers
  // without END lines cost one scan, not one scan each.
  let end: RegExpExecArray | null | undefined;
  PEM_BEGIN_RE.lastIndex = 0;
  for (let m = PEM_BEGIN_RE.exec(text); m !== null; m = PEM_BEGIN_RE.exec(text)) {
    const bodyStart = m.index + m[0].length;
    if (end === undefined || (end !== null && end.index < bodyStart)) {
      PEM_END_RE.lastIndex = bodyStart;
      end = PEM_END_RE.exec(text);
    }
    if (end !== null && end.index - bodyStart <= PEM_MAX_BODY) {
      if (PEM_BODY_RE.test(text.slice(bodyStart, Math.min(end.index, bodyStart + 4096)))) {
        spans.push({ start: m.index, end: end.index + end[0].length, kind: 'private-key' });
        PEM_BEGIN_RE.lastIndex = end.index + end[0].length;
      }
      continue;
    }
    PEM_TAIL_RE.lastIndex = bodyStart;
    const tail = PEM_TAIL_RE.exec(text);
    const tailEnd = tail === null ? bodyStart : bodyStart + tail[0].length;
    if (PEM_BODY_RE.test(text.slice(bodyStart, tailEnd))) {
      spans.push({ start: m.index, end: tailEnd, kind: 'private-key' });
      PEM_BEGIN_RE.lastIndex = tailEnd;
    }
  }
  return replaceSpans(text, spans);
}

// --- Discord bot tokens: the first segment is the base64 of a numeric user id ---------------------

function isDiscordToken(token: string): boolean {
  const first = token.slice(0, token.indexOf('.')).replace(/-/g, '+').replace(/_/g, '/');
  try {
    return /^\d{17,20}$/.test(atob(first + '='.repeat((4 - (first.length % 4)) % 4)));
  } catch {
    return false;
  }
}

// --- URLs with passwords ---------------------------------------------------------------------------

const DB_SCHEMES = new Set([
  'postgres', 'postgresql', 'mysql', 'mariadb', 'mongodb', 'mongodb+srv', 'redis', 'rediss', 'amqp', 'amqps',
  'mssql', 'sqlserver', 'clickhouse', 'cockroachdb', 'neo4j', 'neo4j+s', 'couchdb', 'oracle', 'memcached', 'cassandra',
]);

/** `scheme://user:password@host`; found from the `://` (a fast literal scan), scheme read backwards. */
const URL_CREDENTIALS_RE = /:\/\/([^\s/?#@:"'<>]*):([^\s/?#"'<>]+)(?=@)/g;
const SCHEME_CHAR_RE = /[a-zA-Z0-9+.-]/;

function redactUrlPasswords(text: string): string {
  return text.replace(URL_CREDENTIALS_RE, (match: string, user: string, password: string, offset: number) => {
    let start = offset;
    while (start > 0 && offset - start < 30 && SCHEME_CHAR_RE.test(text[start - 1] ?? '')) start--;
    const scheme = text.slice(start, offset).toLowerCase();
    if (!/^[a-z]/.test(scheme) || isNonSecretValue(password, 'password', true)) return match;
    return `://${user}:${marker(DB_SCHEMES.has(scheme) ? 'db-connection-password' : 'url-password')}`;
  });
}

// --- Authorization headers ---------------------------------------------------------------------------

const AUTH_HEADER_RE = /\b((?:proxy-)?authorization)(?:\\?["'`])?[ \t]*[:=][ \t]*(?:\\?["'`])?[ \t]*/gi;
const AUTH_SCHEME_RE = /(bearer|basic|token|bot|digest|negotiate|ntlm|apikey|api-key|aws4-hmac-sha256|sso-key|oauth|key)[ \t]+/iy;
const AUTH_SINGLE_RE = /[^\s"'`\\,;]+/y;
const AUTH_REST_RE = /[^\n"'`\\]+/y;

function redactAuthHeaders(text: string): string {
  const spans: Span[] = [];
  AUTH_HEADER_RE.lastIndex = 0;
  for (let m = AUTH_HEADER_RE.exec(text); m !== null; m = AUTH_HEADER_RE.exec(text)) {
    let at = AUTH_HEADER_RE.lastIndex;
    AUTH_SCHEME_RE.lastIndex = at;
    const scheme = AUTH_SCHEME_RE.exec(text);
    let valueRe = AUTH_REST_RE;
    if (scheme !== null) {
      at = AUTH_SCHEME_RE.lastIndex;
      const s = (scheme[1] ?? '').toLowerCase();
      if (s !== 'digest' && s !== 'aws4-hmac-sha256') valueRe = AUTH_SINGLE_RE;
    }
    valueRe.lastIndex = at;
    const v = valueRe.exec(text);
    if (v === null) continue;
    const value = v[0].trimEnd();
    if (isNonSecretValue(value, 'authorization', scheme !== null)) continue;
    spans.push({ start: at, end: at + value.length, kind: 'authorization' });
    AUTH_HEADER_RE.lastIndex = at + value.length;
  }
  return replaceSpans(text, spans);
}

// --- secret-like words: `name = value`, `--flag value`, and random strings near the word ----------
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

function redactNamedSecrets(text: string): string {
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

// --- the rule lists, in the order they run -------------------------------------------------------

const B64 = 'A-Za-z0-9+/';

/** Provider tokens, recognised by their own shape. Run when the text could hold one (see gates). */
const TOKEN_RULES: readonly Rule[] = [
  patternRule({ kind: 'jwt', gate: ['eyJ'], re: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g }),
  patternRule({ kind: 'anthropic-api-key', gate: ['sk-ant-'], re: /\bsk-ant-[A-Za-z0-9_-]{20,}/g }),
  patternRule({
    kind: 'openai-api-key',
    gate: ['sk-'],
    re: /\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}/g,
    validate: (s) => hasThreeClasses(s),
  }),
  patternRule({ kind: 'github-token', gate: /gh[pousr]_/, re: /\bgh[pousr]_[A-Za-z0-9]{36,251}\b/g }),
  patternRule({ kind: 'github-fine-grained-pat', gate: ['github_pat_'], re: /\bgithub_pat_[A-Za-z0-9_]{22,255}/g }),
  patternRule({
    kind: 'gitlab-token',
    gate: ['gl'],
    re: /\bgl(?:pat|dt|rt|ptt|cbt|oas|ft|imt|soat)-[A-Za-z0-9_-]{20,}/g,
  }),
  patternRule({ kind: 'slack-token', gate: ['xox'], re: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g }),
  patternRule({ kind: 'slack-app-token', gate: ['xapp-'], re: /\bxapp-[A-Za-z0-9-]{10,}/g }),
  patternRule({ kind: 'stripe-key', gate: ['_live_', '_test_'], re: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/g }),
  patternRule({ kind: 'stripe-webhook-secret', gate: ['whsec_'], re: /\bwhsec_[A-Za-z0-9+/=]{24,}/g }),
  patternRule({ kind: 'google-oauth-token', gate: ['ya29.'], re: /\bya29\.[A-Za-z0-9_-]{20,}/g }),
  patternRule({ kind: 'google-refresh-token', gate: ['1//0'], re: /\b1\/\/0[A-Za-z0-9_-]{30,}/g }),
  patternRule({ kind: 'google-oauth-client-secret', gate: ['GOCSPX-'], re: /\bGOCSPX-[A-Za-z0-9_-]{24,}/g }),
  patternRule({ kind: 'gcp-api-key', gate: ['AIza'], re: /\bAIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g }),
  patternRule({
    kind: 'aws-access-key-id',
    gate: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
  }),
  patternRule({ kind: 'npm-token', gate: ['npm_'], re: /\bnpm_[A-Za-z0-9]{36}\b/g }),
  patternRule({ kind: 'pypi-token', gate: ['pypi-'], re: /\bpypi-[A-Za-z0-9_-]{40,}/g }),
  patternRule({ kind: 'sendgrid-api-key', gate: ['SG.'], re: /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}/g }),
  patternRule({ kind: 'mailgun-api-key', gate: ['key-'], re: /\bkey-[a-z0-9]{32}\b/g, validate: hasLetterAndDigit }),
  patternRule({ kind: 'twilio-api-key', gate: ['SK'], re: /\bSK[0-9a-f]{32}\b/g, validate: hasLetterAndDigit }),
  patternRule({ kind: 'heroku-api-key', gate: ['HRKU-'], re: /\bHRKU-[A-Za-z0-9_-]{20,}/g }),
  patternRule({ kind: 'digitalocean-token', gate: ['_v1_'], re: /\bdo[por]_v1_[a-f0-9]{64}\b/g }),
  patternRule({
    kind: 'huggingface-token',
    gate: ['hf_'],
    re: /\bhf_[A-Za-z0-9]{30,}\b/g,
    validate: (s) => UPPER_RE.test(s) && LOWER_RE.test(s.slice(3)),
  }),
  patternRule({
    kind: 'discord-bot-token',
    gate: ['.'],
    re: /\b[MNO][A-Za-z0-9_-]{22,26}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/g,
    validate: isDiscordToken,
  }),
  patternRule({
    kind: 'telegram-bot-token',
    gate: [':AA'],
    re: /(?:(?<=bot)|(?<![A-Za-z0-9_]))\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
  }),
  patternRule({ kind: 'shopify-token', gate: ['shp'], re: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g }),
  patternRule({ kind: 'age-secret-key', gate: ['AGE-SECRET-KEY-'], re: /\bAGE-SECRET-KEY-1[A-Z0-9]{50,}/g }),
];

/** Structural rules keyed on a literal: webhooks, connection strings, URLs, CLI commands. */
const LITERAL_RULES: readonly Rule[] = [
  patternRule({
    kind: 'slack-webhook',
    gate: ['hooks.slack.com'],
    re: /(https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)([A-Za-z0-9_/+-]{8,})/g,
    keep: true,
  }),
  patternRule({
    kind: 'discord-webhook',
    gate: ['discord'],
    re: /(https?:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/)([A-Za-z0-9_-]{20,})/g,
    keep: true,
  }),
  patternRule({
    kind: 'azure-storage-key',
    gate: ['AccountKey', 'SharedAccessKey'],
    re: new RegExp(`(\\b(?:AccountKey|SharedAccessKey)[ \\t]*=[ \\t]*)([${B64}]{20,}={0,2})`, 'g'),
    keep: true,
  }),
  patternRule({
    kind: 'azure-sas-signature',
    gate: ['sig='],
    re: /([?&]sig=)([A-Za-z0-9%+/]{20,}(?:%3D|=){0,2})/g,
    keep: true,
  }),
  { gate: ['://'], apply: redactUrlPasswords },
  patternRule({
    kind: 'cli-password',
    gate: ['mysql', 'mariadb'],
    re: /((?<=^|[\s;&|(`'"])(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlsh|mariadb|mariadb-dump)\b[^\n;|&]{0,300}?[ \t]-p)("[^"\n]*"|'[^'\n]*'|[^\s'"-][^\s'"]*)/gm,
    keep: true,
    validate: (s) => !isNonSecretValue(s.replace(/^["']|["']$/g, ''), 'password', true),
  }),
  patternRule({
    kind: 'basic-auth-password',
    gate: ['curl', 'wget', 'httpie'],
    re: /(\b(?:curl|wget|httpie)\b[^\n;|&]{0,300}?[ \t](?:-u|--user|--proxy-user)(?:[ \t]+|=)["']?[^\s:"']*:)([^\s"']+)/g,
    keep: true,
    // `-u 1000:1000` is a uid:gid pair, not credentials.
    validate: (s, keep) => !isNonSecretValue(s, 'password', true) && !(/^\d+$/.test(s) && /[\s'"=]\d+:$/.test(keep)),
  }),
];

/** Rules keyed on a secret-like word nearby: named values, headers, flags, the entropy fallback. */
const WORD_RULES: readonly Rule[] = [
  patternRule({
    kind: 'aws-secret-access-key',
    gate: /secret.?access.?key/i,
    re: /((?:aws[_ .-]?)?secret[_ .-]?access[_ .-]?key["']?[ \t]*(?:\[[^\]\n]*\][ \t]*)?[:=][ \t]*["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    keep: true,
  }),
  patternRule({
    kind: 'twilio-account-sid',
    gate: ['twilio', 'Twilio', 'TWILIO'],
    re: /\bAC[0-9a-f]{32}\b/g,
    validate: hasLetterAndDigit,
  }),
  patternRule({
    kind: 'heroku-api-key',
    gate: ['heroku', 'Heroku', 'HEROKU'],
    re: /(heroku[\w.-]{0,40}?(?:api[_-]?key|token)["']?[ \t]*[:=][ \t]*["']?)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/gi,
    keep: true,
  }),
  { gate: ['uthorization', 'UTHORIZATION'], apply: redactAuthHeaders },
  patternRule({
    kind: 'bearer-token',
    gate: ['earer', 'EARER'],
    re: /(\b[Bb]earer[ \t]+)([A-Za-z0-9._~+/-]{16,}=*)/g,
    keep: true,
    validate: hasLetterAndDigit,
  }),
  // WORD_GATE has already passed.
  { gate: null, apply: redactNamedSecrets },
];

// --- phase gates: clean text costs one skim and two regex scans ----------------------------------

const RUN = 20;
const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
/** Characters of a token body: letters, digits, `_` and `-`. */
const isRunChar = (c: number): boolean => isAlnum(c) || c === 95 || c === 45;
/** Characters a token with its prefix, dots and surrounding URL is made of. */
const isTokenChar = (c: number): boolean =>
  isRunChar(c) || c === 46 || c === 58 || c === 47 || c === 43 || c === 61 || c === 126 || c === 37;

/** A long run of letters and digits, or a known prefix: what sets a token apart from an identifier or a UUID. */
const ALNUM_RUN_RE = /[A-Za-z0-9]{16}/;
const KNOWN_ID_SPAN_RE = /^(?:toolu|srvtoolu|msg|req|call|chatcmpl)_[A-Za-z0-9]+$/;
const TOKEN_PREFIX_RE = /eyJ|sk-|ya29\.|1\/\/0|GOCSPX-|pypi-|SG\.|:AA|gl[a-z]{1,5}-|AIza|whsec_|xox|xapp-|HRKU-/;
const LITERAL_GATE = /:\/\/|AccountKey|SharedAccessKey|sig=|mysql|mariadb|curl|wget|httpie/;
const WORD_GATE = /passw|passphrase|pass\b|pwd|secret|token|key|auth|credential|cookie|pat\b|bearer|twilio|heroku/i;

/**
 * Where provider tokens can be. Every token has a body run of 20+ letters, digits, `_` or `-`;
 * such runs are found by probing every 20th character (a run that long must cover a probe), so
 * clean text is skimmed rather than read. Each run is widened to the surrounding token characters
 * (prefix, dots, URL) and kept when it looks like a token rather than an identifier or a UUID.
 * The token rules then run on these few short spans instead of the whole text.
 */
function tokenSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const n = text.length;
  for (let i = RUN - 1; i < n; i += RUN) {
    if (!isRunChar(text.charCodeAt(i))) continue;
    let a = i;
    while (a > 0 && isRunChar(text.charCodeAt(a - 1))) a--;
    let b = i + 1;
    while (b < n && isRunChar(text.charCodeAt(b))) b++;
    if (b - a >= RUN) {
      while (a > 0 && isTokenChar(text.charCodeAt(a - 1))) a--;
      while (b < n && isTokenChar(text.charCodeAt(b))) b++;
      const last = spans[spans.length - 1];
      if (last !== undefined && a <= last[1]) last[1] = Math.max(last[1], b);
      else spans.push([a, b]);
    }
    i = b - 1; // the next probe, b - 1 + RUN, still hits any run that starts after b
  }
  return spans.filter(([a, b]) => {
    const span = text.slice(a, b);
    // Every tool call carries a fresh `toolu_…` id: skip Anthropic/OpenAI object ids outright.
    if (KNOWN_ID_SPAN_RE.test(span)) return false;
    return ALNUM_RUN_RE.test(span) || TOKEN_PREFIX_RE.test(span);
  });
}

function redactTokens(text: string): string {
  const spans = tokenSpans(text);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += text.slice(at, start) + applyRules(TOKEN_RULES, text.slice(start, end));
    at = end;
  }
  return out + text.slice(at);
}

function applyRules(rules: readonly Rule[], text: string): string {
  let out = text;
  for (const rule of rules) if (gateOpen(rule.gate, out)) out = rule.apply(out);
  return out;
}

/**
 * Short strings repeat endlessly across events (session ids, paths, tool names, event names), and
 * for them the fixed cost of the gates dominates: remember recent results. Deterministic, bounded.
 */
const MEMO_MAX_CHARS = 256;
const MEMO_MAX_ENTRIES = 8192;
const memo = new Map<string, string>();

/** Replace every secret in `text` with `[REDACTED:<kind>]`. Idempotent. */
export function redactText(text: string): string {
  if (text.length < 6) return text;
  if (text.length > MEMO_MAX_CHARS) return redactUncached(text);
  const known = memo.get(text);
  if (known !== undefined) return known;
  const out = redactUncached(text);
  if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
  memo.set(text, out);
  return out;
}

function redactUncached(text: string): string {
  let out = text;
  if (out.includes('PRIVATE KEY')) out = redactPem(out);
  out = redactTokens(out);
  if (LITERAL_GATE.test(out)) out = applyRules(LITERAL_RULES, out);
  if (WORD_GATE.test(out)) out = applyRules(WORD_RULES, out);
  return out;
}

/** True if redactText would change `text` (for tests and audits). */
export function containsSecret(text: string): boolean {
  return redactText(text) !== text;
}

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
