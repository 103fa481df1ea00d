import { addDependenciesToPackageJson, formatFiles, readNxJson, updateJson, updateNxJson, type GeneratorCallback, type Tree } from '@nx/devkit';
import { missingGitignoreRules } from '../../gitignore';
import type { InitGeneratorSchema } from './schema';

export const PLUGIN_NAME = '@repo/build-system/plugin';

/**
 * Idempotent set-up: the plugin in nx.json plugins, its folders in .gitignore, esbuild and this
 * package in devDependencies.
 */
export default async function initGenerator(tree: Tree, options: InitGeneratorSchema = {}): Promise<GeneratorCallback> {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const registered = plugins.some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  if (!registered) {
    nxJson.plugins = [...plugins, { plugin: PLUGIN_NAME, options: { buildTargetName: 'build', cleanTargetName: 'clean' } }];
    updateNxJson(tree, nxJson);
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
