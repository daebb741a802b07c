// The abstractness guard: the pattern library holds activity names, counts, rates and dates, never
// prompts, paths, command arguments, output or secrets. renderLibrary() and the skill check every file
// with assertAbstract() and throw rather than commit a leak. Pure.

export class NotAbstractError extends Error {
  constructor(
    readonly kind: string,
    readonly where: string,
  ) {
    // The offending text itself is never echoed: it may be the secret.
    super(`${where}: content looks like ${kind}; the pattern library holds only abstract data`);
    this.name = 'NotAbstractError';
  }
}

const NOT_ABSTRACT: readonly [string, RegExp][] = [
  ['a redaction marker', /\[REDACTED/i],
  ['a URL', /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/|\bwww\.[A-Za-z0-9-]+\./],
  ['a Windows path', /\b[A-Za-z]:\\|\\\\[A-Za-z0-9._-]+\\/],
  ['a home-relative path', /(^|[^A-Za-z0-9._-])~[A-Za-z0-9._-]*[/\\]/],
  // "/x/..." at a word boundary: /home/..., /tmp/..., /Users/... (slash commands like /review have one segment)
  ['an absolute path', /(^|[^A-Za-z0-9._~-])\/[A-Za-z0-9._-]+\//],
  ['an e-mail address', /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]*[A-Za-z]/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['an API token', /\b(sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,})/],
  ['a JSON web token', /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./],
  ['a credential assignment', /\b(password|passwd|secret|token|api[_-]?key)\s*[=:]\s*[^\s"',}]{4,}/i],
  ['a hex secret', /\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{32,}\b/i],
  ['a high-entropy token', /(?=[A-Za-z0-9+/_=]*[0-9])(?=[A-Za-z0-9+/_=]*[a-z])(?=[A-Za-z0-9+/_=]*[A-Z])[A-Za-z0-9+/_=]{32,}/],
];

/** The kind of non-abstract content found in `content`, or null when it is clean. */
export function findNotAbstract(content: string): string | null {
  for (const [kind, re] of NOT_ABSTRACT) if (re.test(content)) return kind;
  return null;
}

/** Throws NotAbstractError when `content` looks like it holds a path, URL, secret or redacted text. */
export function assertAbstract(content: string, where = 'content'): void {
  const kind = findNotAbstract(content);
  if (kind) throw new NotAbstractError(kind, where);
}
