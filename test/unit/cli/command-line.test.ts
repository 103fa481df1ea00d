import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/workspace';

/** The real bin, as `npx build-system` runs it; the suite needs `node scripts/build.mjs` after src/ changes. */
const repo = path.resolve(__dirname, '../../..');
const cliJs = path.join(repo, 'dist/cli.js');
const version = (JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string }).version;
const tempDir = useTempDirs();

beforeAll(() => {
  const newest = (dir: string): number =>
    Math.max(...fs.readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs)));
  expect(fs.existsSync(cliJs), 'dist/cli.js is missing: run node scripts/build.mjs').toBe(true);
  const sources = Math.max(newest(path.join(repo, 'src/cli')), fs.statSync(path.join(repo, 'src/cli.ts')).mtimeMs);
  expect(fs.statSync(cliJs).mtimeMs, 'dist/ is older than src/cli: run node scripts/build.mjs').toBeGreaterThanOrEqual(sources);
});

/** Runs the bin in an empty temp folder (not a workspace), without the Nx daemon. */
function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [cliJs, ...args], { cwd: tempDir('bs-cli-'), encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('build-system --version and --help', () => {
  it('--version prints the package version and exits 0', () => {
    expect(cli('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--version --json prints the name and version as JSON', () => {
    const run = cli('--version', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ name: '@repo/build-system', version });
  });

  it.each([['--help'], ['-h'], ['help']])('%s prints the usage with every command and exits 0', (flag) => {
    const run = cli(flag);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: build-system \[command\] \[options\]\n/);
    expect(run.stdout).toMatch(/^ {2}list {2}/m);
    expect(run.stdout).toContain('--version');
    expect(run.stderr).toBe('');
  });

  it('list --help, list -h and help list print the options of list', () => {
    const run = cli('list', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: build-system list \[-c <environment>\] \[--json\]\n/);
    expect(run.stdout).toContain('-c, --configuration <environment>');
    expect(cli('list', '-h').stdout).toBe(run.stdout);
    expect(cli('help', 'list').stdout).toBe(run.stdout);
  });
});

describe('a wrong command line', () => {
  it.each([
    [['lst'], 'unknown command "lst" — did you mean "list"?'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['help', 'lst'], 'unknown command "lst" — did you mean "list"?'],
    [['list', '--jsn'], 'unknown option "--jsn" — did you mean "--json"?'],
    [['--verison'], 'unknown option "--verison" — did you mean "--version"?'],
    [['list', '-json'], 'unknown option "-json" — did you mean "--json"?'],
    [['list', '--frobnicate'], 'unknown option "--frobnicate"'],
    [['list', '-c'], 'option "-c" needs a value: -c <environment>'],
    [['list', '-c', '--json'], 'option "-c" needs a value: -c <environment>'],
    [['list', '--json=yes'], 'option "--json" takes no value'],
    [['list', 'extra'], 'unexpected argument "extra" (list takes no arguments)'],
  ])('%j: exit 2, one line naming the mistake, then the usage; no stack trace', (args, message) => {
    const run = cli(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const [first, blank, usage] = run.stderr.split('\n');
    expect(first).toBe(`build-system: ${message}`);
    expect(blank).toBe('');
    expect(usage).toMatch(/^Usage: build-system /);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toContain('ERR_PARSE_ARGS');
  });

  it('a mistake after a command shows that command\'s usage', () => {
    expect(cli('list', '--jsn').stderr).toContain('Usage: build-system list [-c <environment>] [--json]\n');
  });
});

describe('build-system list outside an Nx workspace', () => {
  it('says that nothing is buildable and exits 0', () => {
    const run = cli('list');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^No buildable packages/);
  });

  it('--json prints an empty array, before or after the command', () => {
    expect(JSON.parse(cli('list', '--json').stdout)).toEqual([]);
    expect(JSON.parse(cli('--json').stdout)).toEqual([]);
  });
});
