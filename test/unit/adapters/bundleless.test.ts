import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundlelessImport, emittedSpecifier } from '../../../src/adapters/bundleless';
import { listModules } from '../../../src/config/bundleless-modules';
import { resolveBuild } from '../../../src/config/resolve';
import { DEFAULTS } from '../../../src/config/defaults';
import { createLibraryWorkspace, runNode } from '../helpers/fixture-library';
import { buildPackage, useTempDirs, writeFiles } from '../helpers/workspace';

const tempDir = useTempDirs();

/** A small component library: an index, a folder module, a util, a test and a story beside them. */
const LIBRARY = {
  'src/index.ts': "export { Button } from './button';\nexport { format } from './utils/format';\n",
  'src/button/index.tsx': "/** @jsx h */\nimport { h } from '../utils/h';\nimport { format } from '../utils/format.js';\nexport const Button = (label: string) => <button>{format(label)}</button>;\n",
  'src/button/button.test.ts': "import { Button } from './index';\nthrow new Error('a test is not a module ' + Button);\n",
  'src/button/button.stories.tsx': "export default { title: 'Button' };\n",
  'src/utils/format.ts': "import { sep } from 'node:path';\nexport const format = (s: string): string => `${s.trim()}${sep === '/' ? '' : ''}`;\n",
  'src/utils/h.ts': "export const h = (tag: string, _props: unknown, ...children: unknown[]): string => `<${tag}>${children.join('')}</${tag}>`;\n",
  'src/types.d.ts': "declare module 'node:path' {\n  export const sep: string;\n}\ndeclare namespace JSX {\n  type IntrinsicElements = Record<string, unknown>;\n}\n",
  'tsconfig.json': JSON.stringify({
    compilerOptions: { strict: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', jsx: 'react', jsxFactory: 'h', skipLibCheck: true, types: [] },
    include: ['src'],
  }),
};

describe('bundleless module list', () => {
  it("lists every source module under the entry's folder, less tests, stories and declarations", () => {
    const root = tempDir();
    writeFiles(root, { ...LIBRARY, 'src/data.json': '{}', 'node_modules/x/index.js': '' });
    const list = listModules([path.join(root, 'src/index.ts')], root, DEFAULTS.bundlelessExclude);
    expect(list.root).toBe(path.join(root, 'src'));
    expect(list.files.map((f) => path.relative(root, f))).toEqual(['src/button/index.tsx', 'src/index.ts', 'src/utils/format.ts', 'src/utils/h.ts']);
  });

  it('uses the common folder of entries in different folders as the root', () => {
    const root = tempDir();
    writeFiles(root, { 'src/lib/index.ts': '', 'src/cli/main.ts': '', 'src/cli/args.ts': '', 'scripts/x.ts': '' });
    const list = listModules([path.join(root, 'src/lib/index.ts'), path.join(root, 'src/cli/main.ts')], root, []);
    expect(list.root).toBe(path.join(root, 'src'));
    expect(list.files.map((f) => path.relative(root, f))).toEqual(['src/cli/args.ts', 'src/cli/main.ts', 'src/lib/index.ts']);
  });

  it('refuses two modules that would be written to the same file', () => {
    const root = tempDir();
    writeFiles(root, { 'src/index.ts': '', 'src/a.ts': '', 'src/a.tsx': '' });
    expect(() => listModules([path.join(root, 'src/index.ts')], root, [])).toThrow(/a\.ts and a\.tsx .* would both be written as a\.js/);
  });
});

describe('bundleless resolve', () => {
  const resolveIn = (root: string, config: Record<string, unknown>) =>
    resolveBuild(config, { project: 'lib', workspaceRoot: root, packageRoot: root, configFile: path.join(root, 'build.config.ts'), env: {} });

  it('names entries by their path under the mirrored folder and lets auto pick esbuild', () => {
    const root = tempDir();
    writeFiles(root, { 'src/lib/index.ts': '', 'src/cli/main.ts': '' });
    const build = resolveIn(root, { entry: { lib: 'src/lib/index.ts', bin: 'src/cli/main.ts' }, bundle: false });
    expect(build.entries.map((e) => e.name)).toEqual(['lib/index', 'cli/main']);
    expect(build.modules?.root).toBe(path.join(root, 'src'));
    expect(build.builder).toBe('esbuild');
  });

  it('refuses the iife format, which cannot import its modules', () => {
    const root = tempDir();
    writeFiles(root, { 'src/index.ts': '' });
    expect(() => resolveIn(root, { bundle: false, formats: ['esm', 'iife'] })).toThrow(/cannot write the iife format/);
  });
});

describe('bundleless import specifiers', () => {
  it('rewrites a relative import to the emitted file of the module it names, per extension', () => {
    const root = tempDir();
    writeFiles(root, LIBRARY);
    const modules = new Set(listModules([path.join(root, 'src/index.ts')], root, DEFAULTS.bundlelessExclude).files);
    const index = path.join(root, 'src/index.ts');
    const button = path.join(root, 'src/button/index.tsx');
    expect(bundlelessImport('./button', index, modules, '.js')).toMatchObject({ kind: 'module', specifier: './button/index.js' });
    expect(bundlelessImport('./utils/format', index, modules, '.cjs')).toMatchObject({ kind: 'module', specifier: './utils/format.cjs' });
    expect(bundlelessImport('../utils/format.js', button, modules, '.mjs')).toMatchObject({ kind: 'module', specifier: '../utils/format.mjs' });
    expect(bundlelessImport('./index', path.join(root, 'src/button/button.test.ts'), modules, '.js')).toMatchObject({ specifier: './index.js' });
    expect(bundlelessImport('./button.test', button, modules, '.js')).toMatchObject({ kind: 'outside' });
    expect(bundlelessImport('./nothing', index, modules, '.js')).toEqual({ kind: 'missing' });
  });

  it('leaves an import of a file that is no module as written', () => {
    const root = tempDir();
    writeFiles(root, { 'src/index.ts': '', 'src/data.json': '{}' });
    expect(bundlelessImport('./data.json', path.join(root, 'src/index.ts'), new Set([path.join(root, 'src/index.ts')]), '.js')).toEqual({ kind: 'other' });
  });

  it('writes a sibling as ./name and a parent as ../name', () => {
    expect(emittedSpecifier('/p/src/a/b.ts', '/p/src/a/c.ts', '.js')).toBe('./b.js');
    expect(emittedSpecifier('/p/src/b.tsx', '/p/src/a/c.ts', '.cjs')).toBe('../b.cjs');
  });
});

describe.each(['esbuild', 'rollup', 'rolldown'])('bundle: false with %s', (builder) => {
  it('writes one file per module with rewritten imports, which Node imports in both formats', async () => {
    const ws = createLibraryWorkspace(tempDir, `{ builder: '${builder}', bundle: false, formats: ['esm', 'cjs'], dts: true }`, {
      files: { ...LIBRARY, 'src/shout.ts': '' },
    });
    fs.rmSync(path.join(ws.pkg, 'src/shout.ts'));

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.errors).toEqual([]);
    const byPath = Object.fromEntries(result.artifacts.map((a) => [a.path.slice(ws.pkgRel.length + 1), a.kind]));
    expect(byPath).toMatchObject({
      'dist/index.js': 'entry',
      'dist/index.cjs': 'entry',
      'dist/button/index.js': 'chunk',
      'dist/button/index.cjs': 'chunk',
      'dist/utils/format.js': 'chunk',
      'dist/utils/h.cjs': 'chunk',
      'dist/index.d.ts': 'types',
      'dist/button/index.d.ts': 'types',
      'dist/button/index.d.cts': 'types',
    });
    expect(Object.keys(byPath).filter((p) => /test|stories/.test(p))).toEqual([]);
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/index.js'), 'utf8')).toContain('./button/index.js');
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/index.cjs'), 'utf8')).toContain('./button/index.cjs');
    for (const file of ['dist/index.js', 'dist/index.cjs']) {
      const url = JSON.stringify(path.join(ws.pkg, file));
      expect(runNode(['-e', `import(${url}).then((m) => console.log(m.Button(' ok ')))`])).toBe('<button>ok</button>');
    }
  });
});

