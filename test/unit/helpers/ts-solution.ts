import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './fixture-library';
import { configSource, writeFiles } from './workspace';

/**
 * The layout `create-nx-workspace --preset=ts` writes, by hand: a root tsconfig.base.json
 * (composite, declarationMap, nodenext, customConditions ["development"]) and solution
 * tsconfig.json; per package a solution tsconfig.json and a tsconfig.lib.json (rootDir src, outDir
 * dist, tsBuildInfoFile in dist), and a package.json whose `development` condition points into
 * src. packages/b imports @org/a, which resolves through that condition to a's sources (a
 * referenced project). typescript, esbuild and rolldown are linked from this repo; @org/* as npm workspaces
 * would link them.
 */
export interface TsSolutionOptions {
  libCompilerOptions?: Record<string, unknown>;
  /** b's tsconfig.lib.json references a's (default true; Nx's TypeScript sync generator keeps it so). */
  referenceA?: boolean;
}

export interface TsSolutionWorkspace {
  root: string;
  pkg: (name: 'a' | 'b') => string;
}

export function createTsSolutionWorkspace(
  makeDir: (prefix?: string) => string,
  configs: { a: string; b: string },
  options: TsSolutionOptions = {},
): TsSolutionWorkspace {
  const root = makeDir('bs-ts-solution-');
  writeFiles(root, { 'package.json': json({ name: '@org/source', private: true, workspaces: ['packages/*'] }), ...tsSolutionFiles(configs, options) });
  const modules = path.join(root, 'node_modules');
  fs.mkdirSync(path.join(modules, '@org'), { recursive: true });
  for (const name of ['typescript', 'esbuild', 'rolldown']) fs.symlinkSync(path.join(REPO, 'node_modules', name), path.join(modules, name), 'dir');
  for (const name of ['a', 'b']) fs.symlinkSync(`../../packages/${name}`, path.join(modules, '@org', name), 'dir');
  return { root, pkg: (name) => path.join(root, 'packages', name) };
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** The files of that layout (workspace-relative path → contents), without the root package.json. */
export function tsSolutionFiles(configs: { a: string; b: string }, options: TsSolutionOptions = {}): Record<string, string> {
  const files: Record<string, string> = {
    'tsconfig.base.json': json({
      compilerOptions: {
        composite: true,
        declarationMap: true,
        emitDeclarationOnly: false,
        isolatedModules: true,
        lib: ['es2022'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        noEmitOnError: true,
        skipLibCheck: true,
        strict: true,
        target: 'es2022',
        customConditions: ['development'],
      },
    }),
    'tsconfig.json': json({ extends: './tsconfig.base.json', compileOnSave: false, files: [], references: [{ path: './packages/a' }, { path: './packages/b' }] }),
  };
  for (const name of ['a', 'b'] as const) {
    const inPackage: Record<string, string> = {
      'package.json': json({
        name: `@org/${name}`,
        version: '0.0.1',
        type: 'module',
        main: './dist/index.js',
        types: './dist/index.d.ts',
        exports: {
          './package.json': './package.json',
          '.': { development: './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' },
        },
        ...(name === 'b' ? { dependencies: { '@org/a': '0.0.1' } } : {}),
      }),
      'tsconfig.json': json({ extends: '../../tsconfig.base.json', files: [], include: [], references: [{ path: './tsconfig.lib.json' }] }),
      'tsconfig.lib.json': json({
        extends: '../../tsconfig.base.json',
        compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/tsconfig.lib.tsbuildinfo', emitDeclarationOnly: false, types: [], ...options.libCompilerOptions },
        include: ['src/**/*.ts'],
        ...(name === 'b' && options.referenceA !== false ? { references: [{ path: '../a/tsconfig.lib.json' }] } : {}),
        exclude: ['src/**/*.spec.ts', 'src/**/*.test.ts'],
      }),
      'build.config.ts': configSource(configs[name]),
    };
    for (const [file, text] of Object.entries(inPackage)) files[`packages/${name}/${file}`] = text;
  }
  Object.assign(files, {
    'packages/a/src/index.ts': "export * from './lib/a.js';\n",
    'packages/a/src/lib/a.ts': "export interface Greeting {\n  text: string;\n}\n\nexport function a(): Greeting {\n  return { text: 'a' };\n}\n",
    'packages/b/src/index.ts': "export * from './lib/b.js';\n",
    'packages/b/src/lib/b.ts': "import { a, type Greeting } from '@org/a';\n\nexport function b(): Greeting {\n  return { text: `${a().text}b` };\n}\n",
  });
  return files;
}
