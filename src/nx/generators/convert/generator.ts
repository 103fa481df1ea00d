import { join, posix, relative } from 'node:path';
import {
  formatFiles,
  logger,
  readProjectConfiguration,
  runTasksInSerial,
  updateJson,
  type GeneratorCallback,
  type TargetConfiguration,
  type Tree,
} from '@nx/devkit';
import { CONFIG_FILE_NAMES } from '../../../config/load';
import { writeBuildConfig, type ConfigTemplateValues } from '../configuration/generator';
import initGenerator from '../init/generator';
import type { ConvertGeneratorSchema } from './schema';

const BUILDER_BY_EXECUTOR: Record<string, string> = {
  '@nx/esbuild:esbuild': 'esbuild',
  '@nx/js:tsc': 'tsc',
  '@nx/rollup:rollup': 'rollup',
};

/** Options of those executors that we map; anything else is reported, not silently dropped. */
const MAPPED = new Set(['main', 'outputPath', 'tsConfig', 'format', 'platform', 'sourcemap', 'sourceMap', 'minify', 'external', 'additionalEntryPoints', 'target', 'declaration']);
const IGNORED = new Set(['assets', 'generatePackageJson', 'thirdParty', 'bundle', 'deleteOutputPath', 'skipTypeCheck', 'compiler', 'project', 'rootDir', 'outputFileName']);

/**
 * Reads an Nx build target and writes the equivalent build.config.ts, then removes the target so
 * the inferred one takes over. Outputs move inside the package (`dist/`): outDir outside the
 * package is refused by our safety rules.
 */
export default async function convertGenerator(tree: Tree, options: ConvertGeneratorSchema): Promise<GeneratorCallback> {
  const targetName = options.target ?? 'build';
  const project = readProjectConfiguration(tree, options.project);
  const target = project.targets?.[targetName] as TargetConfiguration<Record<string, unknown>> | undefined;
  if (!target) throw new Error(`${options.project} has no "${targetName}" target to convert.`);
  const builder = target.executor ? BUILDER_BY_EXECUTOR[target.executor] : undefined;
  if (!builder) {
    throw new Error(`${options.project}:${targetName} uses ${target.executor ?? 'no executor'}; convert handles ${Object.keys(BUILDER_BY_EXECUTOR).join(', ')}.`);
  }
  const existing = CONFIG_FILE_NAMES.map((f) => join(project.root, f)).find((f) => tree.exists(f));
  if (existing) throw new Error(`${existing} already exists; remove it first or edit it by hand.`);

  const o = target.options ?? {};
  const toPackagePath = (p: unknown) => posix.normalize(relative(project.root, String(p)).split('\\').join('/'));
  const main = o.main ? toPackagePath(o.main) : 'src/index.ts';
  const extra = Array.isArray(o.additionalEntryPoints) ? o.additionalEntryPoints.map(toPackagePath) : [];
  const format = o.format === undefined ? undefined : Array.isArray(o.format) ? o.format : [o.format];
  const values: ConfigTemplateValues = {
    entry: main,
    // @nx/js:tsc has no format option: the package type decides, as it does for tsc itself.
    formats: (format as string[] | undefined)?.map((f) => (f === 'es' ? 'esm' : f)) ?? [packageType(tree, project.root) === 'module' || builder !== 'tsc' ? 'esm' : 'cjs'],
    builder,
    external: Array.isArray(o.external) ? (o.external as string[]) : [],
    outDir: 'dist',
    sourcemap: Boolean(o.sourcemap ?? o.sourceMap),
    tsconfig: o.tsConfig ? toPackagePath(o.tsConfig) : undefined,
    platform: typeof o.platform === 'string' ? o.platform : undefined,
    minify: o.minify === true,
    target: typeof o.target === 'string' ? o.target : undefined,
    // tsc always emits declarations unless told not to; the others only when asked.
    dts: builder === 'tsc' ? o.declaration !== false : o.declaration === true,
  };
  writeBuildConfig(tree, project.root, values);
  if (extra.length) {
    // Several entries: rewrite the entry line as a list.
    const file = join(project.root, 'build.config.ts');
    const text = tree.read(file, 'utf-8') ?? '';
    tree.write(file, text.replace(`entry: '${main}',`, `entry: [${[main, ...extra].map((e) => `'${e}'`).join(', ')}],`));
  }
  const dropped = Object.keys(o).filter((k) => !MAPPED.has(k) && !IGNORED.has(k));
  if (o.outputPath && toPackagePath(o.outputPath) !== 'dist') {
    logger.warn(`Outputs move from ${String(o.outputPath)} to ${posix.join(project.root, 'dist')} (outDir must be inside the package).`);
  }
  if (Array.isArray(o.assets) ? o.assets.length > 0 : Boolean(o.assets)) logger.warn('assets are not copied by build.config.ts; add a post hook (hooks.post) that copies them.');
  if (dropped.length) logger.warn(`Options with no equivalent, not converted: ${dropped.join(', ')}.`);

  removeTarget(tree, project.root, targetName);
  const install = await initGenerator(tree, { skipFormat: true, skipPackageJson: options.skipPackageJson });
  if (!options.skipFormat) await formatFiles(tree);
  return runTasksInSerial(install);
}

function removeTarget(tree: Tree, root: string, targetName: string): void {
  const projectJson = join(root, 'project.json');
  if (tree.exists(projectJson)) {
    const json = JSON.parse(tree.read(projectJson, 'utf-8') ?? '{}') as { targets?: Record<string, unknown> };
    if (json.targets?.[targetName]) {
      updateJson(tree, projectJson, (j) => {
        delete j.targets[targetName];
        return j;
      });
      return;
    }
  }
  const packageJson = join(root, 'package.json');
  if (tree.exists(packageJson)) {
    updateJson(tree, packageJson, (j) => {
      if (j.nx?.targets?.[targetName]) delete j.nx.targets[targetName];
      return j;
    });
  }
}

function packageType(tree: Tree, root: string): string | undefined {
  const file = join(root, 'package.json');
  if (!tree.exists(file)) return undefined;
  return (JSON.parse(tree.read(file, 'utf-8') ?? '{}') as { type?: string }).type;
}
