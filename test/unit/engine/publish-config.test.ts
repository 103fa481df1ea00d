import { describe, expect, it } from 'vitest';
import { resolveBuild } from '../../../src/config/resolve';
import { validateBuildConfig } from '../../../src/config/validate';
import type { PackageBuildConfig } from '../../../src/config/schema';
import { BuildSystemError } from '../../../src/errors';
import { buildPackage, createWorkspace, TEST_ENV, useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();

function problems(raw: unknown): string[] {
  try {
    validateBuildConfig(raw, 'build.config.ts');
  } catch (e) {
    return (e as BuildSystemError).issues ?? [];
  }
  return [];
}

function resolvePublish(config: PackageBuildConfig, configuration?: string) {
  const ws = createWorkspace(tempDir);
  return resolveBuild(validateBuildConfig(config, 'build.config.ts'), {
    project: 'lib',
    workspaceRoot: ws.root,
    packageRoot: ws.pkg,
    configFile: `${ws.pkg}/build.config.ts`,
    configuration,
    env: TEST_ENV,
  }).publish;
}

describe('the publish config', () => {
  it('accepts every documented option', () => {
    expect(
      problems({
        publish: { to: 'https://releases.example.com/ui', retries: 2, baseDelayMs: 100, maxDelayMs: 2000, timeoutMs: 5000, headers: { 'x-channel': 'beta' }, tokenEnv: 'RELEASE_TOKEN' },
      }),
    ).toEqual([]);
  });

  it('rejects an unknown key with a suggestion', () => {
    expect(problems({ publish: { to: 'dir:out', retires: 2 } })).toEqual(['unknown key "publish.retires" — did you mean "publish.retries"?']);
  });

  it('rejects a negative retry count, a tokenEnv that is not a variable name, and header names that are invalid or set by the publisher', () => {
    const found = problems({ publish: { to: 'dir:out', retries: -1, tokenEnv: 'MY TOKEN', headers: { 'Content-Length': '1', 'x bad': '2' } } });
    expect(found).toEqual([
      expect.stringContaining('"publish.retries"'),
      '"publish.headers.Content-Length": is set by the publisher for every file',
      '"publish.headers.x bad": not a valid HTTP header name',
      '"publish.tokenEnv": must be an environment variable name',
    ]);
  });

  it('requires `to` in the base config', () => {
    expect(problems({ publish: { retries: 1 } })).toEqual([expect.stringContaining('"publish.to"')]);
  });

  it('merges an environment\'s publish key by key over the base, with defaults for the rest', () => {
    const publish = resolvePublish(
      { publish: { to: 'dir:../../releases/lib', headers: { a: '1' } }, environments: { production: { publish: { to: 'https://cdn.example.com/lib', headers: { b: '2' } } } } },
      'production',
    );
    expect(publish).toEqual({
      to: 'https://cdn.example.com/lib',
      kind: 'http',
      retries: 4,
      baseDelayMs: 500,
      maxDelayMs: 10_000,
      timeoutMs: 30_000,
      headers: { a: '1', b: '2' },
    });
  });

  it('publishes only in the environment that configures it', () => {
    const config: PackageBuildConfig = { environments: { production: { publish: { to: 'dir:../../releases/lib' } } } };
    expect(resolvePublish(config, 'development')).toBeUndefined();
    expect(resolvePublish(config, 'production')).toMatchObject({ kind: 'directory', dir: expect.stringMatching(/releases[/\\]lib$/) });
  });

  it('fails the build with BS_CONFIG_INVALID when no layer says where to publish', async () => {
    const ws = createWorkspace(tempDir, { config: "{ environments: { development: { publish: { retries: 1 } } } }" });

    const result = await buildPackage(ws);

    expect(result.status).toBe('failure');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_CONFIG_INVALID', message: expect.stringContaining('"publish.to" is missing') })]);
    expect(result.publish).toBeUndefined();
  });

  it('fails the build with BS_CONFIG_INVALID for a target no built-in publisher knows, without echoing credentials', async () => {
    const ws = createWorkspace(tempDir, { config: "{ publish: { to: 'ftp://user:hunter22@example.com/lib' } }" });

    const result = await buildPackage(ws);

    expect(result.errors).toEqual([expect.objectContaining({ code: 'BS_CONFIG_INVALID', message: expect.stringContaining('"dir:", "http://" or "https://"') })]);
    expect(JSON.stringify(result)).not.toContain('hunter22');
  });
});
