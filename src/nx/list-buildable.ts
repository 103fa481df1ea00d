import { join } from 'node:path';
import { findConfigFile, loadBuildConfig } from '../config/load';
import { describeOptions, type OptionWithSource } from '../config/provenance';
import { resolveBuild } from '../config/resolve';
import { validateBuildConfig } from '../config/validate';
import { isBuildSystemError } from '../errors';
import { detectAutoBuilder } from './detect-auto-builder';

export interface BuildableProject {
  project: string;
  root: string;
  targetName: string;
  configFile?: string;
  /** Nx configurations of the target: the environments. */
  environments: string[];
  /** Resolved options with where each came from; absent when the config has an error. */
  options?: Record<string, OptionWithSource>;
  error?: { code: string; message: string };
  /** What builder `auto` picks on this machine ("bun@<version>" or "esbuild"); only when the builder is auto. */
  autoBuilder?: string;
}

const EXECUTOR = '@repo/build-system:build';

/** Every project with a build target of this plugin, resolved for one environment. */
export async function listBuildableProjects(options: { workspaceRoot: string; configuration?: string }): Promise<BuildableProject[]> {
  const { createProjectGraphAsync } = await import('@nx/devkit');
  const graph = await createProjectGraphAsync({ exitOnError: false });
  const out: BuildableProject[] = [];
  for (const node of Object.values(graph.nodes).sort((a, b) => a.name.localeCompare(b.name))) {
    for (const [targetName, target] of Object.entries(node.data.targets ?? {})) {
      if (target.executor !== EXECUTOR) continue;
      const packageRoot = join(options.workspaceRoot, node.data.root);
      const configFile = findConfigFile(packageRoot);
      const entry: BuildableProject = {
        project: node.name,
        root: node.data.root,
        targetName,
        configFile: configFile ? join(node.data.root, configFile.slice(packageRoot.length + 1)) : undefined,
        environments: Object.keys(target.configurations ?? {}),
      };
      try {
        if (!configFile) throw new Error('no build.config.* found');
        const loaded = await loadBuildConfig(configFile);
        const config = validateBuildConfig(loaded.raw, entry.configFile!);
        const resolved = resolveBuild(config, {
          project: node.name,
          workspaceRoot: options.workspaceRoot,
          packageRoot,
          configFile,
          configImports: loaded.imports,
          configuration: options.configuration,
        });
        entry.options = describeOptions(config, resolved);
        // The graph holds the choice inference made (and the build will use); detect only if it is missing.
        if (resolved.builder === 'auto') {
          const inferred = (target.options as { autoBuilder?: string } | undefined)?.autoBuilder;
          entry.autoBuilder = inferred ?? (await detectAutoBuilder(options.workspaceRoot));
        }
      } catch (e) {
        entry.error = { code: isBuildSystemError(e) ? e.code : 'BS_CONFIG_LOAD_FAILED', message: (e as Error).message };
      }
      out.push(entry);
    }
  }
  return out;
}

export function formatBuildableTable(projects: BuildableProject[]): string {
  if (projects.length === 0) return 'No buildable packages: no project has a @repo/build-system build target (is "@repo/build-system/plugin" in nx.json plugins?).\n';
  const lines: string[] = [];
  for (const p of projects) {
    const builder = p.options?.builder?.value;
    const builderLabel = builder === undefined ? '' : `, builder ${JSON.stringify(builder)}${p.autoBuilder ? ` → ${p.autoBuilder}` : ''}`;
    lines.push(`${p.project}  (${p.root}, target ${p.targetName}${builderLabel}, environments: ${p.environments.join(', ')})`);
    if (p.error) {
      lines.push(`  ${p.error.code}: ${p.error.message.split('\n')[0]}`);
    } else {
      const rows = Object.entries(p.options ?? {})
        .filter(([, o]) => o.value !== undefined)
        .map(([key, o]) => [key, key === 'builder' && p.autoBuilder ? describeAuto(p.autoBuilder) : JSON.stringify(o.value), o.source] as const);
      const width = Math.max(...rows.map(([k]) => k.length));
      const valueWidth = Math.min(48, Math.max(...rows.map(([, v]) => v.length)));
      for (const [key, value, source] of rows) lines.push(`  ${key.padEnd(width)}  ${value.padEnd(valueWidth)}  ${source}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** `"auto" → esbuild (no working bun found)`: the choice and, for esbuild, why bun was not picked. */
function describeAuto(autoBuilder: string): string {
  return `"auto" → ${autoBuilder}${autoBuilder === 'esbuild' ? ' (no working bun found)' : ''}`;
}
