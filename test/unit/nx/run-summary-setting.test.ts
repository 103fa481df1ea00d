import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { runSummaryEnabled } from '../../../src/nx/run-summary-setting';

describe('runSummaryEnabled (plugin option runSummary)', () => {
  const dirs: string[] = [];
  const workspace = (nxJson: string | undefined) => {
    const root = mkdtempSync(join(tmpdir(), 'bs-run-summary-setting-'));
    dirs.push(root);
    if (nxJson !== undefined) writeFileSync(join(root, 'nx.json'), nxJson);
    return root;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is on by default: no option, the short plugin form, no nx.json, a broken nx.json', () => {
    expect(runSummaryEnabled(workspace(JSON.stringify({ plugins: [{ plugin: '@repo/build-system/plugin', options: {} }] })))).toBe(true);
    expect(runSummaryEnabled(workspace(JSON.stringify({ plugins: ['@repo/build-system/plugin'] })))).toBe(true);
    expect(runSummaryEnabled(workspace(undefined))).toBe(true);
    expect(runSummaryEnabled(workspace('{ not json'))).toBe(true);
  });

  it('is off only for runSummary: false on this plugin', () => {
    expect(runSummaryEnabled(workspace(JSON.stringify({ plugins: [{ plugin: '@repo/build-system/plugin', options: { runSummary: false } }] })))).toBe(false);
    expect(runSummaryEnabled(workspace(JSON.stringify({ plugins: [{ plugin: '@nx/js/typescript', options: { runSummary: false } }] })))).toBe(true);
    expect(runSummaryEnabled(workspace(JSON.stringify({ plugins: [{ plugin: '@repo/build-system/plugin', options: { runSummary: 'no' } }] })))).toBe(true);
  });

  it('decides whether the plugin module exports postTasksExecution, from the nx.json above the cwd', () => {
    const off = workspace(JSON.stringify({ plugins: [{ plugin: '@repo/build-system/plugin', options: { runSummary: false } }] }));
    const on = workspace(JSON.stringify({ plugins: ['@repo/build-system/plugin'] }));
    mkdirSync(join(off, 'packages/a'), { recursive: true });
    // A fresh process per workspace: the export is fixed when the module loads, as in Nx's plugin worker.
    const bundle = join(workspace(undefined), 'plugin.cjs');
    buildSync({ entryPoints: [resolve(__dirname, '../../../src/nx/plugin.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent' });
    const hasHook = (cwd: string) =>
      execFileSync(process.execPath, ['-e', `console.log(typeof require(${JSON.stringify(bundle)}).postTasksExecution)`], { cwd, encoding: 'utf8' }).trim();
    expect(hasHook(join(off, 'packages/a'))).toBe('undefined');
    expect(hasHook(on)).toBe('function');
  });
});
