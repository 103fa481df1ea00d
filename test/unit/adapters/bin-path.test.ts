import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageBinEnv } from '../../../src/adapters/bin-path';
import { buildPackage, createWorkspace, useTempDirs, writeFiles } from '../helpers/workspace';

const tempDir = useTempDirs();

describe('package bin PATH', () => {
  it("puts the package's node_modules/.bin, then each ancestor's up to the workspace root, before PATH", () => {
    const env = packageBinEnv({ PATH: ['/usr/bin', '/ws/node_modules/.bin'].join(path.delimiter), HOME: '/h' }, '/ws/packages/lib', '/ws');
    expect(env.PATH!.split(path.delimiter)).toEqual(['/ws/packages/lib/node_modules/.bin', '/ws/packages/node_modules/.bin', '/ws/node_modules/.bin', '/usr/bin']);
    expect(env.HOME).toBe('/h');
  });

  it('keeps the spelling of a Windows-style Path variable', () => {
    const env = packageBinEnv({ Path: '/usr/bin' }, '/ws', '/ws');
    expect(env).toEqual({ Path: ['/ws/node_modules/.bin', '/usr/bin'].join(path.delimiter) });
  });
});

describe('hooks and custom commands find workspace bins', () => {
  it('a hook and a custom command run tools from node_modules/.bin of the package and the workspace root, in the package folder', async () => {
    const ws = createWorkspace(tempDir, {
      config: "{ builder: 'custom', builderOptions: { command: 'from-workspace custom' }, hooks: { pre: ['from-package hook > hook.txt'] } }",
    });
    writeFiles(ws.root, { 'node_modules/.bin/from-workspace': '#!/bin/sh\necho "workspace $1 $(pwd)" > "$BUILD_SYSTEM_OUT_DIR/ran.txt"\n' });
    writeFiles(ws.pkg, { 'node_modules/.bin/from-package': '#!/bin/sh\necho "package $1 $(pwd)"\n' });
    fs.chmodSync(path.join(ws.root, 'node_modules/.bin/from-workspace'), 0o755);
    fs.chmodSync(path.join(ws.pkg, 'node_modules/.bin/from-package'), 0o755);

    const result = await buildPackage(ws, { env: { PATH: '/usr/bin:/bin' } });

    expect(result.errors).toEqual([]);
    expect(fs.readFileSync(path.join(ws.pkg, 'hook.txt'), 'utf8')).toBe(`package hook ${ws.pkg}\n`);
    expect(fs.readFileSync(path.join(ws.pkg, 'dist/ran.txt'), 'utf8')).toBe(`workspace custom ${ws.pkg}\n`);
  });
});
