import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfigFile, loadBuildConfig } from '../../../src/config/load';
import { BuildSystemError } from '../../../src/errors';
import { useTempDirs, writeFiles } from '../helpers/workspace';

const tempDir = useTempDirs();

/** A package folder with a package.json of the given type and the given files. */
function makePackage(files: Record<string, string>, type: 'module' | 'commonjs' = 'module'): string {
  const dir = tempDir('bs-load-');
  writeFiles(dir, {
    'package.json': JSON.stringify({ name: 'lib', ...(type === 'module' ? { type: 'module' } : {}) }),
    ...files,
  });
  return dir;
}

async function loadError(file: string): Promise<BuildSystemError> {
  const error = await loadBuildConfig(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BuildSystemError);
  return error as BuildSystemError;
}

describe('loadBuildConfig: file kinds', () => {
  const cases: Array<{ name: string; file: string; type: 'module' | 'commonjs'; source: string }> = [
    {
      name: '.ts with type annotations',
      file: 'build.config.ts',
      type: 'module',
      source:
        "import { defineBuildConfig } from '@repo/build-system';\ninterface Paths { outDir: string }\nconst paths: Paths = { outDir: 'out' };\nexport default defineBuildConfig({ outDir: paths.outDir, formats: ['esm', 'cjs'] });\n",
    },
    {
      name: '.mts',
      file: 'build.config.mts',
      type: 'commonjs',
      source: "import { defineBuildConfig } from '@repo/build-system';\nconst outDir: string = 'out';\nexport default defineBuildConfig({ outDir, formats: ['esm', 'cjs'] });\n",
    },
    {
      name: '.cts',
      file: 'build.config.cts',
      type: 'module',
      source: "import { defineBuildConfig } from '@repo/build-system';\nconst outDir: string = 'out';\nexport default defineBuildConfig({ outDir, formats: ['esm', 'cjs'] });\n",
    },
    {
      name: '.js in a "type": "module" package',
      file: 'build.config.js',
      type: 'module',
      source: "import { defineBuildConfig } from '@repo/build-system';\nexport default defineBuildConfig({ outDir: 'out', formats: ['esm', 'cjs'] });\n",
    },
    {
      name: '.js in a commonjs package',
      file: 'build.config.js',
      type: 'commonjs',
      source: "const { defineBuildConfig } = require('@repo/build-system');\nmodule.exports = defineBuildConfig({ outDir: 'out', formats: ['esm', 'cjs'] });\n",
    },
    {
      name: '.mjs',
      file: 'build.config.mjs',
      type: 'commonjs',
      source: "import { defineBuildConfig } from '@repo/build-system';\nexport default defineBuildConfig({ outDir: 'out', formats: ['esm', 'cjs'] });\n",
    },
    {
      name: '.cjs with module.exports',
      file: 'build.config.cjs',
      type: 'module',
      source: "module.exports = { outDir: 'out', formats: ['esm', 'cjs'] };\n",
    },
  ];

  it.each(cases)('loads a $name config', async ({ file, type, source }) => {
    const dir = makePackage({ [file]: source }, type);
    const loaded = await loadBuildConfig(path.join(dir, file));
    expect(loaded.file).toBe(path.join(dir, file));
    expect(loaded.raw).toEqual({ outDir: 'out', formats: ['esm', 'cjs'] });
  });
});

