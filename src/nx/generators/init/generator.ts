import { addDependenciesToPackageJson, formatFiles, readNxJson, updateJson, updateNxJson, type GeneratorCallback, type Tree } from '@nx/devkit';
import type { InitGeneratorSchema } from './schema';

export const PLUGIN_NAME = '@repo/build-system/plugin';

/** Idempotent set-up: the plugin in nx.json plugins, esbuild and this package in devDependencies. */
export default async function initGenerator(tree: Tree, options: InitGeneratorSchema = {}): Promise<GeneratorCallback> {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const registered = plugins.some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  if (!registered) {
    nxJson.plugins = [...plugins, { plugin: PLUGIN_NAME, options: { buildTargetName: 'build', cleanTargetName: 'clean' } }];
    updateNxJson(tree, nxJson);
  }
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
