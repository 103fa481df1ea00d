import { join } from 'node:path';
import { findConfigFile, loadBuildConfig } from '../config/load';
import { describeOptions, type OptionWithSource } from '../config/provenance';
import { resolveBuild } from '../config/resolve';
import { validateBuildConfig } from '../config/validate';
import { isBuildSystemError } from '../errors';

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
      } catch (e) {
        entry.error = { code: isBuildSystemError(e) ? e.code : 'BS_CONFIG_LOAD_FAILED', message: (e as Error).message };
      }
      out.push(entry);
    }
  }
  return out;
}

export function formatBuildableTable(projects: BuildableProject[]): string {
  const lines: string[] = [];
  for (const p of projects) {
    const builder = p.options?.builder?.value;
    lines.push(`${p.project}  (${p.root}, target ${p.targetName}${builder ? `, builder ${JSON.stringify(builder)}` : ''}, environments: ${p.environments.join(', ')})`);
    if (p.error) {
      lines.push(`  ${p.error.code}: ${p.error.message.split('\n')[0]}`);
    } else {
      const rows = Object.entries(p.options ?? {}).filter(([, o]) => o.value !== undefined);
      const width = Math.max(...rows.map(([k]) => k.length));
      const valueWidth = Math.min(48, Math.max(...rows.map(([, o]) => JSON.stringify(o.value).length)));
      for (const [key, o] of rows) lines.push(`  ${key.padEnd(width)}  ${JSON.stringify(o.value).padEnd(valueWidth)}  ${o.source}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