describe('loadBuildConfig', () => {
  it('resolves the @repo/build-system import where the package is not installed', async () => {
    const dir = makePackage({
      'build.config.ts': "import { defineBuildConfig } from '@repo/build-system';\nexport default defineBuildConfig({ minify: true });\n",
    });
    // Precondition: Node itself cannot resolve the package from this folder.
    expect(() => createRequire(path.join(dir, 'package.json')).resolve('@repo/build-system')).toThrow();

    const loaded = await loadBuildConfig(path.join(dir, 'build.config.ts'));
    expect(loaded.raw).toEqual({ minify: true });
  });

  it('lists a locally imported helper file in imports, after the config itself', async () => {
    const dir = makePackage({
      'build.config.ts': "import { shared } from './tools/shared-config';\nexport default { ...shared, minify: true };\n",
      'tools/shared-config.ts': "export const shared = { outDir: 'lib' };\n",
    });
    const loaded = await loadBuildConfig(path.join(dir, 'build.config.ts'));
    expect(loaded.raw).toEqual({ outDir: 'lib', minify: true });
    expect(loaded.imports).toEqual([path.join(dir, 'build.config.ts'), path.join(dir, 'tools/shared-config.ts')]);
  });

  it('takes a `buildConfig` named export when there is no default export', async () => {
    const dir = makePackage({ 'build.config.ts': "export const buildConfig = { outDir: 'lib' };\n" });
    const loaded = await loadBuildConfig(path.join(dir, 'build.config.ts'));
    expect(loaded.raw).toEqual({ outDir: 'lib' });
  });

  it('gives the same content hash for the same contents and a different one after an edit', async () => {
    const dir = makePackage({ 'build.config.ts': "export default { outDir: 'a' };\n" });
    const file = path.join(dir, 'build.config.ts');
    const first = await loadBuildConfig(file);
    const again = await loadBuildConfig(file);
    writeFiles(dir, { 'build.config.ts': "export default { outDir: 'b' };\n" });
    const edited = await loadBuildConfig(file);

    expect(again.contentHash).toBe(first.contentHash);
    expect(edited.contentHash).not.toBe(first.contentHash);
    expect(edited.raw).toEqual({ outDir: 'b' });
  });

  it('reports a syntax error as BS_CONFIG_SYNTAX with file, 1-based line and column, and a code frame', async () => {
    const badLine = "  formats: ['esm',, }";
    const dir = makePackage({ 'build.config.ts': `export default {\n  outDir: 'dist',\n${badLine}\n};\n` });
    const file = path.join(dir, 'build.config.ts');

    const error = await loadError(file);
    expect(error.code).toBe('BS_CONFIG_SYNTAX');
    expect(error.file).toBe(file);
    expect(error.line).toBe(3);
    expect(error.column).toBe(badLine.indexOf('}') + 1);

    const frame = error.detail!.split('\n');
    const marked = frame.findIndex((l) => l.startsWith('>'));
    expect(frame[marked]).toContain(badLine);
    const caretLine = frame[marked + 1];
    const textStart = caretLine.indexOf('|') + 2;
    expect(caretLine.indexOf('^') - textStart).toBe(error.column! - 1);
  });

  it('points a syntax error in an imported helper at the helper file', async () => {
    const dir = makePackage({
      'build.config.ts': "import { shared } from './shared';\nexport default shared;\n",
      'shared.ts': 'export const shared = {\n  outDir: ,\n};\n',
    });
    const error = await loadError(path.join(dir, 'build.config.ts'));
    expect(error.code).toBe('BS_CONFIG_SYNTAX');
    expect(error.file).toBe(path.join(dir, 'shared.ts'));
    expect(error.line).toBe(2);
  });

  it('names an import that cannot be resolved, and the folder it was resolved from', async () => {
    const dir = makePackage({ 'build.config.ts': "import { shared } from './nope';\nexport default shared;\n" });
    const file = path.join(dir, 'build.config.ts');
    const error = await loadError(file);
    expect(error.code).toBe('BS_CONFIG_SYNTAX');
    expect(error.file).toBe(file);
    expect(error.line).toBe(1);
    expect(error.message).toBe(`Could not resolve the import "./nope" from ${dir}`);
    expect(error.hint).toContain(`Fix the path "./nope" in build.config.ts: no file ${path.join(dir, 'nope')}`);
    expect(error.hint).not.toMatch(/syntax/);
  });

  it('names a package the config imports that is not installed', async () => {
    const dir = makePackage({ 'build.config.ts': "import extra from '@nowhere/not-installed/sub';\nexport default { outDir: extra };\n" });
    const error = await loadError(path.join(dir, 'build.config.ts'));
    expect(error.code).toBe('BS_CONFIG_LOAD_FAILED');
    expect(error.hint).toContain('Install "@nowhere/not-installed/sub" in the workspace (npm i -D @nowhere/not-installed)');
  });

  it('counts the column of a syntax error in characters on a line with non-ASCII text', async () => {
    const badLine = "  name: 'Bibliothèque 📚', outDir: ;";
    const dir = makePackage({ 'build.config.ts': `export default {\n${badLine}\n};\n` });
    const error = await loadError(path.join(dir, 'build.config.ts'));
    expect(error.code).toBe('BS_CONFIG_SYNTAX');
    expect(error.line).toBe(2);
    expect(error.column).toBe(badLine.indexOf(';') + 1);
  });

  it('reports a config that throws as BS_CONFIG_LOAD_FAILED with the thrown message', async () => {
    const dir = makePackage({
      'build.config.ts': "throw new Error('PACKAGE_VERSION is not set');\nexport default {};\n",
    });
    const file = path.join(dir, 'build.config.ts');
    const error = await loadError(file);
    expect(error.code).toBe('BS_CONFIG_LOAD_FAILED');
    expect(error.file).toBe(file);
    expect(error.message).toContain('PACKAGE_VERSION is not set');
  });

  it('awaits a config exported as a promise', async () => {
    const dir = makePackage({ 'build.config.ts': "export default Promise.resolve({ outDir: 'lib' });\n" });
    const loaded = await loadBuildConfig(path.join(dir, 'build.config.ts'));
    expect(loaded.raw).toEqual({ outDir: 'lib' });
  });

  it('reports a config whose exported promise rejects as BS_CONFIG_LOAD_FAILED with the reason', async () => {
    const dir = makePackage({
      'build.config.ts': "async function load() {\n  throw new Error('could not read versions.json');\n}\nexport default load();\n",
    });
    const file = path.join(dir, 'build.config.ts');
    const error = await loadError(file);
    expect(error.code).toBe('BS_CONFIG_LOAD_FAILED');
    expect(error.file).toBe(file);
    expect(error.message).toContain('could not read versions.json');
  });

  it('reports a config without a default export as BS_CONFIG_NO_EXPORT naming what it does export', async () => {
    const dir = makePackage({
      'build.config.ts': "export const outDir = 'dist';\nexport function makeConfig() { return {}; }\n",
    });
    const error = await loadError(path.join(dir, 'build.config.ts'));
    expect(error.code).toBe('BS_CONFIG_NO_EXPORT');
    expect(error.message).toMatch(/it exports: .*outDir/);
    expect(error.message).toMatch(/it exports: .*makeConfig/);
  });

  it('reports a missing file as BS_CONFIG_NOT_FOUND', async () => {
    const dir = makePackage({});
    const error = await loadError(path.join(dir, 'build.config.ts'));
    expect(error.code).toBe('BS_CONFIG_NOT_FOUND');
  });
});

