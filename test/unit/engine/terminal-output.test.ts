import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../../../src/color';
import { buildPackage, createWorkspace, readBuildLog, useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();
const ESC = '\u001b[';
const BROKEN_SOURCE = 'export function greet(name: string): string {\n  return { a: 1 1 };\n}\n';

async function buildCapturing(ws: ReturnType<typeof createWorkspace>, color: boolean) {
  let printed = '';
  const result = await buildPackage(ws, { color, onLog: (text) => void (printed += text) });
  return { result, printed };
}

describe('runBuild: what a failing build prints', () => {
  it('prints the error with a code frame and no escape codes when the stream is plain', async () => {
    const ws = createWorkspace(tempDir, { files: { 'src/index.ts': BROKEN_SOURCE } });

    const { printed } = await buildCapturing(ws, false);

    expect(printed).toContain('packages/lib/src/index.ts:2:17: error: Expected "}" but found "1"\n');
    expect(printed).toContain('> 2 |   return { a: 1 1 };\n      |                 ^\n');
    expect(printed).not.toContain(ESC);
  });

  it('colors the error and its code frame for a color terminal', async () => {
    const ws = createWorkspace(tempDir, { files: { 'src/index.ts': BROKEN_SOURCE } });

    const { printed } = await buildCapturing(ws, true);

    expect(printed).toContain(ESC);
    expect(printed).toMatch(/error.*Expected "\}" but found "1"/);
  });

  it('keeps build.log and result.json free of escape codes when the terminal is colored', async () => {
    const ws = createWorkspace(tempDir, { files: { 'src/index.ts': BROKEN_SOURCE } });

    await buildCapturing(ws, true);

    const log = readBuildLog(ws);
    expect(log).toContain('> 2 |   return { a: 1 1 };');
    expect(log).not.toContain(ESC);
    expect(fs.readFileSync(path.join(ws.pkg, '.build-system/result.json'), 'utf8')).not.toContain('\\u001b');
  });

  it('colors our own error lines (code and hint) but writes them plain to build.log', async () => {
    const ws = createWorkspace(tempDir, { config: "{ entry: 'src/missing.ts' }" });

    const { printed, result } = await buildCapturing(ws, true);

    expect(result.errors[0].code).toBe('BS_ENTRY_NOT_FOUND');
    expect(printed).toMatch(new RegExp(`\\u001b\\[[0-9;]*mBS_ENTRY_NOT_FOUND`));
    expect(readBuildLog(ws)).toMatch(/^BS_ENTRY_NOT_FOUND .*\n  → /m);
  });

  it('colors the code frame of a config syntax error, and prints the same text as without colors', async () => {
    const broken = "export default {\n  entry: 'src/index.ts',,\n};\n";
    const plain = createWorkspace(tempDir, { files: { 'build.config.ts': broken } });
    const colored = createWorkspace(tempDir, { files: { 'build.config.ts': broken } });

    const a = await buildCapturing(plain, false);
    const b = await buildCapturing(colored, true);

    expect(a.result.errors[0].code).toBe('BS_CONFIG_SYNTAX');
    expect(a.printed).toMatch(/> 2 \|   entry: 'src\/index\.ts',,\n +\| +\^/);
    expect(b.printed).toMatch(/\u001b\[[0-9;]*m>\u001b/);
    expect(stripAnsi(b.printed).replaceAll(colored.root, '')).toBe(a.printed.replaceAll(plain.root, ''));
  });
});
