// Compiles src/ to dist/ and regenerates the published JSON Schemas.
// Runs from `prepare`, so `npm ci` on a fresh clone leaves an installable package.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
if (!existsSync(tsc)) {
  console.error('typescript is not installed: run `npm ci` first');
  process.exit(1);
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });

// Executor and generator schema.json / template files live beside their sources.
for (const dir of ['src/nx/executors', 'src/nx/generators']) {
  const from = join(root, dir);
  if (!existsSync(from)) continue;
  cpSync(from, join(root, dir.replace(/^src/, 'dist')), {
    recursive: true,
    filter: (src) => !src.endsWith('.ts') || src.endsWith('.d.ts') || src.includes(`${'files'}`),
  });
}

mkdirSync(join(root, 'schemas'), { recursive: true });
execFileSync(process.execPath, [join(root, 'scripts/write-schemas.mjs')], { stdio: 'inherit', cwd: root });
