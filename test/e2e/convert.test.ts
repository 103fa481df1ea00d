import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Workspace } from './workspace';

/** Typical targets of Nx's own build executors, as their generators write them. */
const TARGETS: Record<string, { executor: string; options: Record<string, unknown>; expected: string[] }> = {
  esb: {
    executor: '@nx/esbuild:esbuild',
    options: {
      main: 'packages/esb/src/index.ts',
      outputPath: 'dist/packages/esb',
      tsConfig: 'packages/esb/tsconfig.lib.json',
      format: ['esm', 'cjs'],
      platform: 'node',
      bundle: true,
      thirdParty: false,
      assets: ['packages/esb/README.md'],
    },
    expected: ['packages/esb/dist/index.cjs', 'packages/esb/dist/index.js'],
  },
  tscp: {
    executor: '@nx/js:tsc',
    options: { main: 'packages/tscp/src/index.ts', outputPath: 'dist/packages/tscp', tsConfig: 'packages/tscp/tsconfig.lib.json', assets: [] },
    expected: ['packages/tscp/dist/index.js'],
  },
  roll: {
    executor: '@nx/rollup:rollup',
    options: {
      main: 'packages/roll/src/index.ts',
      outputPath: 'dist/packages/roll',
      tsConfig: 'packages/roll/tsconfig.lib.json',
      format: ['esm', 'cjs'],
      compiler: 'tsc',
    },
    expected: ['packages/roll/dist/index.cjs', 'packages/roll/dist/index.js'],
  },
};

describe('nx g @repo/build-system:convert', () => {
  let ws: Workspace;

  beforeAll(() => {
    const files: Record<string, string> = {};
    for (const [name, target] of Object.entries(TARGETS)) {
      files[`packages/${name}/package.json`] = JSON.stringify({ name: `@demo/${name}`, version: '1.0.0', type: 'module' });
      files[`packages/${name}/project.json`] = JSON.stringify({ name: `@demo/${name}`, targets: { build: { executor: target.executor, outputs: ['{options.outputPath}'], options: target.options } } }, null, 2);
      files[`packages/${name}/src/index.ts`] = `export { twice } from './twice.js';\nexport const name = '${name}';\n`;
      files[`packages/${name}/src/twice.ts`] = 'export const twice = (n: number): number => n * 2;\n';
      files[`packages/${name}/tsconfig.json`] = JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, declaration: true, skipLibCheck: true } });
      files[`packages/${name}/tsconfig.lib.json`] = JSON.stringify({ extends: './tsconfig.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src/**/*.ts'] });
    }
    ws = Workspace.create(inject('installDir'), files, { plugins: [] });
  });
  afterAll(() => ws?.dispose());

  it('--dry-run shows the change and writes nothing', async () => {
    const before = ws.read('packages/esb/project.json');
    const run = await ws.nx(['g', '@repo/build-system:convert', '@demo/esb', '--dry-run', '--skipPackageJson']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('CREATE packages/esb/build.config.ts');
    expect(run.output).toContain('UPDATE packages/esb/project.json');
    expect(run.output).toMatch(/dry.?run/i);
    expect(ws.exists('packages/esb/build.config.ts')).toBe(false);
    expect(ws.read('packages/esb/project.json')).toBe(before);
  });

  for (const [name, target] of Object.entries(TARGETS)) {
    it(`turns a typical ${target.executor} target into a config that builds the same entry`, async () => {
      const run = await ws.nx(['g', '@repo/build-system:convert', `@demo/${name}`, '--skipPackageJson']);
      expect(run.code, run.output).toBe(0);
      expect(ws.json(`packages/${name}/project.json`).targets?.build).toBeUndefined();
      const config = ws.read(`packages/${name}/build.config.ts`);
      expect(config).toContain("entry: 'src/index.ts'");
      expect(config).toContain("tsconfig: 'tsconfig.lib.json'");
      const assets = target.options.assets as string[] | undefined;
      if (assets?.length) expect(run.output).toContain('assets are not copied');
      else expect(run.output).not.toContain('assets are not copied');

      const build = await ws.nx(['run', `@demo/${name}:build`]);
      expect(build.code, build.output).toBe(0);
      const result = ws.json(`packages/${name}/.build-system/result.json`);
      const entries = result.artifacts.filter((a: { kind: string }) => a.kind === 'entry').map((a: { path: string }) => a.path).sort();
      expect(entries).toEqual(target.expected);
    });
  }
});
