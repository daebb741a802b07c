// A tiny reader for the YAML frontmatter of agent, skill and command files. Pure.
//
// Claude Code components describe themselves in a `---` block at the top of a Markdown file:
//   ---
//   name: code-reviewer
//   description: Reviews code. Use after writing or changing code.
//   tools: Read, Grep
//   ---
// We only need flat string fields, so this reads the YAML subset those files use instead of
// pulling in a YAML library: `key: value` (plain, 'single' or "double" quoted), plain values that
// continue on more-indented lines, block scalars (`key: |` keeps line breaks, `key: >` folds them),
// and lists (`- item` lines or `[a, b]`), which come back joined with ", ". Nested maps (e.g.
// `hooks:`) are skipped. Anything it cannot read is left out rather than guessed.

export interface Frontmatter {
  /** top-level scalar fields; lists are joined with ", " */
  data: Record<string, string>;
  /** the Markdown after the frontmatter (the whole text when there is none) */
  body: string;
}

const KEY_LINE = /^([A-Za-z_][\w-]*)\s*:(?:\s+(.*)|\s*)$/;

export function parseFrontmatter(text: string): Frontmatter {
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = src.split('\n');
  if (lines[0]?.trimEnd() !== '---') return { data: {}, body: src };
  const end = lines.findIndex((l, i) => i > 0 && (l.trimEnd() === '---' || l.trimEnd() === '...'));
  if (end < 0) return { data: {}, body: src };
  return { data: readBlock(lines.slice(1, end)), body: lines.slice(end + 1).join('\n') };
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function isBlank(line: string): boolean {
  return line.trim() === '' || line.trimStart().startsWith('#');
}

function readBlock(lines: string[]): Record<string, string> {
  const data: Record<string, string> = {};
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const m = indentOf(line) === 0 ? KEY_LINE.exec(line) : null;
    i++;
    if (!m) continue;
    const key = m[1]!;
    const rest = stripComment(m[2] ?? '').trim();
    // The value's continuation: every following line that is blank or indented.
    const start = i;
    while (i < lines.length && (lines[i]!.trim() === '' || indentOf(lines[i]!) > 0)) i++;
    const more = lines.slice(start, i);
    const value = readValue(rest, more);
    if (value !== null) data[key] = value;
  }
  return data;
}

function readValue(rest: string, more: string[]): string | null {
  const block = /^([|>])([+-]?)\d*$/.exec(rest);
  if (block) return blockScalar(block[1] === '|', block[2] ?? '', more);
  if (rest.startsWith('[')) return flowList(rest);
  if (rest.startsWith('"') || rest.startsWith("'")) return quoted(rest, more);
  if (rest === '') {
    const items = more.filter((l) => !isBlank(l));
    if (items.length === 0) return '';
    if (items.every((l) => l.trimStart().startsWith('- ') || l.trim() === '-')) {
      return items.map((l) => unquote(l.trimStart().slice(1).trim())).join(', ');
    }
    return null; // a nested map: not a flat field
  }
  // A plain scalar may continue on indented lines; YAML folds them with single spaces.
  const cont = more.filter((l) => !isBlank(l)).map((l) => l.trim());
  return [rest, ...cont].join(' ');
}

function blockScalar(literal: boolean, chomp: string, more: string[]): string {
  const content = more.filter((l) => l.trim() !== '');
  const indent = content.length ? Math.min(...content.map(indentOf)) : 0;
  const body = more.map((l) => (l.trim() === '' ? '' : l.slice(indent)));
  while (body.length && body[body.length - 1] === '') body.pop();
  if (literal) return chomp === '+' ? `${body.join('\n')}\n` : body.join('\n');
  // Folding: a single line break becomes a space, a blank line becomes a line break.
  let text = '';
  for (const l of body) {
    if (l === '') text += '\n';
    else text += text === '' || text.endsWith('\n') ? l : ` ${l}`;
  }
  // Trailing line breaks are dropped (YAML "clip" keeps one; a description does not want it).
  return chomp === '+' ? `${text}\n` : text;
}

function flowList(rest: string): string {
  const inner = rest.replace(/^\[/, '').replace(/\]\s*$/, '');
  return inner
    .split(',')
    .map((s) => unquote(s.trim()))
    .filter((s) => s !== '')
    .join(', ');
}

/** A quoted scalar, which may run over several lines. */
function quoted(rest: string, more: string[]): string {
  const q = rest[0]!;
  const joined = [rest, ...more.map((l) => l.trim())].join(' ');
  let out = '';
  for (let i = 1; i < joined.length; i++) {
    const c = joined[i]!;
    if (q === "'" && c === "'") {
      if (joined[i + 1] === "'") {
        out += "'";
        i++;
        continue;
      }
      return out;
    }
    if (q === '"' && c === '\\') {
      const n = joined[i + 1] ?? '';
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      i++;
      continue;
    }
    if (q === '"' && c === '"') return out;
    out += c;
  }
  return out; // unterminated: keep what there is
}

function unquote(s: string): string {
  if (s.length >= 2 && ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'")))) return quoted(s, []);
  return s;
}

/** `value # comment` → `value`; a # inside quotes or without a space before it is kept. */
function stripComment(s: string): string {
  if (s.startsWith('"') || s.startsWith("'")) return s;
  const at = s.search(/\s#/);
  return at >= 0 ? s.slice(0, at) : s;
}
