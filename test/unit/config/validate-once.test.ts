import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint, validateOnce } from '../../../src/config/validate-once';
import { useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();

describe('validateOnce', () => {
  it('stamps a valid config and accepts the same value again from the stamp', async () => {
    const stamp = path.join(tempDir(), '.build-system/validated');
    const config = { entry: 'src/index.ts', minify: true };
    await expect(validateOnce(config, 'build.config.ts', stamp)).resolves.toEqual(config);
    expect(fs.readFileSync(stamp, 'utf8')).toBe(fingerprint(config));
    await expect(validateOnce({ ...config }, 'build.config.ts', stamp)).resolves.toEqual(config);
  });

  it('still rejects a changed, invalid value even when a stamp exists', async () => {
    const stamp = path.join(tempDir(), 'validated');
    await validateOnce({ entry: 'src/index.ts' }, 'build.config.ts', stamp);
    await expect(validateOnce({ entry: 'src/index.ts', minfy: true }, 'build.config.ts', stamp)).rejects.toMatchObject({ code: 'BS_CONFIG_INVALID' });
    expect(fs.readFileSync(stamp, 'utf8')).toBe(fingerprint({ entry: 'src/index.ts' }));
  });

  it('fingerprints functions by their source and ignores key order', () => {
    expect(fingerprint({ a: 1, b: 2 })).toBe(fingerprint({ b: 2, a: 1 }));
    expect(fingerprint({ hooks: { pre: [() => 1] } })).not.toBe(fingerprint({ hooks: { pre: [() => 2] } }));
    expect(fingerprint({ a: undefined })).not.toBe(fingerprint({}));
  });
});
