import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

const RESULT = 'packages/ui/.build-system/result.json';

function validateAgainstShippedSchema(ws: Workspace, result: unknown) {
  // The schema the installed package ships, not the one in this repo.
  const schema = ws.json('node_modules/@repo/build-system/schemas/build-result.schema.json');
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  const validate = ajv.compile(schema);
  const ok = validate(result);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

for (const daemon of [false, true]) {
  describe(`a package with only package.json, src/ and build.config.ts (daemon ${daemon ? 'on' : 'off'})`, () => {
    let ws: Workspace;

    beforeAll(() => {
      ws = Workspace.create(inject('installDir'), {
        ...libraryFiles('packages/ui', '@demo/ui'),
        'packages/ui/build.config.ts': `import { defineBuildConfig } from '@repo/build-system';\nimport { shared } from './build.shared';\n\nexport default defineBuildConfig({ ...shared, formats: ['esm', 'cjs'] });\n`,
        'packages/ui/build.shared.ts': `export const shared = { entry: 'src/index.ts', sourcemap: true } as const;\n`,
      });
    });
    afterAll(() => ws?.dispose());

    it('gets an inferred, cached build target with the config and its imports as inputs', async () => {
      const shown = await ws.nx(['show', 'project', '@demo/ui', '--json'], { daemon });
      expect(shown.code, shown.output).toBe(0);
      const target = JSON.parse(shown.stdout).targets.build;
      expect(target.executor).toBe('@repo/build-system:build');
      expect(target.cache).toBe(true);
      expect(target.dependsOn).toEqual(['^build']);
      expect(target.inputs).toEqual(
        expect.arrayContaining([
          'production',
          '^production',
          '{workspaceRoot}/packages/ui/build.config.ts',
          '{workspaceRoot}/packages/ui/build.shared.ts',
          '!{projectRoot}/dist/**',
          { env: 'CI' },
        ]),
      );
      // What `auto` picks on this machine is a target option, so it is part of the hash.
      expect(target.options).toEqual({ autoBuilder: 'esbuild' });
      const external = target.inputs.find((i: { externalDependencies?: string[] }) => i.externalDependencies);
      expect(external.externalDependencies).toEqual(expect.arrayContaining(['esbuild', 'bun']));
      expect(target.outputs).toEqual(['{projectRoot}/dist', '{projectRoot}/.build-system/result.json', '{projectRoot}/.build-system/build.log']);
      expect(Object.keys(target.configurations)).toEqual(expect.arrayContaining(['development', 'ci', 'production']));
    });

    it('builds ESM and CJS that run, and writes a result that validates against the shipped schema', async () => {
      const run = await ws.nx(['run', '@demo/ui:build'], { daemon });
      expect(run.code, run.output).toBe(0);
      expect(run.stdout).toContain('✔ @demo/ui built with esbuild');
      expect(run.stdout).toContain('packages/ui/.build-system/result.json');
      // Bundles get their gzip size; source maps do not.
      expect(run.stdout).toMatch(/\n {2}packages\/ui\/dist\/index\.js +entry +\d+ B {2}gzip +\d+ B\n/);
      expect(run.stdout).toMatch(/\n {2}packages\/ui\/dist\/index\.js\.map +sourcemap +\d+ B\n/);

      const esm = await ws.run(process.execPath, ['--input-type=module', '-e', "import { greet } from './packages/ui/dist/index.js'; console.log(greet('esm'))"]);
      expect(esm.stdout.trim()).toBe('hello esm');
      const cjs = await ws.run(process.execPath, ['-e', "console.log(require('./packages/ui/dist/index.cjs').greet('cjs'))"]);
      expect(cjs.stdout.trim()).toBe('hello cjs');

      const result = ws.json(RESULT);
      validateAgainstShippedSchema(ws, result);
      expect(result.status).toBe('success');
      expect(result.environment).toBe('development');
      const paths = result.artifacts.map((a: { path: string }) => a.path);
      expect(paths).toEqual(['packages/ui/dist/index.cjs', 'packages/ui/dist/index.cjs.map', 'packages/ui/dist/index.js', 'packages/ui/dist/index.js.map']);
      for (const a of result.artifacts) {
        const bytes = readFileSync(ws.path(a.path));
        expect(a.size).toBe(bytes.length);
        expect(a.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      }
    });

    it('is a cache hit the second time, and a hit restores the result and outputs', async () => {
      const before = ws.read(RESULT);
      const again = await ws.nx(['run', '@demo/ui:build'], { daemon });
      expect(again.code, again.output).toBe(0);
      expect(again.output).toMatch(/local cache|existing outputs match the cache/);
      // The replayed summary claims no build time: no build ran now.
      expect(again.output).toMatch(/✔ @demo\/ui built with esbuild \S+ \(development\)\n/);
      expect(ws.read(RESULT)).toBe(before);

      ws.remove('packages/ui/dist');
      ws.remove('packages/ui/.build-system');
      const restored = await ws.nx(['run', '@demo/ui:build'], { daemon });
      expect(restored.code, restored.output).toBe(0);
      expect(restored.output).toContain('local cache');
      expect(ws.read(RESULT)).toBe(before);
      expect(ws.exists('packages/ui/dist/index.js')).toBe(true);
    });

    if (!daemon) {
      it('ends the command with one line naming its run summary, on a cache hit too', async () => {
        const run = await ws.nx(['run', '@demo/ui:build'], { daemon });
        expect(run.code, run.output).toBe(0);
        const lines = run.stdout.trimEnd().split('\n');
        expect(lines.filter((l) => l.includes('Run summary:'))).toHaveLength(1);
        const file = lines.at(-1)!.match(/^Run summary: (\.nx\/build-system\/runs\/[\w-]+\.json)$/)?.[1];
        expect(file, run.stdout).toBeDefined();
        expect(ws.read(file!)).toBe(ws.read('.nx/build-system/runs/latest.json'));
        expect(ws.json(file!).tasks.map((t: { taskId: string }) => t.taskId)).toEqual(['@demo/ui:build']);
      });

      it('prints the line after the terminal UI has closed', async () => {
        const run = await ws.nxInTerminal(['run', '@demo/ui:build', '--skip-nx-cache'], { daemon });
        expect(run.code, run.output).toBe(0);
        expect(run.output).toMatch(/Successfully ran target build[\s\S]*\nRun summary: \.nx\/build-system\/runs\/[\w-]+\.json\n/);
      });
    } else {
      it('prints no run-summary line with the daemon on: the hook runs in the daemon, which has no terminal', async () => {
        const run = await ws.nx(['run', '@demo/ui:build'], { daemon });
        expect(run.code, run.output).toBe(0);
        expect(run.output).not.toContain('Run summary:');
        // Still written; and not printed into the daemon log either.
        expect(ws.json('.nx/build-system/runs/latest.json').tasks[0].taskId).toBe('@demo/ui:build');
        const daemonLog = '.nx/workspace-data/d/daemon.log';
        if (ws.exists(daemonLog)) expect(ws.read(daemonLog)).not.toContain('Run summary:');
      });
    }

    it('prints no run-summary line for a command that ran no build task', async () => {
      const run = await ws.nx(['run', '@demo/ui:clean'], { daemon });
      expect(run.code, run.output).toBe(0);
      expect(run.output).not.toContain('Run summary:');
      await ws.nx(['run', '@demo/ui:build'], { daemon });
    });

    it('misses the cache when a file the config imports changes', async () => {
      ws.write('packages/ui/build.shared.ts', `export const shared = { entry: 'src/index.ts', sourcemap: false } as const;\n`);
      const run = await ws.nx(['run', '@demo/ui:build'], { daemon });
      expect(run.code, run.output).toBe(0);
      expect(run.output).not.toContain('local cache');
      expect(ws.exists('packages/ui/dist/index.js.map')).toBe(false);
    });
  });
}

describe('environments and executor flags', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), {
      ...libraryFiles('packages/ui', '@demo/ui', {
        config: `export default {\n  entry: 'src/index.ts',\n  environments: {\n    production: { minify: true, define: { __MODE__: '"prod"' } },\n    development: { define: { __MODE__: '"dev"' } },\n  },\n};\n`,
        source: `declare const __MODE__: string;\nexport const mode = __MODE__;\nexport function greet(who: string) {\n  return 'hello ' + who;\n}\n`,
      }),
    });
  });
  afterAll(() => ws?.dispose());

  it('uses development by default, production with -c production, and ci (inheriting production) when CI is set', async () => {
    const dev = await ws.nx(['run', '@demo/ui:build']);
    expect(dev.code, dev.output).toBe(0);
    expect(ws.read('packages/ui/dist/index.js')).toContain('"dev"');

    const prod = await ws.nx(['run', '@demo/ui:build', '-c', 'production']);
    expect(prod.code, prod.output).toBe(0);
    expect(ws.json(RESULT).environment).toBe('production');
    expect(ws.read('packages/ui/dist/index.js')).toContain('"prod"');

    const ci = await ws.nx(['run', '@demo/ui:build'], { env: { CI: 'true' } });
    expect(ci.code, ci.output).toBe(0);
    expect(ci.output).not.toContain('local cache');
    expect(ws.json(RESULT).environment).toBe('ci');
    expect(ws.read('packages/ui/dist/index.js')).toContain('"prod"');
  });

  it('`build-system list` prints every buildable package with resolved options and their sources', async () => {
    const cli = 'node_modules/@repo/build-system/dist/cli.js';
    const json = await ws.run(process.execPath, [cli, 'list', '--json', '-c', 'production'], { NX_DAEMON: 'false' });
    expect(json.code, json.output).toBe(0);
    const [ui] = JSON.parse(json.stdout);
    expect(ui).toMatchObject({ project: '@demo/ui', root: 'packages/ui', targetName: 'build', configFile: 'packages/ui/build.config.ts' });
    expect(ui.environments).toEqual(['development', 'ci', 'production']);
    expect(ui.options.environment).toEqual({ value: 'production', source: 'command line' });
    expect(ui.options.minify).toEqual({ value: true, source: 'environment:production' });
    expect(ui.options.entry).toEqual({ value: { index: 'src/index.ts' }, source: 'config' });
    expect(ui.options.outDir).toEqual({ value: 'dist', source: 'default' });
    // The choice inference made for this machine, which the build uses.
    const graph = await ws.nx(['show', 'project', '@demo/ui', '--json']);
    expect(ui.autoBuilder).toBe(JSON.parse(graph.stdout).targets.build.options.autoBuilder);
    expect(ui.autoBuilder).toMatch(/^(esbuild|bun@\d+\.\d+\.\d+.*)$/);

    const ci = await ws.run(process.execPath, [cli, 'list', '--json'], { NX_DAEMON: 'false', CI: 'true' });
    expect(JSON.parse(ci.stdout)[0].options.minify).toEqual({ value: true, source: 'environment:production' });

    const table = await ws.run(process.execPath, [cli, 'list'], { NX_DAEMON: 'false' });
    expect(table.code, table.output).toBe(0);
    expect(table.stdout).toContain(`@demo/ui  (packages/ui, target build, builder "auto" → ${ui.autoBuilder}, environments: development, ci, production)`);
    const builderRow = table.stdout.split('\n').find((line) => /^\s+builder\s/.test(line));
    const why = ui.autoBuilder === 'esbuild' ? ' (no working bun found)' : '';
    expect(builderRow?.trim().split(/\s{2,}/)).toEqual(['builder', `"auto" → ${ui.autoBuilder}${why}`, 'default']);
    expect(table.stdout).toMatch(/minify\s+false\s+default/);
  });

  it('--clean removes files an earlier build left in outDir', async () => {
    ws.write('packages/ui/dist/stale.js', 'old');
    const run = await ws.nx(['run', '@demo/ui:build', '--clean', '--skip-nx-cache', '--no-incremental']);
    expect(run.code, run.output).toBe(0);
    expect(ws.exists('packages/ui/dist/stale.js')).toBe(false);
    expect(ws.exists('packages/ui/dist/index.js')).toBe(true);
  });
});

