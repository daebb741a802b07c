// The project of a working directory: its git root when there is one. Memoised, since every
// event of a session repeats the same cwd.
import fs from 'node:fs';
import path from 'node:path';

export function gitRootResolver(): (cwd: string) => string | null {
  const cache = new Map<string, string | null>();
  return (cwd: string) => {
    const hit = cache.get(cwd);
    if (hit !== undefined) return hit;
    let root: string | null = null;
    if (path.isAbsolute(cwd)) {
      for (let dir = cwd; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, '.git'))) {
          root = dir;
          break;
        }
        if (path.dirname(dir) === dir) break;
      }
    }
    cache.set(cwd, root);
    return root;
  };
}
