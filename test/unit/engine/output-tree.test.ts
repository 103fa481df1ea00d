import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLibraryWorkspace } from '../helpers/fixture-library';
import { buildPackage, configSource, useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();
const custom = (cmd: string) => `{ builder: 'custom', builderOptions: { command: ${JSON.stringify(cmd)} } }`;
const OUT = '"$BUILD_SYSTEM_OUT_DIR"';

describe('runBuild: the output holds only regular files', () => {
  const cases: Record<string, string> = {
    'a link to a file outside the package': `echo ok > ${OUT}/index.js && ln -s /etc/hostname ${OUT}/secret.txt`,
    'a link into node_modules': `echo ok > ${OUT}/index.js && mkdir -p ../../node_modules/dep && echo x > ../../node_modules/dep/a.js && ln -s ../../../node_modules ${OUT}/node_modules`,
    'a link to a device file': `echo ok > ${OUT}/index.js && ln -s /dev/zero ${OUT}/zero.bin`,
    'a named pipe': `echo ok > ${OUT}/index.js && mkfifo ${OUT}/pipe`,
    'a link inside the output': `echo ok > ${OUT}/index.js && ln -s index.js ${OUT}/alias.js`,
  };

  for (const [label, command] of Object.entries(cases)) {
    it(`fails with BS_OUTPUT_NOT_REGULAR for ${label}, reading nothing and keeping the previous outputs`, async () => {
      const ws = createLibraryWorkspace(tempDir, custom(`echo good > ${OUT}/index.js`));
      expect((await buildPackage(ws, { project: 'greet' })).status).toBe('success');
      fs.writeFileSync(path.join(ws.pkg, 'build.config.ts'), configSource(custom(command)));

      const result = await buildPackage(ws, { project: 'greet' });

      expect(result.status).toBe('failure');
      expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_OUTPUT_NOT_REGULAR', phase: 'artifacts' })]);
      expect(result.errors[0].message).toContain(`${ws.pkgRel}/dist/`);
      expect(result.artifacts).toEqual([]);
      expect(fs.readFileSync(path.join(ws.pkg, 'dist/index.js'), 'utf8').trim()).toBe('good');
      expect(fs.readdirSync(path.join(ws.pkg, 'dist')).sort()).toEqual(['.build-system-output', 'index.js']);
    });
  }

  it('never follows a link that an artifacts glob matches outside outDir', async () => {
    const ws = createLibraryWorkspace(tempDir, `{ builder: 'custom', builderOptions: { command: 'echo ok > "$BUILD_SYSTEM_OUT_DIR/index.js"' }, artifacts: ['dist/**', 'extra/**'] }`);
    fs.mkdirSync(path.join(ws.pkg, 'extra'));
    fs.symlinkSync('/etc/hostname', path.join(ws.pkg, 'extra/host.txt'));

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.status).toBe('success');
    expect(result.artifacts.map((a) => a.path)).toEqual([`${ws.pkgRel}/dist/index.js`]);
  });

  it('never reads a special file that an artifacts glob matches outside outDir', async () => {
    const ws = createLibraryWorkspace(tempDir, `{ builder: 'custom', builderOptions: { command: 'echo ok > "$BUILD_SYSTEM_OUT_DIR/index.js"' }, artifacts: ['dist/**', 'extra/**'] }`);
    fs.mkdirSync(path.join(ws.pkg, 'extra'));
    execFileSync('mkfifo', [path.join(ws.pkg, 'extra/pipe')]);

    const result = await buildPackage(ws, { project: 'greet' });

    // Reading a FIFO would block for ever: it is neither read nor listed.
    expect(result.status).toBe('success');
    expect(result.artifacts.map((a) => a.path)).toEqual([`${ws.pkgRel}/dist/index.js`]);
  });
});

describe('runBuild: file names are paths, not strings', () => {
  it('records a file whose name holds a backslash, or starts with two dots, under its real path', async () => {
    const ws = createLibraryWorkspace(tempDir, custom(`echo a > ${OUT}/index.js && echo b > ${OUT}/'odd\\name.js' && echo c > ${OUT}/..hidden.js`));

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.errors).toEqual([]);
    expect(result.artifacts.map((a) => a.path).sort()).toEqual([`${ws.pkgRel}/dist/..hidden.js`, `${ws.pkgRel}/dist/index.js`, `${ws.pkgRel}/dist/odd\\name.js`].sort());
    for (const a of result.artifacts) expect(fs.existsSync(path.join(ws.root, a.path))).toBe(true);
  });
});
