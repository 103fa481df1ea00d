/**
 * The tsconfig a package's build should use, the way Nx's TypeScript plugin picks it: when
 * tsconfig.json is a solution file (`"files": []`, no or an empty `include`, references) its options are in
 * tsconfig.lib.json, else tsconfig.build.json. Undefined when tsconfig.json itself is the one (the
 * default). `readJson` returns a package-relative file parsed (JSON with comments), or undefined.
 * (The dts helper writes an adapter-side finder; the two should be one module after the merge.)
 */
export function findBuildTsconfig(readJson: (path: string) => unknown): string | undefined {
  const root = readJson('tsconfig.json') as { files?: unknown; include?: unknown; references?: unknown } | undefined;
  const empty = (v: unknown) => Array.isArray(v) && v.length === 0;
  const solution = root !== undefined && empty(root.files) && (root.include === undefined || empty(root.include));
  if (root !== undefined && !solution) return undefined;
  return ['tsconfig.lib.json', 'tsconfig.build.json'].find((name) => readJson(name) !== undefined);
}
