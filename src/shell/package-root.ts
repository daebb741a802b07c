// The folder this agentops-meta installation lives in (the one holding hooks/ and package.json).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  // Bundled into dist/*.js or run from src/**: walk up to the folder holding our package.json.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'hooks', 'agentops-capture.sh')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the agentops-meta package folder');
    dir = parent;
  }
}
