import { z } from 'zod';

/** The plugin's options in nx.json (`plugins: [{ plugin: '@repo/build-system/plugin', options }]`). */
export const pluginOptionsSchema = z.strictObject({
  buildTargetName: z.string().min(1).optional().meta({ description: 'Name of the inferred build target. Default: build.' }),
  cleanTargetName: z.string().min(1).optional().meta({ description: 'Name of the inferred clean target. Default: clean.' }),
  runSummary: z.boolean().optional().meta({ description: 'Write a RunSummary after every nx command that ran build tasks. Default: true.' }),
  configTimeoutMs: z
    .number()
    .int()
    .positive()
    .optional()
    .meta({ description: 'How long one build.config.ts may take to evaluate (inference and build) before it is stopped with BS_CONFIG_TIMEOUT. Default: 30000.' }),
});

export type BuildSystemPluginOptions = z.infer<typeof pluginOptionsSchema>;

/**
 * Options as given, checked. A misspelled name or a wrong type is a mistake in nx.json that would
 * otherwise be ignored without a word (the default applies and nobody knows why): the graph fails
 * with a message naming it instead, the way Nx reports any plugin error.
 */
export function parsePluginOptions(options: unknown): BuildSystemPluginOptions {
  const parsed = pluginOptionsSchema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const known = Object.keys(pluginOptionsSchema.shape).join(', ');
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: ${known})`;
    return `"${issue.path.join('.')}": ${issue.message}`;
  });
  throw new Error(`Invalid options for @repo/build-system in nx.json: ${problems.join('; ')}.`);
}
