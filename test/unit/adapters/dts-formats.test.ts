import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { declarationExtensionsFor, renameSpecifiers, writeFormatDeclarations } from '../../../src/adapters/dts-formats';
import { useTempDirs, writeFiles } from '../helpers/workspace';

/** `.d.cts`/`.d.mts` copies of tsc's `.d.ts` tree, for bundles in the format other than the package type. */
const tempDir = useTempDirs();

describe('declarations per format', () => {
  it('wants .d.cts beside a .cjs entry and .d.mts beside a .mjs one, nothing beside .js', () => {
    expect(declarationExtensionsFor(['/o/index.js', '/o/index.cjs', '/o/cli.cjs'])).toEqual(['.d.cts']);
    expect(declarationExtensionsFor(['/o/index.js', '/o/index.mjs'])).toEqual(['.d.mts']);
    expect(declarationExtensionsFor(['/o/index.js', '/o/index.global.js'])).toEqual([]);
  });

  it('renames relative specifiers that name a declaration of the tree, and leaves the others', () => {
    const decls = new Set(['/o/index.d.ts', '/o/lib/a.d.ts', '/o/util/index.d.ts']);
    const text = [
      "export * from './lib/a.js';",
      "export { x } from './lib/a';",
      "export * from './util';",
      "import type { T } from '../outside.js';",
      "import './styles.css';",
      "export type U = import('./lib/a.js').U;",
      "import z = require('./lib/a.js');",
      "export * from 'pkg/lib/a.js';",
    ].join('\n');

    expect(renameSpecifiers(text, '/o/index.d.ts', decls, '.cjs').split('\n')).toEqual([
      "export * from './lib/a.cjs';",
      "export { x } from './lib/a.cjs';",
      "export * from './util/index.cjs';",
      "import type { T } from '../outside.js';",
      "import './styles.css';",
      "export type U = import('./lib/a.cjs').U;",
      "import z = require('./lib/a.cjs');",
      "export * from 'pkg/lib/a.js';",
    ]);
  });

  it('copies each .d.ts with its map, the map renamed and pointing at the new file and the same sources', async () => {
    const out = tempDir();
    writeFiles(out, {
      'index.d.ts': "export * from './lib/a.js';\n//# sourceMappingURL=index.d.ts.map",
      'index.d.ts.map': JSON.stringify({ version: 3, file: 'index.d.ts', sourceRoot: '', sources: ['../src/index.ts'], names: [], mappings: 'AAAA' }),
      'lib/a.d.ts': 'export declare const a = 1;\n',
      // tsc's own output for a .mts source is left alone.
      'lib/m.d.mts': 'export declare const m = 1;\n',
    });
    const files = ['index.d.ts', 'index.d.ts.map', 'lib/a.d.ts', 'lib/m.d.mts'].map((f) => path.join(out, f));

    const emitted = await writeFormatDeclarations(files, ['.d.cts', '.d.mts']);

    expect(emitted.map((e) => [path.relative(out, e.file), e.kind])).toEqual([
      ['index.d.cts', 'types'],
      ['index.d.cts.map', 'sourcemap'],
      ['lib/a.d.cts', 'types'],
      ['index.d.mts', 'types'],
      ['index.d.mts.map', 'sourcemap'],
      ['lib/a.d.mts', 'types'],
    ]);
    expect(fs.readFileSync(path.join(out, 'index.d.cts'), 'utf8')).toBe("export * from './lib/a.cjs';\n//# sourceMappingURL=index.d.cts.map");
    expect(JSON.parse(fs.readFileSync(path.join(out, 'index.d.cts.map'), 'utf8'))).toMatchObject({ file: 'index.d.cts', sources: ['../src/index.ts'] });
    expect(fs.readFileSync(path.join(out, 'lib/m.d.mts'), 'utf8')).toBe('export declare const m = 1;\n');
  });
});
