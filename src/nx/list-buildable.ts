import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeConfig } from '../config/isolated-inspect';
import { findConfigFile, loadBuildConfig } from '../config/load';
import { describeOptions, type OptionWithSource } from '../config/provenance';
import { resolveBuild } from '../config/resolve';
import { validateBuildConfig } from '../config/validate';
import { isBuildSystemError } from '../errors';
import { detectAutoBuilder } from './detect-auto-builder';
import { foreignConfigOwner } from './foreign-config';
import { pluginOptions } from './run-summary-setting';

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
  /**
   * The package has a build config, but another executor holds the target name: Nx's package.json
   * inference turns an inferred target into `nx:run-script` when the package has an npm script of
   * the same name, so `nx run` runs the old script.
   */
  shadowedBy?: { executor: string; script?: string };
}

const EXECUTOR = '@repo/build-system:build';

/** Every project with a build target of this plugin, resolved for one environment. */
export async function listBuildableProjects(options: { workspaceRoot: string; configuration?: string }): Promise<BuildableProject[]> {
  const { createProjectGraphAsync } = await import('@nx/devkit');
  const graph = await createProjectGraphAsync({ exitOnError: false });
  const buildTargetName = pluginBuildTargetName(options.workspaceRoot);
  // The same bound as inference (the plugin option in nx.json), default 30 s.
  const timeout = pluginOptions(options.workspaceRoot)?.configTimeoutMs;
  const configTimeoutMs = typeof timeout === 'number' && timeout > 0 ? timeout : undefined;
  const out: BuildableProject[] = [];
  for (const node of Object.values(graph.nodes).sort((a, b) => a.name.localeCompare(b.name))) {
    const shadowed = shadowedTarget(node.data, options.workspaceRoot, buildTargetName);
    if (shadowed) out.push(shadowed);
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
        // Isolated first: one config that hangs or exits must not take the whole listing with it.
        const loaded = await loadBuildConfig(configFile, { beforeEvaluate: (compiled) => probeConfig(configFile, entry.configFile!, configTimeoutMs, compiled) });
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

type ProjectData = { root: string; name?: string; targets?: Record<string, { executor?: string; options?: unknown }> };

/** A package with a build config whose target another executor took (see `shadowedBy`). */
function shadowedTarget(project: ProjectData, workspaceRoot: string, targetName: string): BuildableProject | undefined {
  const targets = project.targets ?? {};
  if (Object.values(targets).some((t) => t.executor === EXECUTOR)) return undefined;
  const target = targets[targetName];
  if (!target?.executor) return undefined;
  const packageRoot = join(workspaceRoot, project.root);
  const configFile = findConfigFile(packageRoot);
  // An unbuild (or other tool's) build.config.* is not ours: its build script is its build.
  if (!configFile || foreignConfigOwner(readFileSync(configFile, 'utf8'))) return undefined;
  const script = (target.options as { script?: string } | undefined)?.script;
  return {
    project: project.name ?? project.root,
    root: project.root,
    targetName,
    configFile: join(project.root, configFile.slice(packageRoot.length + 1)),
    environments: [],
    shadowedBy: { executor: target.executor, ...(script ? { script } : {}) },
  };
}

/** The target name the plugin infers (`buildTargetName` in nx.json), "build" by default. */
function pluginBuildTargetName(workspaceRoot: string): string {
  const name = pluginOptions(workspaceRoot)?.buildTargetName;
  return typeof name === 'string' && name ? name : 'build';
}

export function formatBuildableTable(projects: BuildableProject[]): string {
  if (projects.length === 0) return 'No buildable packages: no project has a @repo/build-system build target (is "@repo/build-system/plugin" in nx.json plugins?).\n';
  const lines: string[] = [];
  for (const p of projects) {
    if (p.shadowedBy) {
      lines.push(`${p.project}  (${p.root}): NOT BUILT BY THIS PLUGIN, target ${p.targetName} is ${p.shadowedBy.executor}${p.shadowedBy.script ? ` (the npm script "${p.shadowedBy.script}")` : ''}`);
      lines.push(
        `  ${p.configFile} is ignored: ${p.shadowedBy.script ? `add "nx": { "includedScripts": [every script but "${p.shadowedBy.script}"] } to ${p.root}/package.json, rename or remove the script, ` : ''}or set the plugin's buildTargetName to another name in nx.json`,
      );
      lines.push('');
      continue;
    }
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
