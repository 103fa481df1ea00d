import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageOf, toDiagnostic } from '../../../src/adapters/rolldown/diagnostics';
import { externalPatterns } from '../../../src/adapters/rolldown/options';
import { createLibraryWorkspace, importGreet, requireGreet, runNode } from '../helpers/fixture-library';
import { buildPackage, configSource, useTempDirs, type TestWorkspace } from '../helpers/workspace';

const tempDir = useTempDirs();
const build = (ws: TestWorkspace, request: Parameters<typeof buildPackage>[1] = {}) => buildPackage(ws, { project: 'greet', ...request });
const read = (ws: TestWorkspace, file: string) => fs.readFileSync(path.join(ws.pkg, file), 'utf8');
const rolldown = (options = '') => `{ builder: 'rolldown'${options ? `, ${options}` : ''} }`;

describe('rolldown builder, from the build config', () => {
  it('names outputs by package type: a CommonJS package gets index.mjs and index.js', async () => {
    const ws = createLibraryWorkspace(tempDir, rolldown("formats: ['esm', 'cjs']"), {
      files: { 'package.json': JSON.stringify({ name: 'greet-lib', version: '1.0.0', private: true }) },
    });

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    expect(importGreet(path.join(ws.pkg, 'dist/index.mjs'), 'esm')).toBe('HELLO ESM!');
    expect(requireGreet(path.join(ws.pkg, 'dist/index.js'), 'cjs')).toBe('HELLO CJS!');
  });

  it('builds an iife whose global is builderOptions.name', async () => {
    const ws = createLibraryWorkspace(tempDir, rolldown("formats: ['iife'], platform: 'browser', builderOptions: { name: 'Greet' }"));

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    const script = path.join(ws.pkg, 'dist/index.global.js');
    expect(runNode(['-e', `require('vm').runInThisContext(require('fs').readFileSync(${JSON.stringify(script)}, 'utf8')); console.log(Greet.greet('iife'))`])).toBe('HELLO IIFE!');
  });

  it('sourcemap: true writes a .map file without a sourceMappingURL comment; inline embeds it', async () => {
    const external = createLibraryWorkspace(tempDir, rolldown('sourcemap: true'));
    const inline = createLibraryWorkspace(tempDir, rolldown("sourcemap: 'inline'"));

    expect((await build(external)).errors).toEqual([]);
    expect((await build(inline)).errors).toEqual([]);

    expect(JSON.parse(read(external, 'dist/index.js.map')).sources).toEqual(['../src/shout.ts', '../src/index.ts']);
    expect(read(external, 'dist/index.js')).not.toContain('sourceMappingURL');
    expect(read(inline, 'dist/index.js')).toContain('//# sourceMappingURL=data:application/json;');
    expect(fs.existsSync(path.join(inline.pkg, 'dist/index.js.map'))).toBe(false);
  });

  it('minify: true minifies the bundle', async () => {
    const plain = createLibraryWorkspace(tempDir, rolldown());
    const minified = createLibraryWorkspace(tempDir, rolldown('minify: true'));

    await build(plain);
    await build(minified);

    expect(read(minified, 'dist/index.js').length).toBeLessThan(read(plain, 'dist/index.js').length);
    expect(read(minified, 'dist/index.js')).not.toContain('\n\t');
    expect(importGreet(path.join(minified.pkg, 'dist/index.js'), 'small')).toBe('HELLO SMALL!');
  });

  it('applies define and target, and merges builderOptions.transform.define with define', async () => {
    const ws = createLibraryWorkspace(tempDir, rolldown("target: 'es2019', define: { __GREETING__: '\"hi\"' }, builderOptions: { transform: { define: { __PUNCT__: '\"?\"' } } }"), {
      files: {
        'src/index.ts': "declare const __GREETING__: string;\ndeclare const __PUNCT__: string;\nexport function greet(name?: string): string {\n  return `${__GREETING__} ${name ?? 'you'}${__PUNCT__}`;\n}\n",
      },
    });

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    const out = read(ws, 'dist/index.js');
    // es2019 has no `??`: it is lowered.
    expect(out).not.toContain('??');
    expect(out).not.toContain('__GREETING__');
    expect(runNode(['--input-type=module', '-e', `const m = await import(${JSON.stringify(path.join(ws.pkg, 'dist/index.js'))}); console.log(m.greet())`])).toBe('hi you?');
  });

  it('keeps externals and their subpaths, and node built-ins for node builds, as imports; bundles the rest', async () => {
    const ws = createLibraryWorkspace(tempDir, rolldown("external: ['ext']"), {
      files: {
        'src/index.ts': "import { a } from 'ext';\nimport { b } from 'ext/sub';\nimport { c } from 'ext-other';\nimport { join } from 'node:path';\nimport { readFileSync } from 'fs';\nexport const all = [a, b, c, join, readFileSync];\n",
        'node_modules/ext-other/package.json': JSON.stringify({ name: 'ext-other', version: '1.0.0', main: 'index.js' }),
        'node_modules/ext-other/index.js': 'exports.c = "bundled-c";\n',
      },
    });

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    const out = read(ws, 'dist/index.js');
    expect(out).toMatch(/from "ext"/);
    expect(out).toMatch(/from "ext\/sub"/);
    expect(out).toMatch(/from "node:path"/);
    expect(out).toMatch(/from "fs"/);
    expect(out).toContain('bundled-c');
  });

  it('matches an external name exactly or as a path prefix, never as a string prefix', () => {
    const patterns = externalPatterns({ external: ['react', '@scope/pkg'], platform: 'browser' });
    const isExternal = (id: string) => patterns.some((p) => (typeof p === 'string' ? p === id : p.test(id)));

    expect(['react', 'react/jsx-runtime', '@scope/pkg', '@scope/pkg/x', 'node:fs'].filter(isExternal)).toHaveLength(5);
    expect(['react-dom', '@scope/pkg2', 'fs'].filter(isExternal)).toEqual([]);
    expect(externalPatterns({ external: [], platform: 'node' })).toContain('fs');
  });

  it('passes builderOptions through as rolldown input options, and builderOptions.output into every output', async () => {
    const ws = createLibraryWorkspace(tempDir, rolldown("formats: ['esm', 'cjs'], builderOptions: { output: { banner: '/* banner */' }, treeshake: false }"));

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    expect(read(ws, 'dist/index.js').startsWith('/* banner */')).toBe(true);
    expect(read(ws, 'dist/index.cjs').startsWith('/* banner */')).toBe(true);
  });

  it('with cjsInterop, require() returns the default export with the named exports attached', async () => {
    const ws = createLibraryWorkspace(tempDir, rolldown("outputs: [{ name: 'cjs', format: 'cjs', cjsInterop: true }]"), {
      files: { 'src/index.ts': 'export default function greet(name: string): string {\n  return `hello ${name}`;\n}\nexport const version = "1.0";\n' },
    });

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    const file = JSON.stringify(path.join(ws.pkg, 'dist/index.cjs'));
    expect(runNode(['-e', `const m = require(${file}); console.log(typeof m, m('you'), m.version, m.default === m)`])).toBe('function hello you 1.0 true');
  });

  it("records rolldown's warnings with their code and place", async () => {
    const ws = createLibraryWorkspace(tempDir, rolldown(), {
      files: { 'src/index.ts': "import pad from 'left-pad';\nexport const padded = pad;\n" },
    });

    const result = await build(ws);

    expect(result.status).toBe('success');
    expect(result.warnings).toEqual([
      expect.objectContaining({ builderCode: 'UNRESOLVED_IMPORT', message: "Could not resolve 'left-pad' in src/index.ts", file: `${ws.pkgRel}/src/index.ts`, line: 1, column: 17 }),
    ]);
  });

  it('stops between outputs when the build is cancelled', async () => {
    const ws = createLibraryWorkspace(tempDir, rolldown());
    const written = path.join(ws.root, 'written.log');
    const go = path.join(ws.root, 'go');
    // A plugin notes each output it writes and, after the first, waits for the test to cancel.
    const plugin = `{ name: 'gate', async writeBundle(options) {
      const fs = await import('node:fs');
      fs.appendFileSync(${JSON.stringify(written)}, options.format + '\\n');
      while (!fs.existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 10));
    } }`;
    fs.writeFileSync(path.join(ws.pkg, 'build.config.ts'), configSource(rolldown(`formats: ['esm', 'cjs'], builderOptions: { plugins: [${plugin}] }`)));
    const controller = new AbortController();

    const pending = build(ws, { signal: controller.signal });
    await expect.poll(() => fs.existsSync(written), { timeout: 30_000 }).toBe(true);
    controller.abort();
    fs.writeFileSync(go, '');
    const result = await pending;

    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_BUILD_CANCELLED' })]);
    expect(fs.readFileSync(written, 'utf8')).toBe('es\n');
  });
});

