// Writes a file whole: a temporary file beside it, then a rename, so a reader (a hook, Claude Code's
// settings watcher, git) never sees half of one. A failed write leaves the old file as it was and no
// temporary file. The one helper for it: context files, settings, the learning repository's work
// tree, exports and backfill's transcript archive (copyFileWhole) all write through here. node:* only
// (hooks bundle it).
import fs from 'node:fs';
import path from 'node:path';

export interface WholeOptions {
  /** make the file's folder first (0700 for a private file, else as the umask has it) */
  mkdir?: boolean;
  /** the new file's permissions, as the umask leaves them (default 0600: private to the user) */
  mode?: number;
  /**
   * keep an existing file's permissions exactly, and write through a symlink to it (a dotfile
   * manager's link stays a link); `mode` is then for a new file, exactly
   */
  keep?: boolean;
  /** flush the data to disk before the rename */
  fsync?: boolean;
}

export function writeFileWhole(file: string, text: string, options: WholeOptions = {}): void {
  writeWhole(file, (write) => write(text), options);
}

/**
 * writeFileWhole for text made in parts: `fill` writes the chunks (each goes to disk as it comes, so a
 * long export is never held in memory) and its result is returned. Nothing replaces `file` unless
 * `fill` returns.
 */
export function writeWhole<T>(file: string, fill: (write: (chunk: string) => void) => T, options: WholeOptions = {}): T {
  let target = file;
  let mode = options.mode ?? 0o600;
  if (options.keep) {
    try {
      target = fs.realpathSync(file);
      mode = fs.statSync(target).mode & 0o777;
    } catch {
      // no file yet: create it at the given path
    }
  }
  if (options.mkdir) fs.mkdirSync(path.dirname(target), { recursive: true, mode: mode & 0o077 ? 0o777 : 0o700 });
  const tmp = `${target}.tmp-${process.pid}`;
  // A file of that name is an earlier run's of this pid, killed mid-write: it goes. Then 'wx': never
  // write into something already there (anything else of that name stops the write), so only what
  // was made here is cleaned up.
  try {
    fs.unlinkSync(tmp);
  } catch {
    // none, or not a file
  }
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    let result: T;
    try {
      result = fill((chunk) => writeAll(fd, chunk));
      if (options.fsync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (options.keep) fs.chmodSync(tmp, mode); // open's mode is filtered by the umask
    fs.renameSync(tmp, target);
    return result;
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * A copy of `from` put in place whole, with the source's access and modification times (`source`:
 * its stat, taken before the copy; to the fraction of a millisecond), so a later same-size-same-mtime
 * check finds it unchanged. Same temporary name and clean-up as writeWhole; the copy has the source's
 * permissions; `mkdir` makes the folder as the umask has it.
 */
export function copyFileWhole(from: string, to: string, options: { mkdir?: boolean; source?: fs.Stats } = {}): void {
  const source = options.source ?? fs.statSync(from);
  if (options.mkdir) fs.mkdirSync(path.dirname(to), { recursive: true });
  const tmp = `${to}.tmp-${process.pid}`;
  fs.rmSync(tmp, { force: true }); // an earlier run's of this pid, killed mid-copy
  try {
    fs.copyFileSync(from, tmp, fs.constants.COPYFILE_EXCL);
    fs.utimesSync(tmp, source.atimeMs / 1000, source.mtimeMs / 1000); // seconds as a float: Dates would round to whole ms
    fs.renameSync(tmp, to);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** writeSync may write less than asked: loop until the whole chunk is out. */
function writeAll(fd: number, chunk: string): void {
  const bytes = Buffer.from(chunk, 'utf8');
  let off = 0;
  while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
}
