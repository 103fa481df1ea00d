import { afterEach, describe, expect, it, vi } from 'vitest';
import { announceRunSummary } from '../../../src/nx/run-summary';

const root = '/ws';
const file = '/ws/.nx/build-system/runs/2026-12-01T10-00-00-000Z-abcdef12.json';

function printed(run: () => void): string {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('announceRunSummary: the closing line of an nx command', () => {
  afterEach(() => vi.restoreAllMocks());

  it('names the run summary file, workspace-relative', () => {
    expect(printed(() => announceRunSummary(file, root, {}))).toBe('Run summary: .nx/build-system/runs/2026-12-01T10-00-00-000Z-abcdef12.json\n');
  });

  it('prints nothing when no summary was written (no build task ran)', () => {
    expect(printed(() => announceRunSummary(undefined, root, {}))).toBe('');
  });

  it('prints nothing on the Nx daemon, whose output goes to its log, not a terminal', () => {
    expect(printed(() => announceRunSummary(file, root, { NX_DAEMON_PROCESS: 'true' }))).toBe('');
  });

  it('never throws, even when stdout does', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => {
      throw new Error('EPIPE');
    });
    expect(() => announceRunSummary(file, root, {})).not.toThrow();
  });
});