/** A rolldown config of the package's own. */
const ROLLDOWN_CONFIG = (input: string, output: string, extra = '') => `export default {
  input: ${input},${extra}
  output: ${output},
};
`;

describe('rolldown builder, from the package\'s rolldown config', () => {
  const withConfig = (file: string, source: string, extraFiles: Record<string, string> = {}) =>
    createLibraryWorkspace(tempDir, rolldown(`builderOptions: { config: '${file}' }`), { files: { [file]: source, ...extraFiles } });

  it('delegates to the config, resolving its input from the package folder and writing its outputs into outDir', async () => {
    const ws = withConfig('rolldown.config.mjs', ROLLDOWN_CONFIG("{ index: 'src/index.ts' }", "{ dir: 'dist/lib', format: 'esm', entryFileNames: '[name].mjs' }"));

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    expect(result.artifacts.map((a) => [a.path, a.kind])).toEqual([[`${ws.pkgRel}/dist/lib/index.mjs`, 'entry']]);
    expect(importGreet(path.join(ws.pkg, 'dist/lib/index.mjs'), 'config')).toBe('HELLO CONFIG!');
  });

  it('loads a TypeScript config, an array of configs, and outputs without dir (rolldown writes those to dist)', async () => {
    const ws = withConfig(
      'rolldown.config.ts',
      "import type { RolldownOptions } from 'rolldown';\nconst esm: RolldownOptions = { input: 'src/index.ts', output: { format: 'esm' } };\nexport default [esm, { input: 'src/index.ts', output: { file: 'dist/cjs/bundle.cjs', format: 'cjs' } }] satisfies RolldownOptions[];\n",
    );

    const result = await build(ws);

    expect(result.errors).toEqual([]);
    expect(importGreet(path.join(ws.pkg, 'dist/index.js'), 'ts config')).toBe('HELLO TS CONFIG!');
    expect(requireGreet(path.join(ws.pkg, 'dist/cjs/bundle.cjs'), 'array')).toBe('HELLO ARRAY!');
    // rolldown bundled the TypeScript config beside it and removed its temporary file.
    expect(fs.readdirSync(ws.pkg).filter((f) => f.startsWith('rolldown.config.'))).toEqual(['rolldown.config.ts']);
  });

  it('refuses a config that writes outside outDir', async () => {
    const ws = withConfig('rolldown.config.mjs', ROLLDOWN_CONFIG("'src/index.ts'", "{ dir: 'lib', format: 'esm' }"));

    const result = await build(ws);

    expect(result.status).toBe('failure');
    expect(result.errors[0].message).toMatch(/The rolldown config writes to lib, outside outDir \(dist\)/);
  });

  it("applies the config's own onwarn before recording warnings", async () => {
    const onwarn = "\n  onwarn(warning, warn) {\n    if (warning.code !== 'UNRESOLVED_IMPORT') warn(warning);\n  },";
    const ws = withConfig('rolldown.config.mjs', ROLLDOWN_CONFIG("'src/index.ts'", "{ dir: 'dist', format: 'esm' }", onwarn), {
      'src/index.ts': "import pad from 'left-pad';\nimport * as shout from './shout.js';\nexport const padded = [pad, (shout as any).whisper];\n",
    });

    const result = await build(ws);

    expect(result.status).toBe('success');
    expect(result.warnings.map((w) => w.builderCode)).toEqual(['IMPORT_IS_UNDEFINED']);
  });

  it("reports a plugin's error with the plugin's code, file, line and column", async () => {
    const plugins = "\n  plugins: [{ name: 'strict', transform(code, id) { if (id.endsWith('shout.ts')) this.error({ message: 'no shouting', pluginCode: 'NO_SHOUT' }, code.indexOf('toUpperCase')); } }],";
    const ws = withConfig('rolldown.config.mjs', ROLLDOWN_CONFIG("'src/index.ts'", "{ dir: 'dist', format: 'esm' }", plugins));
    const log: string[] = [];

    const result = await build(ws, { onLog: (text) => log.push(text) });

    expect(result.status).toBe('failure');
    expect(result.errors[0]).toMatchObject({ code: 'BS_BUILD_FAILED', builderCode: 'NO_SHOUT', message: 'no shouting', file: `${ws.pkgRel}/src/shout.ts`, line: 2, column: 18 });
    expect(log.join('')).toContain(`${ws.pkgRel}/src/shout.ts:2:18: error NO_SHOUT: no shouting`);
  });

  it('reports a syntax error in a TypeScript config at its place', async () => {
    const ws = withConfig('rolldown.config.ts', "export default {\n  input: 'src/index.ts',,\n};\n");

    const result = await build(ws);

    expect(result.status).toBe('failure');
    expect(result.errors[0]).toMatchObject({ file: `${ws.pkgRel}/rolldown.config.ts`, line: 2, builderCode: 'PARSE_ERROR' });
  });

  it('names a missing config file', async () => {
    const ws = createLibraryWorkspace(tempDir, rolldown("builderOptions: { config: 'rolldown.config.js' }"));

    const result = await build(ws);

    expect(result.status).toBe('failure');
    expect(result.errors[0].message).toBe('builderOptions.config names rolldown.config.js, which does not exist.');
  });
});

