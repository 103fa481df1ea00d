import type { ConvertedBuild } from './map-options';

/**
 * build.config.ts for a converted target: only keys that differ from the defaults, plus a comment
 * naming where it came from. Its own writer (not the configuration template) because a converted
 * target sets keys the template never does (entry maps, builderOptions, environments from
 * configurations) and must not gain any the old target did not have.
 */
export function renderConfig(build: ConvertedBuild, source: string): string {
  const lines: string[] = [];
  const put = (key: string, value: unknown) => lines.push(`  ${key}: ${literal(value)},`);
  const named = build.entries.some((e) => e.name);
  if (named) put('entry', Object.fromEntries(build.entries.map((e) => [e.name ?? baseName(e.file), e.file])));
  else put('entry', build.entries.length === 1 ? build.entries[0].file : build.entries.map((e) => e.file));
  put('formats', build.formats);
  put('builder', build.builder);
  if (build.outDir !== 'dist') put('outDir', build.outDir);
  if (build.external) put('external', build.external);
  if (build.sourcemap) put('sourcemap', build.sourcemap);
  if (build.tsconfig) put('tsconfig', build.tsconfig);
  if (build.platform && build.platform !== 'node') put('platform', build.platform);
  if (build.target) put('target', build.target);
  if (build.dts) put('dts', true);
  if (build.minify) put('minify', true);
  if (build.builderOptions && Object.keys(build.builderOptions).length) put('builderOptions', build.builderOptions);
  if (build.generatePackageJson) {
    lines.push('  // outDir is the package, as with generatePackageJson: the build writes outDir/package.json.');
    put('packageJson', { generate: true });
  }
  if (Object.keys(build.environments).length) put('environments', build.environments);
  return [
    "import { defineBuildConfig } from '@repo/build-system';",
    '',
    `// Converted from ${source} by \`nx g @repo/build-system:convert\`.`,
    'export default defineBuildConfig({',
    ...lines,
    '});',
    '',
  ].join('\n');
}

/** A TypeScript literal: single-quoted strings, unquoted identifier keys (formatFiles tidies the rest). */
function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{ ${entries.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : literal(k)}: ${literal(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

function baseName(file: string): string {
  return file.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
}
