// The YAML frontmatter of agent, skill and command files, read with the `yaml` package.
//
// Claude Code components describe themselves in a `---` block at the top of a Markdown file:
//   ---
//   name: code-reviewer
//   description: Reviews code. Use after writing or changing code.
//   tools: Read, Grep
//   ---
// We keep the flat fields: scalars as written (the failsafe schema: `3.10`, `yes` and `null` stay
// text), lists joined with ", ", block scalars without their trailing line breaks; nested maps (e.g.
// `hooks:`) are left out. Many hand-written descriptions are not valid YAML (`description: Use this
// when: ...` has a second ": "), and Claude Code reads them anyway: when the block does not parse,
// each top-level field is parsed on its own, and one that still does not is read as the plain text
// after its key (continuation lines joined with spaces). Only CLI paths read these (catalog/scan.ts),
// never a hook. No I/O, but shell: `yaml` is loaded on the first read (node:module), so orchestrate,
// whose plans of built-in tools never read one, starts without it (it costs about 100 ms on a slow
// machine, as much as the node start orchestrate is built to cost).
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

const load = createRequire(import.meta.url);
let yaml: typeof Yaml | null = null;

export interface Frontmatter {
  /** top-level scalar fields; lists are joined with ", " */
  data: Record<string, string>;
  /** the Markdown after the frontmatter (the whole text when there is none) */
  body: string;
}

export function parseFrontmatter(text: string): Frontmatter {
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = src.split('\n');
  if (lines[0]?.trimEnd() !== '---') return { data: {}, body: src };
  const end = lines.findIndex((l, i) => i > 0 && (l.trimEnd() === '---' || l.trimEnd() === '...'));
  if (end < 0) return { data: {}, body: src };
  return { data: readFields(lines.slice(1, end)), body: lines.slice(end + 1).join('\n') };
}

/** A top-level `key:` line (the start of a field). */
const KEY_LINE = /^([A-Za-z_][\w-]*)\s*:(?:\s+(.*)|\s*)$/;

function readFields(lines: string[]): Record<string, string> {
  const whole = parseYaml(lines.join('\n'));
  if (whole !== undefined) return flatFields(whole);
  // Not valid YAML as a whole: field by field (a field runs to the next top-level key).
  const data: Record<string, string> = {};
  let start = lines.findIndex((l) => KEY_LINE.test(l));
  while (start >= 0 && start < lines.length) {
    let next = start + 1;
    while (next < lines.length && !KEY_LINE.test(lines[next]!)) next++;
    const field = lines.slice(start, next);
    const parsed = parseYaml(field.join('\n'));
    if (parsed !== undefined) Object.assign(data, flatFields(parsed));
    else {
      const m = KEY_LINE.exec(field[0]!)!;
      const rest = field.slice(1).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
      data[m[1]!] = [(m[2] ?? '').trim(), ...rest].filter((s) => s !== '').join(' ');
    }
    start = next;
  }
  return data;
}

/** The document's value, or undefined when it is not valid YAML. */
function parseYaml(text: string): unknown {
  yaml ??= load('yaml') as typeof Yaml;
  const doc = yaml.parseDocument(text, { schema: 'failsafe', uniqueKeys: false, prettyErrors: false });
  return doc.errors.length > 0 ? undefined : doc.toJS();
}

function flatFields(value: unknown): Record<string, string> {
  const data: Record<string, string> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return data;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') data[key] = v.replace(/\n+$/, '');
    else if (Array.isArray(v)) data[key] = v.filter((x): x is string => typeof x === 'string').join(', ');
    else if (v === null || v === undefined) data[key] = '';
    // a nested map: not a flat field
  }
  return data;
}
