import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { libraryFiles, Workspace } from './workspace';

const config = (body: string) => `import { defineBuildConfig } from '@repo/build-system';\n${body}\nexport default defineBuildConfig({ entry: 'src/index.ts' });\n`;

/**
 * A build.config.ts is user code. One that never returns or calls process.exit must not hang or
 * end every nx command of the workspace: it is that package's config error, and every other
 * package still appears in the graph and builds.
 */
describe.each([false, true])('configs that hang or exit (daemon %s)', (daemon) => {
  let ws: Workspace;

  beforeAll(() => {
    ws = Workspace.create(
      inject('installDir'),
      {
        ...libraryFiles('packages/good', '@demo/good'),
        ...libraryFiles('packages/spin', '@demo/spin', { config: config('while (Date.now() > 0) {}') }),
        ...libraryFiles('packages/quit', '@demo/quit', { config: config('process.exit(0);') }),
      },
      { plugins: [{ plugin: '@repo/build-system/plugin', options: { configTimeoutMs: 3000 } }] },
    );
  });
  afterAll(() => ws?.dispose());

  it('keeps every package in the graph, with the error on the broken ones', async () => {
    const projects = await ws.nx(['show', 'projects', '--json'], { daemon });
    expect(projects.code, projects.output).toBe(0);
    expect(JSON.parse(projects.stdout).sort()).toEqual(['@demo/good', '@demo/quit', '@demo/spin']);
    const spin = JSON.parse((await ws.nx(['show', 'project', '@demo/spin', '--json'], { daemon })).stdout);
    expect(spin.targets.build.metadata.description).toContain('did not finish within 3000 ms');
    const quit = JSON.parse((await ws.nx(['show', 'project', '@demo/quit', '--json'], { daemon })).stdout);
    expect(quit.targets.build.metadata.description).toContain('called process.exit(0)');
  });

  it('builds the good package and fails the broken ones with their own codes, nothing left behind', async () => {
    const run = await ws.nx(['run-many', '-t', 'build', '--skip-nx-cache'], { daemon });
    expect(run.code).not.toBe(0);
    expect(JSON.parse(ws.read('packages/good/.build-system/result.json')).status).toBe('success');
    const spin = JSON.parse(ws.read('packages/spin/.build-system/result.json'));
    expect(spin.errors).toEqual([expect.objectContaining({ code: 'BS_CONFIG_TIMEOUT' })]);
    const quit = JSON.parse(ws.read('packages/quit/.build-system/result.json'));
    expect(quit.errors).toEqual([expect.objectContaining({ code: 'BS_CONFIG_LOAD_FAILED', message: expect.stringContaining('process.exit(0)') })]);
    for (const p of ['good', 'spin', 'quit']) expect(ws.exists(`packages/${p}/.build-system/lock`)).toBe(false);
    expect(run.output).toContain('BS_CONFIG_TIMEOUT');
  });

  it('build-system list and the clean target report the broken configs and go on', async () => {
    const cli = 'node_modules/@repo/build-system/dist/cli.js';
    const list = await ws.run(process.execPath, [cli, 'list', '--json'], { NX_DAEMON: daemon ? 'true' : 'false' });
    // list exits 1 when a package has an error, after listing every package.
    expect(list.code, list.output).toBe(1);
    const byName = Object.fromEntries(JSON.parse(list.stdout).map((p: { project: string }) => [p.project, p]));
    expect(byName['@demo/good'].error).toBeUndefined();
    expect(byName['@demo/spin'].error).toMatchObject({ code: 'BS_CONFIG_TIMEOUT' });
    expect(byName['@demo/quit'].error).toMatchObject({ code: 'BS_CONFIG_LOAD_FAILED' });
    const clean = await ws.nx(['run', '@demo/spin:clean'], { daemon });
    expect(clean.code).not.toBe(0);
    expect(clean.output).toContain('BS_CONFIG_TIMEOUT');
  });
});

describe('plugin options in nx.json', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = Workspace.create(inject('installDir'), libraryFiles('packages/good', '@demo/good'), {
      plugins: [{ plugin: '@repo/build-system/plugin', options: { buildTargetNmae: 'compile' } }],
    });
  });
  afterAll(() => ws?.dispose());

  it('a misspelled option fails with a message naming it, instead of being ignored', async () => {
    const run = await ws.nx(['show', 'projects']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('BS_PLUGIN_OPTIONS_INVALID');
    expect(run.output).toContain('unknown option "buildTargetNmae"');
  });
});

/**
 * A wrong option in project.json used to crash the whole batch before this plugin ran (Nx's own
 * type check throws outside its error handling: "UnhandledPromiseRejection … #<SchemaError>").
 * Now it fails that task alone, with a message naming the option.
 */
describe.each([
  { nx: inject('nxVersion'), installDir: inject('installDir') },
  { nx: inject('nxVersionPrevious'), installDir: inject('installDirPrevious') },
])('build target options in project.json (Nx $nx)', ({ installDir }) => {
  let ws: Workspace;
  const projectJson = (name: string, options: Record<string, unknown>) =>
    JSON.stringify({ name, targets: { build: { options }, clean: { options } } }, null, 2);
  beforeAll(() => {
    ws = Workspace.create(installDir, {
      ...libraryFiles('packages/good', '@demo/good'),
      // A string where a boolean belongs is wrong in JSON (Nx coerces only command-line values).
      ...libraryFiles('packages/quoted', '@demo/quoted'),
      'packages/quoted/project.json': projectJson('@demo/quoted', { force: 'true' }),
      ...libraryFiles('packages/wrong', '@demo/wrong'),
      'packages/wrong/project.json': projectJson('@demo/wrong', { force: 'yes', configTimeoutMs: -5, forse: true }),
    });
  });
  afterAll(() => ws?.dispose());

  it('fails only the task with the wrong options, naming each, and builds the rest', async () => {
    const run = await ws.nx(['run-many', '-t', 'build', '--skip-nx-cache']);
    expect(run.code).not.toBe(0);
    expect(run.output).not.toMatch(/SchemaError|UnhandledPromiseRejection/);
    expect(run.output).toContain('BS_EXECUTOR_OPTIONS_INVALID');
    expect(run.output).toContain(`"force": expected true or false, got "yes"`);
    expect(run.output).toContain('"configTimeoutMs": expected a positive integer (milliseconds), got -5');
    expect(run.output).toContain('unknown option "forse" (did you mean "force"?)');
    expect(JSON.parse(ws.read('packages/good/.build-system/result.json')).status).toBe('success');
    expect(run.output).toContain(`Invalid options for @demo/quoted's build target: "force": expected true or false, got "true"`);
    expect(ws.exists('packages/wrong/dist')).toBe(false);
  });

  it('still takes command-line values, which Nx coerces', async () => {
    const run = await ws.nx(['run', '@demo/good:build', '--force=true', '--configTimeoutMs=20000', '--skip-nx-cache']);
    expect(run.code, run.output).toBe(0);
  });

  it('says the same for one task (nx run) and for the clean target', async () => {
    for (const target of ['build', 'clean']) {
      const run = await ws.nx(['run', `@demo/wrong:${target}`, '--skip-nx-cache']);
      expect(run.code, run.output).not.toBe(0);
      expect(run.output).not.toMatch(/SchemaError|UnhandledPromiseRejection/);
      expect(run.output).toContain(`BS_EXECUTOR_OPTIONS_INVALID Invalid options for @demo/wrong's ${target} target`);
    }
  });
});
