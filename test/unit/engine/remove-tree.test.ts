import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();
// Root ignores permissions: the removal runs as an unprivileged user, which root can switch to.
const NOBODY = 65534;
const canSwitchUser = process.getuid?.() === 0;

/** Whether a user other than the owner may run `file`: it and every folder above it allow others in. */
function runnableByOthers(file: string): boolean {
  try {
    if (!(fs.statSync(file).mode & 0o001)) return false;
    for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) if (!(fs.statSync(dir).mode & 0o001)) return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * A node the unprivileged user can start: this one, or one on PATH (the Node 22 run of the suite
 * uses a node unpacked into a private temp folder). removeTree is plain JavaScript: any node runs it.
 */
const nodeForOthers = [process.execPath, ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'node'))].find(runnableByOthers);

describe.runIf(canSwitchUser && !!nodeForOthers)('removeTree on a tree a builder made read-only', () => {
  it('removes folders without write permission (rm -rf alone is refused)', () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o777);
    const bundle = path.join(dir, 'remove-tree.cjs');
    buildSync({ entryPoints: [path.resolve(__dirname, '../../../src/engine/remove-tree.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent' });
    const tree = path.join(dir, 'dist');
    fs.mkdirSync(path.join(tree, 'locked/deeper'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'locked/deeper/index.js'), 'x');
    fs.writeFileSync(path.join(tree, 'locked/file.js'), 'x');
    execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, tree]);
    fs.chmodSync(path.join(tree, 'locked/deeper'), 0o555);
    fs.chmodSync(path.join(tree, 'locked'), 0o555);
    const run = (code: string) =>
      execFileSync(nodeForOthers!, ['-e', code], { uid: NOBODY, gid: NOBODY, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

    // The plain removal is refused: this is the situation, not an artefact of the test.
    expect(() => run(`require('fs').rmSync(${JSON.stringify(tree)}, { recursive: true, force: true })`)).toThrow(/EACCES|EPERM/);
    run(`require(${JSON.stringify(bundle)}).removeTree(${JSON.stringify(tree)}).catch((e) => { console.error(e); process.exit(1); })`);

    expect(fs.existsSync(tree)).toBe(false);
  });
});

describe.runIf(!canSwitchUser || !nodeForOthers)('removeTree (not run)', () => {
  it('needs root to switch to an unprivileged user, and a node that user can start', () => {
    expect(canSwitchUser && !!nodeForOthers).toBe(false);
  });
});
