import { relative } from 'node:path';
import type { ResolvedPublish } from '../../config/resolve';
import { leavesBase, toPosix } from '../../paths';

/** A URL without user:password, query or fragment: what may be printed and written. */
export function stripCredentials(target: string): string {
  try {
    const url = new URL(target);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.href;
  } catch {
    return target.replace(/[?#].*$/, '').replace(/\/\/[^/@]*@/, '//');
  }
}

/** The target for the result and the log: `dir:<workspace-relative folder>` or the stripped URL. */
export function describeTarget(publish: ResolvedPublish, workspaceRoot: string): string {
  if (publish.kind === 'directory' && publish.dir) {
    const rel = relative(workspaceRoot, publish.dir);
    const inside = !leavesBase(rel);
    return `dir:${inside ? toPosix(rel) || '.' : publish.dir}`;
  }
  return stripCredentials(publish.to);
}

const SENSITIVE_HEADER = /auth|token|key|secret|cookie|signature|session|password/i;

/**
 * Values that must never reach the result or the log: the token, a URL's password and query
 * values, and the values of headers whose names look like credentials. A server may echo any of
 * them in an error body, so every publish message goes through `redact`.
 */
export function secretsOf(publish: ResolvedPublish, token: string | undefined): string[] {
  const secrets = [token ?? ''];
  try {
    const url = new URL(publish.to);
    if (url.password) {
      const user = safeDecode(url.username);
      const password = safeDecode(url.password);
      secrets.push(password, url.password, Buffer.from(`${user}:${password}`).toString('base64'));
    }
    for (const value of url.searchParams.values()) secrets.push(value);
  } catch {
    /* not a URL: nothing embedded */
  }
  for (const [name, value] of Object.entries(publish.headers)) if (SENSITIVE_HEADER.test(name)) secrets.push(value);
  // Very short values would shred ordinary text; they are not credentials anyway.
  return [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function redactor(secrets: string[]): (text: string) => string {
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}
