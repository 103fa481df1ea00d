import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBun } from '../../../src/adapters/bun/find-bun';
import { createLibraryWorkspace, filesUnder, importGreet, REPO, requireGreet } from '../helpers/fixture-library';
import { buildPackage, useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();
const repoBun = await findBun({ workspaceRoot: REPO, packageRoot: REPO });

/** One CommonJS output with its own extension, sub-folder, banner and footer. */
const variant = (builder: string) =>
  `{ builder: '${builder}', outputs: [{ name: 'node', format: 'cjs', dir: 'node', extension: '.production.cjs', banner: '/* banner */', footer: '/* footer */' }] }`;

describe('output options in the bundlers', () => {
  for (const builder of ['esbuild', 'rollup', 'rolldown', ...(repoBun.bun ? ['bun'] : [])]) {
    it(`${builder} writes an output's extension and sub-folder, with its banner first and its footer last`, async () => {
      const ws = createLibraryWorkspace(tempDir, variant(builder));

      const result = await buildPackage(ws, { project: 'greet' });

      expect(result.errors).toEqual([]);
      const file = path.join(ws.pkg, 'dist/node/index.production.cjs');
      const text = fs.readFileSync(file, 'utf8').trim();
      expect(text.startsWith('/* banner */')).toBe(true);
      expect(text.endsWith('/* footer */')).toBe(true);
      expect(requireGreet(file, 'cjs')).toBe('HELLO CJS!');
      expect(result.artifacts.filter((a) => a.kind === 'entry').map((a) => [a.path, a.variant])).toEqual([[`${ws.pkgRel}/dist/node/index.production.cjs`, 'node']]);
    });
  }

  it.each(['rollup', 'rolldown'])('%s keeps the banner and footer around minified code', async (builder) => {
    const ws = createLibraryWorkspace(tempDir, `{ builder: '${builder}', outputs: [{ name: 'min', format: 'esm', minify: true, banner: '/*! license */', footer: '// end' }] }`);

    await buildPackage(ws, { project: 'greet' });

    const text = fs.readFileSync(path.join(ws.pkg, 'dist/index.js'), 'utf8');
    expect(text.startsWith('/*! license */\n')).toBe(true);
    expect(text.trim().endsWith('// end')).toBe(true);
  });

  it.each(['rollup', 'rolldown'])('%s refuses outputs with builderOptions.config, which decides the outputs itself', async (builder) => {
    const ws = createLibraryWorkspace(tempDir, `{ builder: '${builder}', builderOptions: { config: '${builder}.config.mjs' }, outputs: [{ name: 'esm', format: 'esm' }] }`, {
      files: { [`${builder}.config.mjs`]: "export default { input: 'src/index.ts', output: { dir: 'dist' } };\n" },
    });

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.errors).toMatchObject([{ code: 'BS_BUILD_FAILED', message: expect.stringContaining('`outputs` cannot be used with it (output "esm")') }]);
  });
});

describe('output options in tsc', () => {
  it('writes each output in its format into its own folder, with a type marker where the format differs from the package', async () => {
    const ws = createLibraryWorkspace(tempDir, `{ builder: 'tsc', outputs: [{ name: 'es', format: 'esm', dir: 'es' }, { name: 'cjs', format: 'cjs', dir: 'cjs' }] }`);

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.errors).toEqual([]);
    expect(filesUnder(path.join(ws.pkg, 'dist'), path.join(ws.pkg, 'dist'))).toEqual(['cjs/index.js', 'cjs/package.json', 'cjs/shout.js', 'es/index.js', 'es/shout.js']);
    expect(JSON.parse(fs.readFileSync(path.join(ws.pkg, 'dist/cjs/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    expect(requireGreet(path.join(ws.pkg, 'dist/cjs/index.js'), 'cjs')).toBe('HELLO CJS!');
    expect(importGreet(path.join(ws.pkg, 'dist/es/index.js'), 'esm')).toBe('HELLO ESM!');
  });

  for (const [option, value] of [['extension', "'.cjs'"], ['banner', "'/* b */'"], ['cjsInterop', 'true']] as const) {
    it(`rejects ${option} with a message that says what it supports`, async () => {
      const ws = createLibraryWorkspace(tempDir, `{ builder: 'tsc', outputs: [{ name: 'cjs', format: 'cjs', ${option}: ${value} }] }`);

      const result = await buildPackage(ws, { project: 'greet' });

      expect(result.errors).toMatchObject([{ code: 'BS_BUILD_FAILED', message: expect.stringMatching(new RegExp(`cannot apply .*\`${option}\`.*Of an output it supports \`format\` and \`dir\``)) }]);
    });
  }
});
