import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { markExecutables } from '../../../src/engine/executable-bit';
import { useTempDirs, writeFiles } from '../helpers/workspace';

const tempDir = useTempDirs();
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe.skipIf(process.platform === 'win32')('executable bit for files that start with #!', () => {
  it('adds execute bits where read bits are set, to #! files only, anywhere in the output', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'cli.js': '#!/usr/bin/env node\nconsole.log(1);\n',
      'bin/private.mjs': '#!/usr/bin/env node\n',
      'index.js': 'export {};\n',
      'comment.js': '# not a shebang\n',
      'empty.js': '',
    });
    fs.chmodSync(path.join(dir, 'cli.js'), 0o644);
    fs.chmodSync(path.join(dir, 'bin/private.mjs'), 0o600);
    fs.chmodSync(path.join(dir, 'index.js'), 0o644);

    const changed = await markExecutables(dir);

    expect(modeOf(path.join(dir, 'cli.js'))).toBe(0o755);
    expect(modeOf(path.join(dir, 'bin/private.mjs'))).toBe(0o700);
    expect(modeOf(path.join(dir, 'index.js'))).toBe(0o644);
    expect(modeOf(path.join(dir, 'comment.js')) & 0o111).toBe(0);
    expect(changed.sort()).toEqual([path.join(dir, 'bin/private.mjs'), path.join(dir, 'cli.js')]);
  });

  it('never opens a special file: a named pipe in the output does not block it', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'cli.js': '#!/usr/bin/env node\n' });
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    // Opening the pipe for reading would wait for a writer for ever.
    expect(await markExecutables(dir)).toEqual([path.join(dir, 'cli.js')]);
  });
});
