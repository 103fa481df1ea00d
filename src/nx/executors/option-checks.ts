import { BuildSystemError, suggest } from '../../errors';

/** What an executor option must be; mirrors the `type` of the property in its schema.json. */
export type OptionKind = 'boolean' | 'string' | 'positive-integer';

const EXPECTED: Record<OptionKind, [test: (v: unknown) => boolean, expected: string]> = {
  boolean: [(v) => typeof v === 'boolean', 'true or false'],
  string: [(v) => typeof v === 'string' && v.length > 0, 'a non-empty string'],
  'positive-integer': [(v) => Number.isInteger(v) && (v as number) > 0, 'a positive integer (milliseconds)'],
};

/**
 * Checks the options Nx hands an executor, so a wrong one fails that task with a message naming
 * it. The schema.json files accept any JSON type for every option (an `anyOf` beside the real
 * `type`, which editors and Nx Console still use): Nx's own check of a wrong type throws a
 * SchemaError outside its error handling, which crashes the whole batch with Node's opaque
 * "UnhandledPromiseRejection … #<SchemaError>" before this plugin runs (Nx 23.3 and 24.0).
 * Keys starting with `_` or `-` are Nx's own (`--` passthrough, `__unparsed__`).
 */
export function checkExecutorOptions(options: Record<string, unknown>, kinds: Record<string, OptionKind>, target: string): void {
  const known = Object.keys(kinds);
  const problems: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || key.startsWith('_') || key.startsWith('-')) continue;
    const kind = kinds[key];
    if (!kind) {
      const close = suggest(key, known);
      problems.push(`unknown option "${key}"${close ? ` (did you mean "${close}"?)` : ''}`);
      continue;
    }
    const [test, expected] = EXPECTED[kind];
    if (!test(value)) problems.push(`"${key}": expected ${expected}, got ${JSON.stringify(value)}`);
  }
  if (problems.length) {
    throw new BuildSystemError('BS_EXECUTOR_OPTIONS_INVALID', `Invalid options for ${target}: ${problems.join('; ')}. Known options: ${known.join(', ')}.`);
  }
}
