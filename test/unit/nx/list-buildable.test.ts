import { describe, expect, it } from 'vitest';
import { formatBuildableTable, type BuildableProject } from '../../../src/nx/list-buildable';

const project = (autoBuilder: string | undefined, builder = 'auto'): BuildableProject => ({
  project: '@acme/greet',
  root: 'packages/greet',
  targetName: 'build',
  environments: ['development', 'ci', 'production'],
  options: { outDir: { value: 'dist', source: 'default' }, builder: { value: builder, source: builder === 'auto' ? 'default' : 'config' } },
  ...(autoBuilder ? { autoBuilder } : {}),
});

describe('build-system list table', () => {
  it('shows what "auto" picks here, and why not bun when it picks esbuild', () => {
    const table = formatBuildableTable([project('esbuild')]);
    expect(table).toContain('(packages/greet, target build, builder "auto" → esbuild, environments: development, ci, production)');
    expect(table).toMatch(/^ {2}builder {2}"auto" → esbuild \(no working bun found\) {2}default$/m);
  });

  it('names the bun version when "auto" picks bun', () => {
    expect(formatBuildableTable([project('bun@1.4.5')])).toMatch(/^ {2}builder {2}"auto" → bun@1\.4\.5 {2}default$/m);
  });

  it('shows a named builder as it is', () => {
    const table = formatBuildableTable([project(undefined, 'tsc')]);
    expect(table).toContain('builder "tsc", environments');
    expect(table).not.toContain('→');
  });

  it('says so when no package is buildable', () => {
    expect(formatBuildableTable([])).toMatch(/^No buildable packages/);
  });
});

describe('build-system list, a package whose target another executor took', () => {
  const shadowed: BuildableProject = {
    project: '@acme/legacy',
    root: 'packages/legacy',
    targetName: 'build',
    configFile: 'packages/legacy/build.config.ts',
    environments: [],
    shadowedBy: { executor: 'nx:run-script', script: 'build' },
  };

  it('names the npm script that shadows the inferred target and what to do', () => {
    const table = formatBuildableTable([shadowed]);
    expect(table).toContain('@acme/legacy  (packages/legacy): NOT BUILT BY THIS PLUGIN, target build is nx:run-script (the npm script "build")');
    expect(table).toContain(
      'packages/legacy/build.config.ts is ignored: add "nx": { "includedScripts": [every script but "build"] } to packages/legacy/package.json, rename or remove the script, or set the plugin\'s buildTargetName',
    );
  });

  it('names another executor without a script', () => {
    const table = formatBuildableTable([{ ...shadowed, shadowedBy: { executor: '@nx/js:tsc' } }]);
    expect(table).toContain('target build is @nx/js:tsc\n');
    expect(table).not.toContain('npm script');
  });
});