describe('findConfigFile', () => {
  it('prefers build.config.ts over the other extensions', () => {
    const dir = makePackage({ 'build.config.mjs': 'export default {};\n', 'build.config.ts': 'export default {};\n' });
    expect(findConfigFile(dir)).toBe(path.join(dir, 'build.config.ts'));
  });

  it('finds a build.config.cjs when it is the only config', () => {
    const dir = makePackage({ 'build.config.cjs': 'module.exports = {};\n' });
    expect(findConfigFile(dir)).toBe(path.join(dir, 'build.config.cjs'));
  });

  it('returns undefined for a folder without a config', () => {
    expect(findConfigFile(makePackage({}))).toBeUndefined();
  });
});

describe('self-contained configs (compiled alone, not bundled)', () => {
  it('moduleSpecifiers finds every static, dynamic and require import, and gives up on computed ones', async () => {
    const { moduleSpecifiers } = await import('../../../src/config/module-loader');
    expect(moduleSpecifiers("import { defineBuildConfig } from '@repo/build-system';\nexport default defineBuildConfig({ entry: 'src/index.ts' });\n")).toEqual(['@repo/build-system']);
    expect(moduleSpecifiers("import{a}from'./a'\nimport './side'\nexport * as b from \"./b\"\nconst c = require( './c' )\nconst d = await import(`./d`)\n")?.sort()).toEqual(['./a', './b', './c', './d', './side']);
    expect(moduleSpecifiers('import type {\n  X,\n  Y\n} from "./types";\n')).toEqual(['./types']);
    expect(moduleSpecifiers("const name = './x';\nrequire(name);\n")).toBeUndefined();
    expect(moduleSpecifiers('export default { entry: Array.from(["src/index.ts"])[0] };\n')).toEqual([]);
  });
});
