// The shell splitter behind bash-kind.ts. Pure: no node:* imports.
// Splits a command line into simple commands (word lists) at ; & | && || ( ) and newlines,
// honouring quotes, escapes, $(...) and backticks, and drops redirections and heredoc bodies.
// Not a full shell parser: it only has to find each simple command's words. Linear time.

const SP = 32;
const TAB = 9;
const CR = 13;
const NL = 10;
const BACKSLASH = 92;
const HASH = 35;
const AMP = 38;
const SEMI = 59;
const PIPE = 124;
const LPAREN = 40;
export const RPAREN = 41;
const LT = 60;
const GT = 62;
const SQUOTE = 39;
const DQUOTE = 34;
const DOLLAR = 36;
const BACKTICK = 96;
const DASH = 45;

export function splitSegments(src: string): string[][] {
  const segments: string[][] = [];
  let words: string[] = [];
  const heredocs: string[] = [];
  const n = src.length;
  const endSegment = (): void => {
    if (words.length > 0) segments.push(words);
    words = [];
  };
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === SP || c === TAB || c === CR) {
      i++;
    } else if (c === NL) {
      endSegment();
      i = heredocs.length > 0 ? skipHeredocBodies(src, i + 1, heredocs.splice(0)) : i + 1;
    } else if (c === BACKSLASH && src.charCodeAt(i + 1) === NL) {
      i += 2; // line continuation
    } else if (c === HASH) {
      const nl = src.indexOf('\n', i); // comment; the newline still ends the segment
      i = nl === -1 ? n : nl;
    } else if (c === AMP && src.charCodeAt(i + 1) === GT) {
      i = skipRedirectTarget(src, i + (src.charCodeAt(i + 2) === GT ? 3 : 2), null); // &> &>>
    } else if (c === SEMI || c === PIPE || c === AMP || c === LPAREN || c === RPAREN) {
      endSegment();
      i++;
    } else if (c === LT || c === GT) {
      i = readRedirect(src, i, heredocs);
    } else {
      const start = i;
      const w = readWord(src, i);
      i = w.next;
      const after = src.charCodeAt(i);
      // "2>&1", "2>/dev/null": the digits name a file descriptor, they are not a word
      if ((after === GT || after === LT) && isAllDigits(src, start, i)) continue;
      words.push(w.word);
    }
  }
  endSegment();
  return segments;
}

function isAllDigits(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return to > from;
}

function isWordEnd(c: number): boolean {
  return (
    c === SP || c === TAB || c === NL || c === CR || c === SEMI || c === PIPE || c === AMP ||
    c === LT || c === GT || c === LPAREN || c === RPAREN
  );
}

/** Reads one shell word from i, removing quotes; stops at unquoted whitespace or an operator. */
function readWord(src: string, i: number): { word: string; next: number } {
  const n = src.length;
  let word = '';
  let run = i; // start of the pending unquoted run
  while (i < n) {
    const c = src.charCodeAt(i);
    if (isWordEnd(c)) break;
    if (c === SQUOTE) {
      const close = src.indexOf("'", i + 1);
      const end = close === -1 ? n : close;
      word += src.slice(run, i) + src.slice(i + 1, end);
      i = run = Math.min(end + 1, n);
    } else if (c === DQUOTE) {
      word += src.slice(run, i);
      let part = ++i;
      while (i < n && src.charCodeAt(i) !== DQUOTE) {
        const d = src.charCodeAt(i);
        const e = src[i + 1];
        if (d === BACKSLASH && (e === '"' || e === '\\' || e === '$' || e === '`' || e === '\n')) {
          word += src.slice(part, i) + (e === '\n' ? '' : e);
          i += 2;
          part = i;
        } else if (d === DOLLAR && e === '(') {
          i = skipBalanced(src, i + 2); // "$(cat <<'EOF' ... "quoted" ... EOF)" is one word
        } else {
          i++;
        }
      }
      word += src.slice(part, Math.min(i, n));
      i = run = Math.min(i + 1, n);
    } else if (c === BACKSLASH) {
      const e = src[i + 1];
      word += src.slice(run, i) + (e === undefined || e === '\n' ? '' : e);
      i = run = Math.min(i + 2, n);
    } else if (c === DOLLAR && src.charCodeAt(i + 1) === LPAREN) {
      i = skipBalanced(src, i + 2); // $( ... ) stays verbatim inside the word
    } else if (c === BACKTICK) {
      const close = src.indexOf('`', i + 1);
      i = close === -1 ? n : close + 1;
    } else {
      i++;
    }
  }
  return { word: word + src.slice(run, i), next: i };
}

