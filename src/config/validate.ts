import type { z } from 'zod';
import { BuildSystemError, suggest } from '../errors';
import { BUILTIN_BUILDERS, buildConfigSchema, environmentOverrideSchema, type PackageBuildConfig } from './schema';

/**
 * Validates a loaded config against the schema and reports every problem at once, each with its
 * key path, with "did you mean" for unknown keys and builder names.
 */
export function validateBuildConfig(raw: unknown, file: string): PackageBuildConfig {
  const parsed = buildConfigSchema.safeParse(raw);
  if (parsed.success) return raw as PackageBuildConfig;
  const problems = parsed.error.issues.flatMap((issue) => describeIssue(issue, raw));
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  throw new BuildSystemError('BS_CONFIG_INVALID', `${file} has ${count}: ${problems.length === 1 ? problems[0] : ''}`.trim().replace(/:$/, ''), {
    file,
    detail: problems.length > 1 ? problems.map((p) => `  - ${p}`).join('\n') : undefined,
    issues: problems,
  });
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(path);
    return issue.keys.map((key) => {
      const hint = suggest(key, known);
      const at = [...path, key].join('.');
      return `unknown key "${at}"${hint ? ` — did you mean "${[...path, hint].join('.')}"?` : ''}`;
    });
  }
  const at = path.length ? path.join('.') : '(root)';
  const value = valueAt(raw, issue.path);
  if (path[path.length - 1] === 'builder' && typeof value === 'string') {
    const hint = suggest(value, BUILTIN_BUILDERS);
    return [
      `"${at}": unknown builder "${value}"${hint ? ` — did you mean "${hint}"?` : ''} (expected one of ${BUILTIN_BUILDERS.join(', ')}, or { module: "<package>" })`,
    ];
  }
  if (issue.code === 'invalid_key') {
    // A record key (a header name) that fails its own checks: say which, not just "Invalid key".
    return [`"${at}": ${issue.issues.map((i) => i.message).join('; ')}`];
  }
  if (issue.code === 'invalid_union') {
    return [`"${at}": ${unionMessage(issue, value)}`];
  }
  return [`"${at}": ${issue.message}`];
}

function unionMessage(issue: z.core.$ZodIssueInvalidUnion, value: unknown): string {
  // Union members disagree on what went wrong; the shortest explanation is the most useful.
  const messages = issue.errors.map((branch) => branch.map((i) => i.message).join('; ')).filter(Boolean);
  const got = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  return `invalid value (got ${got})${messages.length ? `: ${[...new Set(messages)].join(' | ')}` : ''}`;
}

function knownKeysAt(path: string[]): string[] {
  let shape: Record<string, unknown> = buildConfigSchema.shape;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (key === 'environments' && i + 1 < path.length) {
      shape = environmentOverrideSchema.shape;
      i++;
      continue;
    }
    const child = unwrap(shape[key]);
    if (!child || typeof child !== 'object' || !('shape' in child)) return Object.keys(shape);
    shape = (child as { shape: Record<string, unknown> }).shape;
  }
  return Object.keys(shape);
}

function unwrap(schema: unknown): unknown {
  let s = schema as { unwrap?: () => unknown } | undefined;
  while (s && typeof s.unwrap === 'function') s = s.unwrap() as typeof s;
  return s;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
