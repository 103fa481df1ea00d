import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { leavesBase, relativePosix, toPosix } from '../../src/paths';

describe('paths as paths', () => {
  it('keeps a backslash in a file name where it is not a separator', () => {
    if (path.sep !== '/') return expect(toPosix('a\\b')).toBe('a/b');
    expect(toPosix('dist/odd\\name.js')).toBe('dist/odd\\name.js');
    expect(relativePosix('/ws', '/ws/pkg/dist/odd\\name.js')).toBe('pkg/dist/odd\\name.js');
  });

  it('tells a path that leaves its base from a name that starts with two dots', () => {
    expect(leavesBase('..')).toBe(true);
    expect(leavesBase(`..${path.sep}x`)).toBe(true);
    expect(leavesBase('../x')).toBe(true);
    expect(leavesBase(path.resolve('/abs'))).toBe(true);
    expect(leavesBase('..cache/x')).toBe(false);
    expect(leavesBase('...')).toBe(false);
    expect(leavesBase('')).toBe(false);
  });
});
