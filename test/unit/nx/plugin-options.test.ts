import { describe, expect, it } from 'vitest';
import { parsePluginOptions } from '../../../src/nx/plugin-options';

describe('plugin options in nx.json', () => {
  it('accepts the known options and none at all', () => {
    expect(parsePluginOptions(undefined)).toEqual({});
    expect(parsePluginOptions({ buildTargetName: 'compile', cleanTargetName: 'wipe', runSummary: false, configTimeoutMs: 5000 })).toEqual({
      buildTargetName: 'compile',
      cleanTargetName: 'wipe',
      runSummary: false,
      configTimeoutMs: 5000,
    });
  });

  it('names a misspelled option and lists the known ones, instead of ignoring it', () => {
    expect(() => parsePluginOptions({ buildTargetNmae: 'compile' })).toThrow(
      'BS_PLUGIN_OPTIONS_INVALID Invalid options for @repo/build-system in nx.json: unknown option "buildTargetNmae" (known: buildTargetName, cleanTargetName, runSummary, configTimeoutMs).',
    );
  });

  it('names an option of the wrong type', () => {
    expect(() => parsePluginOptions({ runSummary: 'no', configTimeoutMs: -1 })).toThrow(/"runSummary": .*; "configTimeoutMs": /);
  });
});
