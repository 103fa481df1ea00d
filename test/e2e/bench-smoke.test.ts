import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';

/**
 * `npm run bench` in miniature: the real script, tiny workspaces, one round, on the install this
 * test run already made (so no npm install and no @nx/esbuild or @nx/js variants). It checks that
 * the benchmark runs end to end and reports what it measured; it asserts nothing about speed.
 */
describe('bench/run.mjs --quick (smoke)', () => {
  const out = mkdtempSync(join(tmpdir(), 'bs-bench-smoke-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('builds every scenario through real nx, prints the tables and writes the results JSON', () => {
    const scenarios = ['one', 'many', 'cache', 'affected'];
    const run = spawnSync(
      process.execPath,
      ['bench/run.mjs', '--quick', `--toolchain=${inject('installDir')}`, `--only=${scenarios.join(',')}`, '--variants=plugin,noop-inferred', `--out=${out}`],
      { cwd: resolve(__dirname, '../..'), encoding: 'utf8', env: { ...process.env, CI: undefined }, timeout: 600_000 },
    );
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    for (const id of scenarios) expect(output).toMatch(new RegExp(`^${id}: `, 'm'));
    expect(output).toMatch(/^\| plugin +\| +\d+\.\d\d \|/m);
    expect(output).toContain('Peak resident memory');
    // The machine's load, per round, under every scenario's table.
    for (const id of scenarios) expect(output).toMatch(new RegExp(`^${id}: [^]*?^load average 1/5/15 min at the end of each round: r1 \\d+\\.\\d\\d/\\d+\\.\\d\\d/\\d+\\.\\d\\d`, 'm'));
    // And, on Linux, the CPU other processes took during each round: what tells a busy machine from the benchmark's own load.
    if (process.platform === 'linux') {
      for (const id of scenarios) expect(output).toMatch(new RegExp(`^${id}: [^]*?^cores used by other processes during each round \\(of \\d+\\): r1 \\d+\\.\\d\\d`, 'm'));
      expect(output).toMatch(/^Other processes used at most \d+\.\d\d of the \d+ cores in any round/m);
    }

    const [file] = readdirSync(out).filter((f) => f.startsWith('bench-') && f.endsWith('.json'));
    const data = JSON.parse(readFileSync(join(out, file), 'utf8'));
    const rows = data.rows as { scenario: string; variant: string; runs: number; medianS: number; ratioToBaseline: number }[];
    for (const id of scenarios) {
      for (const variant of ['plugin', 'run-commands']) {
        const row = rows.find((r) => r.scenario === id && r.variant === variant);
        expect(row, `${id} / ${variant}`).toBeDefined();
        expect(row!.runs).toBe(1);
        expect(row!.medianS).toBeGreaterThan(0);
      }
    }
    expect(rows.find((r) => r.scenario === 'one' && r.variant === 'noop-inferred')).toBeDefined();
    // One load sample per round in the JSON, and the overload flag that follows from it.
    for (const id of scenarios) {
      const loads = data.runs[id].loads as { round: number; loadavg: number[] }[];
      expect(loads.map((l) => l.round)).toEqual([1]);
      expect(loads[0].loadavg).toHaveLength(3);
      if (process.platform === 'linux') expect((loads[0] as unknown as { otherCores: number }).otherCores).toBeGreaterThanOrEqual(0);
      const overloaded = loads[0].loadavg[0] > data.meta.machine.cpus;
      for (const row of rows.filter((r) => r.scenario === id)) expect((row as unknown as { overloaded: boolean }).overloaded).toBe(overloaded);
      expect(data.meta.overloaded.some((o: { scenario: string }) => o.scenario === id)).toBe(overloaded);
    }
    // The plugin's batch process was found and measured in the memory runs.
    for (const id of ['one', 'many']) {
      const plugin = data.rss[id].find((r: { variant: string }) => r.variant === 'plugin');
      expect(plugin.executor, id).toBeGreaterThan(0);
      expect(plugin.main, id).toBeGreaterThan(0);
    }
    // Nothing left behind: the benchmark removes its workspaces.
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith(`bs-bench-ws-`) && f.includes(`-${run.pid}-`))).toEqual([]);
    // As long as the spawn may take: on a loaded machine the run outlasts the default test timeout.
  }, 600_000);
});