/** Index just after the parenthesis closing one already opened; quotes and heredoc bodies are skipped. */
export function skipBalanced(src: string, i: number): number {
  const n = src.length;
  let depth = 1;
  const heredocs: string[] = [];
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === SQUOTE || c === DQUOTE) {
      const close = src.indexOf(c === SQUOTE ? "'" : '"', i + 1);
      i = close === -1 ? n : close + 1;
    } else if (c === BACKSLASH) {
      i += 2;
    } else if (c === LT && src.charCodeAt(i + 1) === LT && src.charCodeAt(i + 2) !== LT) {
      const d = readDelimiter(src, i + (src.charCodeAt(i + 2) === DASH ? 3 : 2));
      if (d.delim.length > 0) heredocs.push(d.delim);
      i = d.next;
    } else if (c === NL && heredocs.length > 0) {
      i = skipHeredocBodies(src, i + 1, heredocs.splice(0)); // may hold quotes and parentheses
    } else {
      if (c === LPAREN) depth++;
      else if (c === RPAREN && --depth === 0) return i + 1;
      i++;
    }
  }
  return n;
}

/** At < or >: consumes the operator and its target word; remembers heredoc delimiters. */
function readRedirect(src: string, i: number, heredocs: string[]): number {
  const next = src.charCodeAt(i + 1);
  if (src.charCodeAt(i) === LT && next === LT) {
    if (src.charCodeAt(i + 2) === LT) return skipRedirectTarget(src, i + 3, null); // <<< here-string
    return skipRedirectTarget(src, i + (src.charCodeAt(i + 2) === DASH ? 3 : 2), heredocs); // << <<-
  }
  const twoChar = next === GT || next === AMP || next === PIPE; // >> >& >| <& <>
  return skipRedirectTarget(src, i + (twoChar ? 2 : 1), null);
}

function skipRedirectTarget(src: string, i: number, heredocs: string[] | null): number {
  if (heredocs) {
    const d = readDelimiter(src, i);
    if (d.delim.length > 0) heredocs.push(d.delim);
    return d.next;
  }
  while (src.charCodeAt(i) === SP || src.charCodeAt(i) === TAB) i++;
  return i >= src.length || isWordEnd(src.charCodeAt(i)) ? i : readWord(src, i).next;
}

/**
 * A heredoc delimiter ('EOF', "EOF", \EOF, EOF) with its quotes removed. Deliberately simpler than
 * readWord, which it must not call: readWord -> skipBalanced -> heredoc -> readWord could recurse
 * once per "$(<<" in the input and overflow the stack.
 */
function readDelimiter(src: string, i: number): { delim: string; next: number } {
  const n = src.length;
  while (src.charCodeAt(i) === SP || src.charCodeAt(i) === TAB) i++;
  let delim = '';
  for (; i < n; i++) {
    const c = src.charCodeAt(i);
    if (isWordEnd(c)) break;
    if (c !== SQUOTE && c !== DQUOTE && c !== BACKSLASH) delim += src[i];
  }
  return { delim, next: i };
}

/** From the line after a heredoc operator, skips each pending body through its delimiter line. */
function skipHeredocBodies(src: string, i: number, delims: readonly string[]): number {
  const n = src.length;
  for (const delim of delims) {
    while (i < n) {
      const nl = src.indexOf('\n', i);
      const end = nl === -1 ? n : nl;
      // Lenient about surrounding blanks: covers <<- tab stripping and sloppy indentation.
      const done = src.slice(i, end).trim() === delim;
      i = end + 1;
      if (done) break;
    }
  }
  return Math.min(i, n);
}
