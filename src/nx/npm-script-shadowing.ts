/**
 * Nx's package.json inference turns every npm script into an `nx:run-script` target, and a target
 * of the same name that a plugin inferred is replaced by it (its executor, not its description).
 * `nx.includedScripts` in package.json limits which scripts Nx infers; absent, it infers them all.
 * This mirrors Nx's own reading (nx/src/utils/package-json.ts, Nx 23 and 24 alike).
 */
export interface ScriptsManifest {
  scripts?: Record<string, string>;
  nx?: { includedScripts?: unknown };
}

/** The scripts Nx turns into targets. */
export function includedScripts(pkg: ScriptsManifest): string[] {
  const listed = pkg.nx?.includedScripts;
  return Array.isArray(listed) ? listed.filter((s): s is string => typeof s === 'string') : Object.keys(pkg.scripts ?? {});
}

/** The npm script that takes `targetName` from this plugin, or undefined when none does. */
export function shadowingScript(pkg: ScriptsManifest, targetName: string): string | undefined {
  return typeof pkg.scripts?.[targetName] === 'string' && includedScripts(pkg).includes(targetName) ? targetName : undefined;
}

/** What `nx.includedScripts` must be so Nx keeps every other script but leaves `targetName` to the plugin. */
export function includedScriptsWithout(pkg: ScriptsManifest, targetName: string): string[] {
  return includedScripts(pkg).filter((s) => s !== targetName);
}
