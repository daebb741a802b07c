// A redaction rule: a cheap gate and the rewrite behind it; spans replaced by markers.
// Pure: no node:* imports.
import { MARK, marker } from './values.js';

export interface Rule {
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

export interface PatternSpec {
  kind: string;
  gate: readonly string[] | RegExp;
  /** global regex; with `keep`, group 1 is kept verbatim and group 2 is the secret */
  re: RegExp;
  keep?: boolean;
  validate?: (secret: string, keep: string) => boolean;
}

export function patternRule(spec: PatternSpec): Rule {
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

export interface Span {
  start: number;
  end: number;
  kind: string;
}

/** Replace non-overlapping spans, given in increasing order. */
export function replaceSpans(text: string, spans: readonly Span[]): string {
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

export function applyRules(rules: readonly Rule[], text: string): string {
  let out = text;
  for (const rule of rules) if (gateOpen(rule.gate, out)) out = rule.apply(out);
  return out;
}
