import { join, relative } from 'node:path';
import type { Tree } from '@nx/devkit';
import { CONFIG_FILE_NAMES, loadBuildConfig } from '../../../../config/load';
import { resolveBuild, STANDARD_ENVIRONMENTS } from '../../../../config/resolve';
import type { PackageBuildConfig } from '../../../../config/schema';
import { validateBuildConfig } from '../../../../config/validate';
import { planEntryPoints, plannedFiles, type EntryPointInputs } from '../../../../engine/entry-points';
import { isBuildSystemError } from '../../../../errors';
import { tscConfigFile, tscRootDir } from './tsc-root-dir';

/** The environment whose outputs package.json describes: what ships (and what `ci` builds). */
export const SHIPPED_ENVIRONMENT = 'production';

export type ProjectInputs =
  | {
      kind: 'inputs';
      inputs: EntryPointInputs;
      /** Environments whose builds write other entry files than production (package.json names production's). */
      otherOutputs: string[];
    }
  | { kind: 'off' }
  | { kind: 'error'; message: string };

/**
 * Loads a project's build.config (from disk: the sync generator's tree is the disk) and resolves it
 * for the production environment. A config that fails to load or validate is a value, not a throw:
 * one bad package must not stop the sync of the others.
 */
export async function entryPointInputsOf(tree: Tree, projectName: string, projectRoot: string): Promise<ProjectInputs> {
  const configName = CONFIG_FILE_NAMES.find((name) => tree.exists(join(projectRoot, name)));
  if (!configName) return { kind: 'off' };
  const configFile = join(tree.root, projectRoot, configName);
  try {
    const loaded = await loadBuildConfig(configFile);
    const config = validateBuildConfig(loaded.raw, join(projectRoot, configName));
    if (config.packageJson?.sync !== true) return { kind: 'off' };
    const inputsFor = (configuration: string): EntryPointInputs => {
      const resolved = resolveBuild(config, {
        project: projectName,
        workspaceRoot: tree.root,
        packageRoot: join(tree.root, projectRoot),
        configFile,
        configImports: loaded.imports,
        configuration,
      });
      const inputs: EntryPointInputs = {
        packageRoot: resolved.packageRoot,
        entries: resolved.entries,
        outDir: resolved.outDir,
        formats: resolved.formats,
        dts: resolved.dts,
        packageType: resolved.packageType,
        builder: resolved.builder,
      };
      if (resolved.builder === 'tsc') {
        const tsconfig = tscConfigFile(tree, projectRoot, resolved.tsconfig && relative(tree.root, resolved.tsconfig));
        const rootDir = tscRootDir(tree, tsconfig);
        if (rootDir) inputs.tscRootDir = rootDir;
      }
      return inputs;
    };
    const inputs = inputsFor(SHIPPED_ENVIRONMENT);
    return { kind: 'inputs', inputs, otherOutputs: environmentsWithOtherOutputs(config, inputs, inputsFor) };
  } catch (e) {
    const message = isBuildSystemError(e) ? `${e.code}: ${e.message}` : (e as Error)?.message ?? String(e);
    return { kind: 'error', message };
  }
}

/** The environments (standard and declared) that would write entry files other than production's. */
function environmentsWithOtherOutputs(config: PackageBuildConfig, shipped: EntryPointInputs, inputsFor: (env: string) => EntryPointInputs): string[] {
  const files = (inputs: EntryPointInputs) => JSON.stringify([...plannedFiles(planEntryPoints(inputs))].sort());
  const expected = files(shipped);
  const environments = [...new Set([...STANDARD_ENVIRONMENTS, ...Object.keys(config.environments ?? {})])].filter((env) => env !== SHIPPED_ENVIRONMENT);
  return environments.filter((env) => {
    try {
      return files(inputsFor(env)) !== expected;
    } catch {
      return true;
    }
  });
}
