import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileWhole, writeWhole } from '../src/shell/write-whole.js';
import { tempDirs } from './helpers/temp-dirs.js';

const tempDir = tempDirs('am-whole-');

describe('writeFileWhole', () => {
  it('replaces the file in one step, private to the user, creating its folder on request', () => {
    const file = path.join(tempDir(), 'a', 'b', 'ctx.json');
    writeFileWhole(file, 'one', { mkdir: true });
    writeFileWhole(file, 'two');
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['ctx.json']);
  });

  it('leaves no temporary file when the rename fails, and says why', () => {
    const dir = tempDir();
    const target = path.join(dir, 'taken');
    fs.mkdirSync(path.join(target, 'inside'), { recursive: true }); // a non-empty folder cannot be renamed over
    expect(() => writeFileWhole(target, 'x')).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['taken']);
  });

  it('replaces a temporary file an earlier run of this pid left, but writes into nothing else of that name', () => {
    const dir = tempDir();
    const file = path.join(dir, 'f.json');
    fs.writeFileSync(`${file}.tmp-${process.pid}`, 'half a fi', { mode: 0o644 });
    writeFileWhole(file, 'whole');
    expect(fs.readFileSync(file, 'utf8')).toBe('whole');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['f.json']);
    fs.mkdirSync(`${file}.tmp-${process.pid}`);
    expect(() => writeFileWhole(file, 'blocked')).toThrow(/EEXIST/);
    expect(fs.readFileSync(file, 'utf8')).toBe('whole');
    expect(fs.statSync(`${file}.tmp-${process.pid}`).isDirectory()).toBe(true);
  });

  it('keep: writes through a symlink and keeps the permissions; a new file gets `mode` exactly', () => {
    const dir = tempDir();
    const real = path.join(dir, 'dotfiles', 'settings.json');
    fs.mkdirSync(path.dirname(real));
    fs.writeFileSync(real, '{}');
    fs.chmodSync(real, 0o640);
    const link = path.join(dir, 'settings.json');
    fs.symlinkSync(real, link);
    writeFileWhole(link, '{"a": 1}', { keep: true, mode: 0o644, fsync: true });
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toBe('{"a": 1}');
    expect(fs.statSync(real).mode & 0o777).toBe(0o640);
    const fresh = path.join(dir, 'new.json');
    const umask = process.umask(0o077);
    try {
      writeFileWhole(fresh, '{}', { keep: true, mode: 0o644 });
    } finally {
      process.umask(umask);
    }
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o644);
  });
});

describe('writeWhole', () => {
  it('writes the chunks as they come and returns what fill returns; a fill that throws leaves the old file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'log.csv');
    expect(writeWhole(file, (write) => {
      write('a,b\r\n');
      write('ü,2\r\n');
      return 2;
    })).toBe(2);
    expect(fs.readFileSync(file, 'utf8')).toBe('a,b\r\nü,2\r\n');
    expect(() => writeWhole(file, (write) => {
      write('partial');
      throw new Error('store went away');
    })).toThrow('store went away');
    expect(fs.readFileSync(file, 'utf8')).toBe('a,b\r\nü,2\r\n');
    expect(fs.readdirSync(dir)).toEqual(['log.csv']);
  });
});
