import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLibraryWorkspace, importGreet } from '../helpers/fixture-library';
import { buildPackage, useTempDirs, type TestWorkspace } from '../helpers/workspace';

const tempDir = useTempDirs();
const build = (ws: TestWorkspace) => buildPackage(ws, { project: 'greet' });

/** A rollup config of the package's own, compiling TypeScript with a plugin defined inline. */
const ROLLUP_CONFIG = (input: string, output: string) => `import { transform } from 'esbuild';

export default {
  input: ${input},
  plugins: [
    {
      name: 'ts-paths',
      resolveId(source, importer) {
        return importer && source.endsWith('.js') ? this.resolve(source.replace(/\\.js$/, '.ts'), importer) : null;
      },
      async transform(code, id) {
        return id.endsWith('.ts') ? (await transform(code, { loader: 'ts', sourcefile: id })).code : null;
      },
    },
  ],
  output: ${output},
};
`;

describe('rollup builder', () => {
  it("delegates to the package's rollup config, writing its outputs into outDir", async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'rollup', builderOptions: { config: 'rollup.config.mjs' } }", {
      files: { 'rollup.config.mjs': ROLLUP_CONFIG("{ index: 'src/index.ts' }", "{ dir: 'dist/lib', format: 'es', entryFileNames: '[name].mjs' }") },
    });

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    expect(result.artifacts.map((a) => [a.path, a.kind])).toEqual([[`${ws.pkgRel}/dist/lib/index.mjs`, 'entry']]);
    expect(importGreet(path.join(ws.pkg, 'dist/lib/index.mjs'), 'config')).toBe('HELLO CONFIG!');
  });

  it('loads a TypeScript rollup config', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'rollup', builderOptions: { config: 'rollup.config.ts' } }", {
      files: { 'rollup.config.ts': ROLLUP_CONFIG("'src/index.ts'", "{ file: 'dist/bundle.js', format: 'es' } as const") },
    });

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    expect(importGreet(path.join(ws.pkg, 'dist/bundle.js'), 'ts config')).toBe('HELLO TS CONFIG!');
  });

  it('refuses a rollup config that writes outside outDir', async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'rollup', builderOptions: { config: 'rollup.config.mjs' } }", {
      files: { 'rollup.config.mjs': ROLLUP_CONFIG("'src/index.ts'", "{ dir: 'lib', format: 'es' }") },
    });

    const result = await build(ws);

    expect(result.status).toBe('failure');
    expect(result.errors[0].message).toMatch(/writes to lib, outside outDir \(dist\)/);
  });

  it("applies the config's own onwarn before recording warnings", async () => {
    const config = ROLLUP_CONFIG("'src/index.ts'", "{ dir: 'dist', format: 'es' }").replace(
      '  plugins: [',
      "  onwarn(warning, warn) {\n    if (warning.code !== 'UNRESOLVED_IMPORT') warn(warning);\n  },\n  plugins: [",
    );
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'rollup', builderOptions: { config: 'rollup.config.mjs' } }", {
      files: { 'rollup.config.mjs': config, 'src/index.ts': "import pad from 'left-pad';\nimport * as shout from './shout.js';\nexport const padded = [pad, (shout as any).whisper];\n" },
    });

    const result = await build(ws);

    expect(result.status).toBe('success');
    expect(result.warnings.map((w) => w.builderCode)).toEqual(['MISSING_EXPORT']);
  });

  it("records rollup's warnings with their code", async () => {
    const ws = createLibraryWorkspace(tempDir, "{ builder: 'rollup' }", {
      files: { 'src/index.ts': "import pad from 'left-pad';\nexport const padded = pad;\n" },
    });

    const result = await build(ws);

    expect(result.status).toBe('success');
    expect(result.warnings).toEqual([expect.objectContaining({ builderCode: 'UNRESOLVED_IMPORT', message: expect.stringContaining('left-pad') })]);
  });
});
