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

/**
 * The values a build must never show: those of every `env.required` variable and of the publish
 * token variable, as set for this build. Very short values would shred ordinary text and are not
 * credentials anyway (the same rule as publish's own redaction).
 */
export function declaredSecrets(names: Array<string | undefined>, env: Record<string, string | undefined>): string[] {
  const values = names.map((n) => (n ? env[n] : undefined)).filter((v): v is string => !!v && v.length >= 4);
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** Replaces every secret with `***` (longest first, so a secret inside another goes whole). */
export function redactorFor(secrets: string[]): (text: string) => string {
  if (!secrets.length) return (text) => text;
  return (text) => secrets.reduce((out, secret) => (out.includes(secret) ? out.split(secret).join('***') : out), text);
}
