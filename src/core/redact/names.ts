// Secret-like names (env vars, JSON keys, CLI flags, headers) for redaction. Pure: no node:* imports.

/**
 * Matched against a normalized name (snake_case, lower). A name is secret-like when it *ends* with
 * the secret word, so `GITHUB_TOKEN` and `clientSecret` match but `max_tokens`, `token_type`,
 * `secret_name`, `primary_key`, `session_id` and `PWD` (the working directory) do not.
 */
const SECRET_NAME_RE =
  /(?:password|passwd|passphrase|secret|token)$|(?:^|_)(?:pass|pat|auth|cookie|authorization|credentials?|(?:api|access|secret|private|client|master|encryption|signing|account|license|app|service|auth|shared|storage|subscription|webhook|ssh|gpg|pgp|session|consumer|admin|deploy|sas|bot|rpc|db|x_api)_?key)$|.+_pwd$/;

/** Words whose presence lets the name-based rules run at all (and names be secret-like). */
const SECRET_WORD_GATE = /pass|pwd|secret|token|key|auth|credential|cookie|pat\b/i;

export function normalizeName(name: string): string {
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
