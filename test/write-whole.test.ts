import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileWhole } from '../src/shell/write-whole.js';
import { tempDirs } from './helpers/temp-dirs.js';

const tempDir = tempDirs('am-whole-');

describe('writeFileWhole', () => {
  it('replaces the file in one step, private to the user, creating its folder on request', () => {
    const file = path.join(tempDir(), 'a', 'b', 'ctx.json');
    writeFileWhole(file, 'one', { mkdir: true });
    writeFileWhole(file, 'two');
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['ctx.json']);
  });

  it('leaves no temporary file when the rename fails, and says why', () => {
    const dir = tempDir();
    const target = path.join(dir, 'taken');
    fs.mkdirSync(path.join(target, 'inside'), { recursive: true }); // a non-empty folder cannot be renamed over
    expect(() => writeFileWhole(target, 'x')).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['taken']);
  });
});
