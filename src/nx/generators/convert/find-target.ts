import { join } from 'node:path';
import { readNxJson, type ProjectConfiguration, type TargetConfiguration, type Tree } from '@nx/devkit';

export type ConvertibleTarget = TargetConfiguration<Record<string, unknown>> & { executor: string };

export const BUILDER_BY_EXECUTOR: Record<string, 'esbuild' | 'tsc' | 'rollup'> = {
  '@nx/esbuild:esbuild': 'esbuild',
  '@nx/js:tsc': 'tsc',
  '@nx/rollup:rollup': 'rollup',
};

/**
 * The target as written in project.json or package.json. A target that is only inferred (nothing
 * written to convert) gets a message that says who infers it and what to run instead.
 */
export function findTarget(tree: Tree, projectName: string, project: ProjectConfiguration, targetName: string): ConvertibleTarget {
  const target = project.targets?.[targetName] as TargetConfiguration<Record<string, unknown>> | undefined;
  // A target without an executor in project.json only adds options to an inferred one.
  if (!target?.executor) {
    const inferred = inferredByTypeScriptPlugin(tree, project.root, targetName);
    if (inferred) {
      throw new Error(
        `${projectName}:${targetName} is inferred by @nx/js/typescript from ${join(project.root, inferred)} (nx.json plugins); ` +
          `project.json and package.json hold no executor for it, so there is nothing to convert. ` +
          `Run \`nx g @repo/build-system:configuration ${projectName}\` instead: it writes build.config.ts, and this plugin's build target takes over.`,
      );
    }
    if (!target) throw new Error(`${projectName} has no "${targetName}" target in ${join(project.root, 'project.json')} or package.json to convert.`);
  }
  const executor = target.executor;
  if (!executor || !BUILDER_BY_EXECUTOR[executor]) {
    throw new Error(`${projectName}:${targetName} uses ${executor ?? 'no executor'}; convert handles ${Object.keys(BUILDER_BY_EXECUTOR).join(', ')}.`);
  }
  return { ...target, executor };
}

/** The tsconfig file name @nx/js/typescript builds this project from, when it infers `targetName`. */
function inferredByTypeScriptPlugin(tree: Tree, root: string, targetName: string): string | undefined {
  for (const entry of readNxJson(tree)?.plugins ?? []) {
    const name = typeof entry === 'string' ? entry : entry.plugin;
    if (name !== '@nx/js/typescript' || typeof entry === 'string') continue;
    const build = (entry.options as { build?: boolean | { targetName?: string; configName?: string } } | undefined)?.build;
    // Without a `build` option the plugin infers typecheck only.
    if (!build) continue;
    const options = build === true ? {} : build;
    const configName = options.configName ?? 'tsconfig.lib.json';
    if ((options.targetName ?? 'build') === targetName && tree.exists(join(root, configName))) return configName;
  }
  return undefined;
}
