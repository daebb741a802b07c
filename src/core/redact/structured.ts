// Secrets found by their structure: PEM private keys, Discord bot tokens, URLs with passwords and
// Authorization headers. Pure: no node:* imports.
import { replaceSpans, type Span } from './rules.js';
import { isNonSecretValue, marker } from './values.js';

// --- PEM private keys ----------------------------------------------------------------------------

const PEM_BEGIN_RE = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/g;
const PEM_END_RE = /-----END ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/g;
/** A key body always has long base64 runs; code that merely mentions the header does not. */
const PEM_BODY_RE = /[A-Za-z0-9+/]{16,}/;
/** Body of a cut-off key (no END line): base64 lines, armor headers, escaped or real newlines. */
const PEM_TAIL_RE = /(?:(?:\s|\\[rn])+(?:[A-Za-z][\w-]*: [^\r\n\\]*|[A-Za-z0-9+/=]{16,}|=[A-Za-z0-9+/]{4}))*(?:(?:\s|\\[rn])*[A-Za-z0-9+/=]+$)?/y;
const PEM_MAX_BODY = 64 * 1024;

export function redactPem(text: string): string {
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

export function isDiscordToken(token: string): boolean {
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

export function redactUrlPasswords(text: string): string {
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

export function redactAuthHeaders(text: string): string {
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
