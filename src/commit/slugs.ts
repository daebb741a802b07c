// A pattern's identity (its key) and its file name (its slug). Pure and stable across runs and machines.

/** The identity of a sequential pattern: its steps joined by " > " (the directly-follows notation). */
export function patternKey(steps: readonly string[]): string {
  return steps.join(' > ');
}

/** 32-bit FNV-1a of the UTF-16 code units, 8 hex digits. Stable across runs and machines. */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

const MAX_SLUG = 80;

/** "Read > Edit > Bash:test" → "read-edit-bash-test"; long ones are cut and get a hash suffix. */
export function slugOf(steps: readonly string[]): string {
  const base =
    steps
      .map((s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, ''))
      .filter((s) => s.length > 0)
      .join('-') || 'pattern';
  if (base.length <= MAX_SLUG) return base;
  return `${base.slice(0, MAX_SLUG - 9).replace(/-+$/, '')}-${shortHash(patternKey(steps))}`;
}

/**
 * Slugs for a set of patterns. When two different patterns map to the same slug (names that differ
 * only in case or punctuation), each of them gets its key's hash appended, so no file is overwritten.
 */
export function assignSlugs(keys: readonly (readonly string[])[]): Map<string, string> {
  const byKey = new Map<string, string>();
  const bySlug = new Map<string, Set<string>>();
  for (const steps of keys) {
    const key = patternKey(steps);
    const slug = slugOf(steps);
    byKey.set(key, slug);
    bySlug.set(slug, (bySlug.get(slug) ?? new Set()).add(key));
  }
  for (const [key, slug] of byKey) {
    if ((bySlug.get(slug)?.size ?? 0) > 1) byKey.set(key, `${slug}-${shortHash(key)}`);
  }
  return byKey;
}