describe('bundle: false with bun', () => {
  const config = "{ builder: '%s', bundle: false, formats: ['esm', 'cjs'], dts: true }";
  const build = async (builder: string) => {
    const ws = createLibraryWorkspace(tempDir, config.replace('%s', builder), { files: LIBRARY });
    fs.rmSync(path.join(ws.pkg, 'src/shout.ts'));
    const result = await buildPackage(ws, { project: 'greet' });
    return { ws, result, files: result.artifacts.map((a) => `${a.path.slice(ws.pkgRel.length + 1)} ${a.kind}`).sort() };
  };

  it('writes the files the esbuild bundleless build writes, which Node imports and requires', async () => {
    const bun = await build('bun');
    const esbuild = await build('esbuild');

    expect(bun.result.errors).toEqual([]);
    expect(bun.result.builder).toMatchObject({ name: 'bun' });
    expect(bun.files).toEqual(esbuild.files);
    expect(bun.files).toContain('dist/button/index.cjs chunk');
    const { pkg } = bun.ws;
    expect(fs.readFileSync(path.join(pkg, 'dist/index.js'), 'utf8')).toContain('"./button/index.js"');
    expect(fs.readFileSync(path.join(pkg, 'dist/button/index.cjs'), 'utf8')).toContain('"../utils/format.cjs"');
    const esm = JSON.stringify(path.join(pkg, 'dist/index.js'));
    const cjs = JSON.stringify(path.join(pkg, 'dist/index.cjs'));
    expect(runNode(['-e', `import(${esm}).then((m) => console.log(m.Button(' ok ')))`])).toBe('<button>ok</button>');
    expect(runNode(['-e', `console.log(require(${cjs}).Button(' ok '))`])).toBe('<button>ok</button>');
  });

  it('fails an import of an excluded module, naming the importer', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'bun', bundle: false }", {
      files: { ...LIBRARY, 'src/index.ts': "import './button/button.stories';\nexport { Button } from './button';\n" },
    });
    fs.rmSync(path.join(ws.pkg, 'src/shout.ts'));

    const result = await buildPackage(ws, { project: 'greet' });

    expect(result.status).toBe('failure');
    expect(result.errors.map((e) => e.message).join('\n')).toMatch(/index\.ts imports "\.\/button\/button\.stories" \(button\/button\.stories\.tsx\), which is not a module of this bundleless build/);
    expect(fs.existsSync(path.join(ws.pkg, 'dist/index.js'))).toBe(false);
  });
});
