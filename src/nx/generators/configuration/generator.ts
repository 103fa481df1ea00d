import { join } from 'node:path';
import {
  formatFiles,
  generateFiles,
  logger,
  readProjectConfiguration,
  runTasksInSerial,
  updateJson,
  type GeneratorCallback,
  type Tree,
} from '@nx/devkit';
import { CONFIG_FILE_NAMES } from '../../../config/load';
import initGenerator from '../init/generator';
import type { ConfigurationGeneratorSchema } from './schema';

/**
 * The entry relative to the project root. Nx Console's file picker (x-completion-type) fills in a
 * workspace-relative path, so one inside the project is accepted too.
 */
function entryInProject(tree: Tree, entry: string, projectRoot: string): string {
  const prefix = `${projectRoot.replace(/\/$/, '')}/`;
  const workspaceRelative = projectRoot !== '.' && projectRoot !== '' && entry.startsWith(prefix) && !tree.exists(join(projectRoot, entry));
  return workspaceRelative ? entry.slice(prefix.length) : entry;
}

/** Template values; convert.ts fills the extra ones from an existing Nx target. */
export interface ConfigTemplateValues {
  entry: string;
  formats: string[];
  builder: string;
  external: string[];
  outDir: string;
  sourcemap: boolean;
  tsconfig?: string;
  platform?: string;
  minify?: boolean;
  target?: string;
  dts?: boolean;
}

/**
 * Adds build.config.ts to one project. Refuses to replace an existing config or an explicit
 * `build` target unless --force: inference would otherwise be shadowed by project.json silently.
 */
export default async function configurationGenerator(tree: Tree, options: ConfigurationGeneratorSchema): Promise<GeneratorCallback> {
  const project = readProjectConfiguration(tree, options.project);
  const existing = CONFIG_FILE_NAMES.map((f) => join(project.root, f)).find((f) => tree.exists(f));
  if (existing && !options.force) {
    throw new Error(`${existing} already exists. Pass --force to replace it.`);
  }
  const projectJson = join(project.root, 'project.json');
  if (tree.exists(projectJson)) {
    const target = (JSON.parse(tree.read(projectJson, 'utf-8') ?? '{}') as { targets?: Record<string, unknown> }).targets?.build;
    if (target && !options.force) {
      throw new Error(
        `${options.project} already has a "build" target in ${projectJson}; it would shadow the inferred one. Pass --force to remove it, or run the convert generator.`,
      );
    }
    if (target) {
      updateJson(tree, projectJson, (json) => {
        delete json.targets.build;
        return json;
      });
    }
  }
  if (existing) tree.delete(existing);
  const entry = entryInProject(tree, options.entry ?? 'src/index.ts', project.root);
  if (!tree.exists(join(project.root, entry))) logger.warn(`${join(project.root, entry)} does not exist yet; the build will report BS_ENTRY_NOT_FOUND until it does.`);
  writeBuildConfig(tree, project.root, {
    entry,
    formats: options.formats?.length ? options.formats : ['esm'],
    builder: options.builder ?? 'auto',
    external: [],
    outDir: 'dist',
    sourcemap: false,
  });
  const install = await initGenerator(tree, { skipFormat: true, skipPackageJson: options.skipPackageJson });
  if (!options.skipFormat) await formatFiles(tree);
  return runTasksInSerial(install);
}

export function writeBuildConfig(tree: Tree, projectRoot: string, values: ConfigTemplateValues): void {
  generateFiles(tree, join(__dirname, 'files'), projectRoot, {
    tmpl: '',
    tsconfig: undefined,
    platform: undefined,
    minify: false,
    target: undefined,
    dts: false,
    ...values,
  });
}
