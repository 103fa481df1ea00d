import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryPointFields, planEntryPoints, plannedFiles, type EntryPointInputs } from '../../../src/engine/entry-points';

const root = join('/ws', 'packages', 'lib');
const inputs = (over: Partial<EntryPointInputs> = {}): EntryPointInputs => ({
  packageRoot: root,
  entries: [{ name: 'index', file: join(root, 'src/index.ts') }],
  outDir: join(root, 'dist'),
  formats: ['esm'],
  dts: false,
  packageType: 'commonjs',
  builder: 'esbuild',
  ...over,
});

describe('planEntryPoints: the files a build writes', () => {
  it('names ESM .mjs and CommonJS .js in a CommonJS package, with a declaration beside each', () => {
    const [entry] = planEntryPoints(inputs({ formats: ['esm', 'cjs'], dts: true }));
    expect(entry).toEqual({
      name: 'index',
      subpath: '.',
      outputs: [
        { format: 'esm', js: './dist/index.mjs', types: './dist/index.d.mts' },
        { format: 'cjs', js: './dist/index.js', types: './dist/index.d.ts' },
      ],
    });
  });

  it('names ESM .js and CommonJS .cjs in a "module" package', () => {
    const [entry] = planEntryPoints(inputs({ formats: ['esm', 'cjs'], dts: true, packageType: 'module' }));
    expect(entry.outputs).toEqual([
      { format: 'esm', js: './dist/index.js', types: './dist/index.d.ts' },
      { format: 'cjs', js: './dist/index.cjs', types: './dist/index.d.cts' },
    ]);
  });

  it('writes no declaration without dts, and none for an iife bundle', () => {
    const [entry] = planEntryPoints(inputs({ formats: ['esm', 'iife'] }));
    expect(entry.outputs).toEqual([
      { format: 'esm', js: './dist/index.mjs' },
      { format: 'iife', js: './dist/index.global.js' },
    ]);
    const [typed] = planEntryPoints(inputs({ formats: ['iife'], dts: true }));
    expect(typed.outputs).toEqual([{ format: 'iife', js: './dist/index.global.js' }]);
  });

  it('makes the entry named index the "." subpath and every other one ./<name>', () => {
    const plan = planEntryPoints(
      inputs({
        entries: [
          { name: 'cli', file: join(root, 'src/cli.ts') },
          { name: 'index', file: join(root, 'src/index.ts') },
          { name: 'utils/index', file: join(root, 'src/utils/index.ts') },
        ],
      }),
    );
    expect(plan.map((e) => [e.name, e.subpath, e.outputs[0].js])).toEqual([
      ['cli', './cli', './dist/cli.mjs'],
      ['index', '.', './dist/index.mjs'],
      ['utils/index', './utils', './dist/utils/index.mjs'],
    ]);
  });

  it('makes the first entry "." when none is named index', () => {
    const plan = planEntryPoints(inputs({ entries: [{ name: 'main', file: join(root, 'src/main.ts') }, { name: 'extra', file: join(root, 'src/extra.ts') }] }));
    expect(plan.map((e) => e.subpath)).toEqual(['.', './extra']);
  });

  it('follows outDir', () => {
    const [entry] = planEntryPoints(inputs({ outDir: join(root, 'build/lib') }));
    expect(entry.outputs[0].js).toBe('./build/lib/index.mjs');
  });

  it('places tsc output as tsc does: the native format in outDir, the other in outDir/<format>, mirrored from rootDir', () => {
    const [entry] = planEntryPoints(inputs({ builder: 'tsc', formats: ['cjs', 'esm'], dts: true, tscRootDir: join(root, 'src') }));
    expect(entry.outputs).toEqual([
      { format: 'cjs', js: './dist/index.js', types: './dist/index.d.ts' },
      { format: 'esm', js: './dist/esm/index.js', types: './dist/esm/index.d.ts' },
    ]);
  });

  it('keeps the source folders under outDir with tsc when rootDir is the package root', () => {
    const [entry] = planEntryPoints(inputs({ builder: 'tsc', packageType: 'module', tscRootDir: root }));
    expect(entry.outputs).toEqual([{ format: 'esm', js: './dist/src/index.js' }]);
  });

  it('assumes the entries’ common folder as tsc’s rootDir when none is given', () => {
    const [entry] = planEntryPoints(inputs({ builder: 'tsc', packageType: 'module' }));
    expect(entry.outputs[0].js).toBe('./dist/index.js');
  });
});

describe('entryPointFields: what package.json says', () => {
  const fieldsOf = (over: Partial<EntryPointInputs>) => {
    const i = inputs(over);
    return entryPointFields(planEntryPoints(i), i.packageType);
  };

  it('gives each format its own types for ESM + CommonJS', () => {
    expect(fieldsOf({ formats: ['esm', 'cjs'], dts: true, packageType: 'module' })).toEqual({
      exports: {
        '.': {
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
        },
        './package.json': './package.json',
      },
      main: './dist/index.cjs',
      module: './dist/index.js',
      types: './dist/index.d.ts',
    });
  });

  it('takes `types` from the format package.json `type` names', () => {
    expect(fieldsOf({ formats: ['esm', 'cjs'], dts: true, packageType: 'commonjs' }).types).toBe('./dist/index.d.ts');
    expect(fieldsOf({ formats: ['esm', 'cjs'], dts: true, packageType: 'commonjs' }).module).toBe('./dist/index.mjs');
  });

  it('writes bare paths under import and require without declarations', () => {
    expect(fieldsOf({ formats: ['esm', 'cjs'] }).exports['.']).toEqual({ import: './dist/index.mjs', require: './dist/index.js' });
  });

  it('writes { types, default } for one format, and no `module` for CommonJS alone', () => {
    const fields = fieldsOf({ formats: ['cjs'], dts: true });
    expect(fields.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(fields).toMatchObject({ main: './dist/index.js', types: './dist/index.d.ts' });
    expect(fields.module).toBeUndefined();
  });

  it('points main at the ESM file when the build writes only ESM', () => {
    const fields = fieldsOf({ formats: ['esm'], packageType: 'module' });
    expect(fields).toEqual({ exports: { '.': './dist/index.js', './package.json': './package.json' }, main: './dist/index.js', module: './dist/index.js' });
  });

  it('adds one subpath per extra entry, and main/module/types only for "."', () => {
    const fields = fieldsOf({
      formats: ['esm', 'cjs'],
      dts: true,
      packageType: 'module',
      entries: [
        { name: 'index', file: join(root, 'src/index.ts') },
        { name: 'cli', file: join(root, 'src/cli.ts') },
      ],
    });
    expect(Object.keys(fields.exports)).toEqual(['.', './cli', './package.json']);
    expect(fields.exports['./cli']).toEqual({
      import: { types: './dist/cli.d.ts', default: './dist/cli.js' },
      require: { types: './dist/cli.d.cts', default: './dist/cli.cjs' },
    });
    expect(fields.main).toBe('./dist/index.cjs');
  });

  it('has no entry point for an iife-only build', () => {
    expect(fieldsOf({ formats: ['iife'] })).toEqual({ exports: {} });
  });

  it('lists every planned file for the contract check', () => {
    const i = inputs({ formats: ['esm', 'cjs'], dts: true });
    expect([...plannedFiles(planEntryPoints(i))].sort()).toEqual(['./dist/index.d.mts', './dist/index.d.ts', './dist/index.js', './dist/index.mjs']);
  });
});