describe('errors that help', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), {
      ...libraryFiles('packages/good', '@demo/good'),
      ...libraryFiles('packages/typo', '@demo/typo', { config: `export default { entry: 'src/index.ts', minfy: true };\n` }),
      ...libraryFiles('packages/broken', '@demo/broken', { config: `export default {\n  entry: 'src/index.ts',,\n};\n` }),
      ...libraryFiles('packages/noexport', '@demo/noexport', { config: `export const config = { entry: 'src/index.ts' };\n` }),
      ...libraryFiles('packages/noentry', '@demo/noentry', { config: `export default { entry: 'src/main.ts' };\n` }),
      ...libraryFiles('packages/badbuilder', '@demo/badbuilder', { config: `export default { entry: 'src/index.ts', builder: 'esbulid' };\n` }),
      ...libraryFiles('packages/badsource', '@demo/badsource', { source: `export function greet(who: string) {\n  return 'hi ' + who +;\n}\n` }),
    });
  });
  afterAll(() => ws?.dispose());

  it('one broken config does not break the workspace graph', async () => {
    const projects = await ws.nx(['show', 'projects', '--with-target', 'build', '--json']);
    expect(projects.code, projects.output).toBe(0);
    expect(JSON.parse(projects.stdout).sort()).toEqual(
      ['@demo/badbuilder', '@demo/badsource', '@demo/broken', '@demo/good', '@demo/noentry', '@demo/noexport', '@demo/typo'].sort(),
    );
    const good = await ws.nx(['run', '@demo/good:build']);
    expect(good.code, good.output).toBe(0);
  });

  it('a config syntax error names file:line:col with a code frame', async () => {
    const run = await ws.nx(['run', '@demo/broken:build']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('BS_CONFIG_SYNTAX');
    expect(run.output).toMatch(/packages\/broken\/build\.config\.ts:2:\d+/);
    expect(run.output).toContain("entry: 'src/index.ts',,");
    const result = ws.json('packages/broken/.build-system/result.json');
    expect(result.status).toBe('failure');
    expect(result.errors[0]).toMatchObject({ code: 'BS_CONFIG_SYNTAX', phase: 'config', file: 'packages/broken/build.config.ts', line: 2 });
  });

  it('an unknown key fails with the key, a suggestion and a non-zero exit', async () => {
    const run = await ws.nx(['run', '@demo/typo:build']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('BS_CONFIG_INVALID');
    expect(run.output).toContain('unknown key "minfy"');
    expect(run.output).toContain('did you mean "minify"');
  });

  it('an unknown builder name gets a suggestion', async () => {
    const run = await ws.nx(['run', '@demo/badbuilder:build']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('unknown builder "esbulid"');
    expect(run.output).toContain('did you mean "esbuild"');
  });

  it('a config without a default export says what is expected', async () => {
    const run = await ws.nx(['run', '@demo/noexport:build']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('BS_CONFIG_NO_EXPORT');
    expect(run.output).toContain('export default defineBuildConfig');
  });

  it('a missing entry file is named', async () => {
    const run = await ws.nx(['run', '@demo/noentry:build']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('BS_ENTRY_NOT_FOUND');
    expect(run.output).toContain('src/main.ts');
  });

  it('a syntax error in a source file prints file:line:col and the result errors[] carries the same', async () => {
    const run = await ws.nx(['run', '@demo/badsource:build']);
    expect(run.code).not.toBe(0);
    const match = run.output.match(/packages\/badsource\/src\/index\.ts:(\d+):(\d+)/);
    expect(match).not.toBeNull();
    const result = ws.json('packages/badsource/.build-system/result.json');
    expect(result.status).toBe('failure');
    expect(result.artifacts).toEqual([]);
    expect(result.errors[0]).toMatchObject({
      code: 'BS_BUILD_FAILED',
      file: 'packages/badsource/src/index.ts',
      line: Number(match![1]),
      column: Number(match![2]),
    });
  });

  it('a source error prints a code frame, plain when colors are off (FORCE_COLOR=0 here)', async () => {
    const run = await ws.nx(['run', '@demo/badsource:build']);
    expect(run.output).toMatch(/packages\/badsource\/src\/index\.ts:2:23: error: .*\n {4}1 \| .*\n {2}> 2 \| {3}return 'hi ' \+ who \+;\n {6}\| {23}\^\n {4}3 \| \}\n\n/);
    expect(run.output).not.toContain('\u001b[');
  });

  it('colors it under Nx, which sets FORCE_COLOR for its tasks, and keeps build.log and result.json plain', async () => {
    const run = await ws.nx(['run', '@demo/badsource:build'], { env: { FORCE_COLOR: undefined } });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('\u001b[');
    expect(run.output.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/packages\/badsource\/src\/index\.ts:2:23: error: .*\n {4}1 \| .*\n {2}> 2 \| /);
    expect(run.output).toMatch(/\u001b\[31m✖ @demo\/badsource failed \(BS_BUILD_FAILED\) with esbuild \S+ \(development\): 1 error\u001b\[39m/);
    expect(ws.read('packages/badsource/.build-system/build.log')).not.toContain('\u001b');
    expect(ws.read('packages/badsource/.build-system/result.json')).not.toMatch(/\\u001b|\u001b/);
  });

  it('stays plain in CI although Nx sets FORCE_COLOR there too', async () => {
    const run = await ws.nx(['run', '@demo/badsource:build'], { env: { FORCE_COLOR: undefined, CI: 'true' } });
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/packages\/badsource\/src\/index\.ts:\d+:\d+: error: /);
    expect(run.output).not.toMatch(/packages\/badsource[^\n]*\u001b\[/);
  });
});

describe('many packages in one batch', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), {
      ...libraryFiles('packages/ui', '@demo/ui'),
      ...libraryFiles('apps/web', '@demo/web', {
        dependencies: { '@demo/ui': '*' },
        source: `import { greet } from '@demo/ui';\nexport const page = () => greet('web');\n`,
      }),
      ...libraryFiles('packages/solo', '@demo/solo'),
    });
  });
  afterAll(() => ws?.dispose());

  it('builds every package, dependencies first, and caches each', async () => {
    const run = await ws.nx(['run-many', '-t', 'build']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('Running 3 tasks with @repo/build-system:build');
    const ui = ws.json('packages/ui/.build-system/result.json');
    const web = ws.json('apps/web/.build-system/result.json');
    expect(new Date(web.startTime).getTime()).toBeGreaterThanOrEqual(new Date(ui.endTime).getTime());
    // The workspace dependency stays an import (default externals are the package's dependencies).
    expect(ws.read('apps/web/dist/index.js')).toContain('@demo/ui');

    const again = await ws.nx(['run-many', '-t', 'build']);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/Nx read the output from the cache instead of running the command for 3 out of 3 tasks/);
  });

  it('writes a run summary per command; the second lists every task as a verified cache hit', async () => {
    const dir = '.nx/build-system/runs';
    const runs = readdirSync(ws.path(dir)).filter((f) => f.endsWith('.json') && f !== 'latest.json').sort();
    expect(runs).toHaveLength(2);
    const first = ws.json(`${dir}/${runs[0]}`);
    const second = ws.json(`${dir}/${runs[1]}`);
    expect(ws.json(`${dir}/latest.json`)).toEqual(second);
    expect(first.command).toBe('nx run-many -t build');
    expect(first.tasks.map((t: { status: string }) => t.status)).toEqual(['success', 'success', 'success']);
    expect(second.tasks).toHaveLength(3);
    for (const task of second.tasks) {
      expect(['local-cache', 'local-cache-kept-existing']).toContain(task.status);
      expect(task.cacheHit).toBe(true);
      expect(task.integrity).toEqual({ ok: true, problems: [] });
      expect(task.artifacts.length).toBeGreaterThan(0);
    }
  });

  it('an edit in one package misses only its own cache entry and its dependents', async () => {
    ws.write('packages/solo/src/index.ts', 'export const solo = 2;\n');
    const run = await ws.nx(['run-many', '-t', 'build']);
    expect(run.code, run.output).toBe(0);
    const tasks = ws.json('.nx/build-system/runs/latest.json').tasks;
    const status = Object.fromEntries(tasks.map((t: { project: string; cacheHit: boolean }) => [t.project, t.cacheHit]));
    expect(status).toEqual({ '@demo/ui': true, '@demo/web': true, '@demo/solo': false });
  });

  it('flags artifacts restored from cache that do not match their result', async () => {
    // Tamper with the cached copy, then make Nx restore it.
    const cached = execFileSync('find', ['.nx/cache', '-path', '*packages/solo/dist/index.js', '-type', 'f'], { cwd: ws.root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    expect(cached.length).toBeGreaterThan(0);
    for (const f of cached) ws.write(f, '// tampered\n');
    ws.remove('packages/solo/dist');
    const run = await ws.nx(['run', '@demo/solo:build']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('does not match its result');
    const latest = ws.json('.nx/build-system/runs/latest.json');
    expect(latest.tasks[0].integrity.ok).toBe(false);
    expect(latest.tasks[0].integrity.problems).toEqual(['packages/solo/dist/index.js has a different sha256']);
    ws.remove('.nx/cache');
  });

  it('a failing package fails itself and its dependents only', async () => {
    ws.write('packages/ui/src/index.ts', `export function greet(who: string) {\n  return 'hi ' + who +;\n}\n`);
    const run = await ws.nx(['run-many', '-t', 'build']);
    expect(run.code).not.toBe(0);
    expect(ws.json('packages/ui/.build-system/result.json').status).toBe('failure');
    // web never ran: its previous (good) result and outputs are untouched.
    expect(ws.json('apps/web/.build-system/result.json').status).toBe('success');
    expect(ws.json('packages/solo/.build-system/result.json').status).toBe('success');
    const latest = ws.json('.nx/build-system/runs/latest.json');
    expect(latest.notRun, JSON.stringify(latest.tasks.map((t: { taskId: string; status: string }) => [t.taskId, t.status]))).toEqual(['@demo/web:build']);
    expect(latest.tasks.find((t: { project: string }) => t.project === '@demo/ui').status).toBe('failure');
  });
});

describe('plugin option runSummary: false', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(
      inject('installDir'),
      { ...libraryFiles('packages/ui', '@demo/ui'), ...libraryFiles('apps/web', '@demo/web', { dependencies: { '@demo/ui': '*' } }) },
      { plugins: [{ plugin: '@repo/build-system/plugin', options: { runSummary: false } }] },
    );
  });
  afterAll(() => ws?.dispose());

  for (const daemon of [false, true]) {
    it(`builds and caches as usual and writes no run summary or task manifest (daemon ${daemon ? 'on' : 'off'})`, async () => {
      const run = await ws.nx(['run-many', '-t', 'build'], { daemon });
      expect(run.code, run.output).toBe(0);
      expect(ws.json('apps/web/.build-system/result.json').status).toBe('success');
      const again = await ws.nx(['run-many', '-t', 'build'], { daemon });
      expect(again.code, again.output).toBe(0);
      expect(again.output).toMatch(/from the cache instead of running the command for 2 out of 2 tasks/);
      expect(ws.exists('.nx/build-system/runs')).toBe(false);
      expect(run.output + again.output).not.toContain('Run summary:');
    });
  }
});

describe('the packed package', () => {
  it('contains the built plugin, executors, schemas and no sources or tests', () => {
    const installDir = inject('installDir');
    const pkgDir = join(installDir, 'node_modules/@repo/build-system');
    const files = execFileSync('find', ['.', '-type', 'f'], { cwd: pkgDir, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files).toEqual(expect.arrayContaining(['./dist/nx/plugin.js', './dist/nx/executors/build/batch.js', './executors.json', './schemas/build-result.schema.json', './schemas/build-config.schema.json']));
    expect(files.some((f) => f.startsWith('./src/') || f.startsWith('./test/'))).toBe(false);
  });
});

describe('outputs that are not gitignored', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), libraryFiles('packages/ui', '@demo/ui'));
    ws.write('.gitignore', 'node_modules\n.nx\n');
  });
  afterAll(() => ws?.dispose());

  it('still give a cache hit: the target excludes its own outputs from its inputs', async () => {
    const first = await ws.nx(['run', '@demo/ui:build']);
    expect(first.code, first.output).toBe(0);
    const second = await ws.nx(['run', '@demo/ui:build']);
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain('local cache');
  });
});
