import { BuildSystemError } from '../errors';

/**
 * The environment builders and hooks see: `env.defaults` under the real environment.
 * Missing required names fail the build before anything runs; values are never logged.
 */
export function resolveBuildEnv(
  spec: { required: string[]; defaults: Record<string, string> },
  env: NodeJS.ProcessEnv,
): Record<string, string | undefined> {
  const resolved: Record<string, string | undefined> = { ...spec.defaults };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) resolved[k] = v;
  const missing = spec.required.filter((name) => resolved[name] === undefined || resolved[name] === '');
  if (missing.length) {
    throw new BuildSystemError(
      'BS_ENV_MISSING',
      `Required environment variable${missing.length > 1 ? 's' : ''} not set: ${missing.join(', ')}.`,
      { hint: `Set ${missing.join(', ')} before building, or give ${missing.length > 1 ? 'them defaults' : 'it a default'} in env.defaults.` },
    );
  }
  return resolved;
}
