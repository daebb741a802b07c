// redactText: the four phases of redact.ts behind their gates, and a memo for short strings.
// Pure: no node:* imports.
import { applyRules } from './rules.js';
import { LITERAL_RULES, TOKEN_RULES, WORD_RULES } from './rule-lists.js';
import { redactPem } from './structured.js';
import { isAlnum } from './values.js';

// --- phase gates: clean text costs one skim and two regex scans ----------------------------------

const RUN = 20;
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