describe('rolldown diagnostics', () => {
  it("splits rolldown's own `[CODE] message` from the code frame drawn under it", () => {
    const log = {
      code: 'PARSE_ERROR',
      message: '\u001b[31m[PARSE_ERROR] \u001b[0mUnexpected token\n   ╭─[ src/shout.ts:2:18 ]\n 2 │   const broken = ;\n───╯\n',
      loc: { file: '/ws/src/shout.ts', line: 2, column: 17 },
    };

    expect(messageOf(log)).toEqual({ headline: 'Unexpected token', frame: '   ╭─[ src/shout.ts:2:18 ]\n 2 │   const broken = ;\n───╯' });
    expect(toDiagnostic(log, 'error', '/ws')).toEqual({ severity: 'error', code: 'PARSE_ERROR', message: 'Unexpected token', file: '/ws/src/shout.ts', line: 2, column: 18, builder: 'rolldown' });
  });

  it("keeps a plugin's message whole and its frame from `frame`", () => {
    const log = { code: 'PLUGIN_ERROR', plugin: 'strict', pluginCode: 'NO_SHOUT', message: '[plugin strict] no shouting\nsecond line', frame: '1: x', id: '/ws/src/a.ts' };

    expect(messageOf(log)).toEqual({ headline: 'no shouting\nsecond line', frame: '1: x' });
    expect(toDiagnostic(log, 'warning', '/ws')).toEqual({ severity: 'warning', code: 'NO_SHOUT', message: 'no shouting\nsecond line', file: '/ws/src/a.ts', builder: 'rolldown' });
  });
});
