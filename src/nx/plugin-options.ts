/** The plugin's options in nx.json (`plugins: [{ plugin: '@repo/build-system/plugin', options }]`). */
export interface BuildSystemPluginOptions {
  /** Name of the inferred build target. Default: build. */
  buildTargetName?: string;
  /** Name of the inferred clean target. Default: clean. */
  cleanTargetName?: string;
  /**
   * Write a RunSummary after every nx command that ran build tasks. Default: true. With the Nx
   * daemon on, the hook that writes it costs a plugin worker start on every command (see
   * docs/performance.md); false removes the hook.
   */
  runSummary?: boolean;
  /**
   * How long one build.config.ts may take to evaluate (inference and build) before it is stopped
   * with BS_CONFIG_TIMEOUT. Default: 30000.
   */
  configTimeoutMs?: number;
}

/**
 * Checked by hand, not with zod: this module loads in every plugin worker on every nx command,
 * and zod's import alone costs ~45 ms there (measured: the plugin loaded in 8 ms before, 54 ms with
 * a zod schema here), for four keys.
 */
const CHECKS: { [K in keyof Required<BuildSystemPluginOptions>]: [test: (v: unknown) => boolean, expected: string] } = {
  buildTargetName: [(v) => typeof v === 'string' && v.length > 0, 'a non-empty string'],
  cleanTargetName: [(v) => typeof v === 'string' && v.length > 0, 'a non-empty string'],
  runSummary: [(v) => typeof v === 'boolean', 'true or false'],
  configTimeoutMs: [(v) => Number.isInteger(v) && (v as number) > 0, 'a positive integer (milliseconds)'],
};

/**
 * Options as given, checked. A misspelled name or a wrong type is a mistake in nx.json that would
 * otherwise be ignored without a word (the default applies and nobody knows why): the graph fails
 * with a message naming it instead, the way Nx reports any plugin error. A plain Error with the
 * code in front: Nx prints only the message of what createNodes throws.
 */
export function parsePluginOptions(options: unknown): BuildSystemPluginOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`BS_PLUGIN_OPTIONS_INVALID Invalid options for @repo/build-system in nx.json: "options" must be an object, got ${JSON.stringify(options)}.`);
  }
  const known = Object.keys(CHECKS);
  const given = options as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !known.includes(k));
  const problems = unknown.length ? [`unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${known.join(', ')})`] : [];
  for (const [key, [test, expected]] of Object.entries(CHECKS)) {
    if (given[key] !== undefined && !test(given[key])) problems.push(`"${key}": expected ${expected}, got ${JSON.stringify(given[key])}`);
  }
  if (problems.length) throw new Error(`BS_PLUGIN_OPTIONS_INVALID Invalid options for @repo/build-system in nx.json: ${problems.join('; ')}.`);
  return given as BuildSystemPluginOptions;
}
