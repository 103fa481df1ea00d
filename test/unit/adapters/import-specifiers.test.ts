import { describe, expect, it } from 'vitest';
import { importSpecifiers } from '../../../src/adapters/import-specifiers';

describe('importSpecifiers', () => {
  it('finds static, type-only, re-export, dynamic, type-position and require specifiers, and skips commented-out ones', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from './b';",
      "export * from './c/index.js';",
      "import './side-effect.js';",
      "const lazy = await import('./lazy.js');",
      "export type T = typeof import('./t.js');",
      "import x = require('./cjs');",
      "// import { gone } from './commented';",
      "/* export * from './block'; */",
      "const url = 'https://example.com//not-a-comment'; import { z } from 'zod';",
      '',
    ].join('\n');

    expect(importSpecifiers(source)).toEqual(['./a.js', './b', './c/index.js', './side-effect.js', './lazy.js', './t.js', './cjs', 'zod']);
  });
});
