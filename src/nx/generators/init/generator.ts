import {
  addDependenciesToPackageJson,
  formatFiles,
  logger,
  readNxJson,
  updateJson,
  updateNxJson,
  writeJson,
  type GeneratorCallback,
  type NxJsonConfiguration,
  type Tree,
} from '@nx/devkit';
import { missingGitignoreRules } from '../../gitignore';
import type { InitGeneratorSchema } from './schema';

export const PLUGIN_NAME = '@repo/build-system/plugin';
/** Both names load the plugin: the package root exports the same hooks (src/nx/root-plugin.ts). */
const PLUGIN_NAMES = [PLUGIN_NAME, '@repo/build-system'];

/** This plugin's entry in nx.json plugins, under either name. */
function pluginEntry(nxJson: NxJsonConfiguration | null): NonNullable<NxJsonConfiguration['plugins']>[number] | undefined {
  return nxJson?.plugins?.find((p) => PLUGIN_NAMES.includes(typeof p === 'string' ? p : p.plugin));
}

/** The options of this plugin's nx.json entry (buildTargetName…), undefined when it has none. */
export function registeredPluginOptions(nxJson: NxJsonConfiguration | null): Record<string, unknown> | undefined {
  const entry = pluginEntry(nxJson);
  return typeof entry === 'object' ? (entry.options as Record<string, unknown> | undefined) : undefined;
}

/**
 * Idempotent set-up: the plugin in nx.json plugins (nx.json is created when the workspace has none:
 * Nx's updateNxJson does nothing then, and the plugin would silently not be registered), its
 * folders in .gitignore, esbuild and this package in devDependencies.
 */
export default async function initGenerator(tree: Tree, options: InitGeneratorSchema = {}): Promise<GeneratorCallback> {
  const nxJson = readNxJson(tree);
  if (!pluginEntry(nxJson)) {
    const entry = { plugin: PLUGIN_NAME, options: { buildTargetName: 'build', cleanTargetName: 'clean' } };
    if (nxJson) {
      updateNxJson(tree, { ...nxJson, plugins: [...(nxJson.plugins ?? []), entry] });
    } else {
      writeJson(tree, 'nx.json', { $schema: './node_modules/nx/schemas/nx-schema.json', plugins: [entry] });
      logger.info(`Created nx.json (the workspace had none) and registered ${PLUGIN_NAME} in it.`);
    }
  }
  ignoreOwnFolders(tree);
  let install: GeneratorCallback = () => undefined;
  if (!options.skipPackageJson) {
    const own = require('../../../../package.json') as { version: string; dependencies: Record<string, string> };
    install = addDependenciesToPackageJson(tree, {}, { '@repo/build-system': own.version, esbuild: own.dependencies.esbuild }, undefined, true);
    // The devkit helper leaves an empty "dependencies" behind when it adds dev dependencies only.
    updateJson(tree, 'package.json', (json) => {
      if (json.dependencies && Object.keys(json.dependencies).length === 0) delete json.dependencies;
      return json;
    });
  }
  if (!options.skipFormat) await formatFiles(tree);
  return install;
}

/**
 * Adds `.build-system/` (any depth) and `.nx/build-system/` to the root .gitignore, unless it
 * already ignores them: otherwise `git add -A` commits results and run summaries, and a
 * dependency's result becomes an input of its dependents (a cache miss on the next run).
 */
function ignoreOwnFolders(tree: Tree): void {
  const current = tree.exists('.gitignore') ? (tree.read('.gitignore', 'utf-8') ?? '') : '';
  const missing = missingGitignoreRules(current);
  if (missing.length === 0) return;
  const separator = current === '' || current.endsWith('\n\n') ? '' : current.endsWith('\n') ? '\n' : '\n\n';
  tree.write('.gitignore', `${current}${separator}# @repo/build-system: build results per package, run summaries\n${missing.join('\n')}\n`);
}
