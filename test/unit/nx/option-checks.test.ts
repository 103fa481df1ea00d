import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_OPTION_KINDS } from '../../../src/nx/executors/build/lib/normalize-options';
import { CLEAN_OPTION_KINDS } from '../../../src/nx/executors/clean/executor';
import { checkExecutorOptions, type OptionKind } from '../../../src/nx/executors/option-checks';

const kinds: Record<string, OptionKind> = { clean: 'boolean', config: 'string', configTimeoutMs: 'positive-integer' };
const messageOf = (options: Record<string, unknown>) => {
  try {
    checkExecutorOptions(options, kinds, "ui's build target");
    return undefined;
  } catch (e) {
    return `${(e as { code: string }).code} ${(e as Error).message}`;
  }
};

describe('checkExecutorOptions', () => {
  it('accepts options of the right types, undefined ones and Nx-internal keys', () => {
    expect(messageOf({ clean: true, config: 'a/build.config.ts', configTimeoutMs: 500, clean2: undefined, __unparsed__: [], '--': ['x'] })).toBeUndefined();
  });

  it('names every wrong option with what it expected and what it got', () => {
    expect(messageOf({ clean: 'yes', configTimeoutMs: 1.5, config: '' })).toBe(
      'BS_EXECUTOR_OPTIONS_INVALID Invalid options for ui\'s build target: "clean": expected true or false, got "yes"; "configTimeoutMs": expected a positive integer (milliseconds), got 1.5; "config": expected a non-empty string, got "". Known options: clean, config, configTimeoutMs.',
    );
  });

  it('names an unknown option with the closest known one', () => {
    expect(messageOf({ claen: true })).toContain('unknown option "claen" (did you mean "clean"?)');
    expect(messageOf({ zzzzzzzz: true })).toContain('unknown option "zzzzzzzz". Known options');
  });
});

describe('executor schemas', () => {
  const schemaOf = (dir: string) =>
    JSON.parse(readFileSync(join(__dirname, '../../../src/nx/executors', dir, 'schema.json'), 'utf8')) as {
      properties: Record<string, { type: string; anyOf?: Array<{ type: string }> }>;
    };
  const typeOf: Record<OptionKind, string[]> = { boolean: ['boolean'], string: ['string'], 'positive-integer': ['integer', 'number'] };

  it.each([
    ['build', BUILD_OPTION_KINDS],
    ['clean', CLEAN_OPTION_KINDS],
  ] as const)('%s: the checked kinds are the schema types, and Nx is told to let every type through', (dir, checked) => {
    const { properties } = schemaOf(dir);
    expect(Object.keys(checked).sort()).toEqual(Object.keys(properties).sort());
    for (const [name, prop] of Object.entries(properties)) {
      expect(typeOf[(checked as Record<string, OptionKind>)[name]], name).toContain(prop.type);
      expect(prop.anyOf?.map((a) => a.type).sort(), name).toEqual(['array', 'boolean', 'null', 'number', 'object', 'string']);
    }
  });
});
