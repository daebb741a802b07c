// Writes a file whole: a temporary file beside it, then a rename, so a reader (a hook, above all)
// never sees half of one. Private to the user (0600). A failed write leaves no temporary file.
import fs from 'node:fs';
import path from 'node:path';

export function writeFileWhole(file: string, text: string, options: { mkdir?: boolean } = {}): void {
  if (options.mkdir) fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, text, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
