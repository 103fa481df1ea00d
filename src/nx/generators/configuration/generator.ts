import { basename, join } from 'node:path';
import {
  formatFiles,
  generateFiles,
  logger,
  readJson,
  readNxJson,
  readProjectConfiguration,
  runTasksInSerial,
  updateJson,
  type GeneratorCallback,
  type Tree,
} from '@nx/devkit';
import { CONFIG_FILE_NAMES } from '../../../config/config-file-names';
import { includedScriptsWithout, shadowingScript, type ScriptsManifest } from '../../npm-script-shadowing';
import initGenerator, { registeredPluginOptions } from '../init/generator';
import { findTsconfig } from '../../../config/find-tsconfig';
import type { BuilderSetting, OutputFormat } from '../../../config/schema';
import { writeEntryPoints } from '../sync-package-json/lib/write-entry-points';
import { readPackageFacts, type PackageFacts } from './package-facts';
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
  /** Writes `packageJson: { sync: true }`: the sync generator keeps package.json entry points in step with the build. */
  syncPackageJson?: boolean;
}

/**
 * Adds build.config.ts to one project, read from its package.json so the package works for its
 * consumers (entry, formats, declarations, output folder, tsconfig); explicit options win. Refuses
 * to replace an existing config or an explicit build target unless --force: inference would
 * otherwise be shadowed by project.json silently. An npm script of the target's name is excluded
 * from Nx's package.json inference, for the same reason.
 */
export default async function configurationGenerator(tree: Tree, options: ConfigurationGeneratorSchema): Promise<GeneratorCallback> {
  const project = readProjectConfiguration(tree, options.project);
  const existing = CONFIG_FILE_NAMES.map((f) => join(project.root, f)).find((f) => tree.exists(f));
  if (existing && !options.force) {
    throw new Error(`${existing} already exists. Pass --force to replace it.`);
  }
  const targetName = buildTargetName(tree);
  const projectJson = join(project.root, 'project.json');
  if (tree.exists(projectJson)) {
    const target = (JSON.parse(tree.read(projectJson, 'utf-8') ?? '{}') as { targets?: Record<string, unknown> }).targets?.[targetName];
    if (target && !options.force) {
      throw new Error(
        `${options.project} already has a "${targetName}" target in ${projectJson}; it would shadow the inferred one. Pass --force to remove it, or run the convert generator.`,
      );
    }
    if (target) {
      updateJson(tree, projectJson, (json) => {
        delete json.targets[targetName];
        return json;
      });
    }
  }
  if (existing) tree.delete(existing);
  const values = configValues(tree, project.root, options);
  if (!tree.exists(join(project.root, values.entry))) logger.warn(`${join(project.root, values.entry)} does not exist yet; the build will report BS_ENTRY_NOT_FOUND until it does.`);
  writeBuildConfig(tree, project.root, values);
  if (values.syncPackageJson) syncEntryPointsNow(tree, project.root, values);
  excludeShadowingScript(tree, project.root, targetName);
  const install = await initGenerator(tree, { skipFormat: true, skipPackageJson: options.skipPackageJson });
  if (!options.skipFormat) await formatFiles(tree);
  return runTasksInSerial(install);
}

/** Options first, then what package.json and the tsconfigs say, then the defaults; one line says what was read. */
function configValues(tree: Tree, projectRoot: string, options: ConfigurationGeneratorSchema): ConfigTemplateValues {
  const manifest = join(projectRoot, 'package.json');
  const facts: PackageFacts = tree.exists(manifest) ? readPackageFacts(readJson(tree, manifest), (p) => tree.exists(join(projectRoot, p))) : { dts: false };
  const outDir = facts.outDir && facts.outDir !== '.' ? facts.outDir : 'dist';
  const values: ConfigTemplateValues = {
    entry: options.entry ? entryInProject(tree, options.entry, projectRoot) : (facts.entry ?? defaultEntry(tree, projectRoot)),
    formats: options.formats?.length ? options.formats : (facts.formats ?? ['esm']),
    builder: options.builder ?? 'auto',
    external: [],
    outDir,
    sourcemap: false,
    dts: options.dts ?? facts.dts,
    tsconfig: options.tsconfig ?? buildTsconfigOf(tree, projectRoot),
    syncPackageJson: options.syncPackageJson ?? false,
  };
  // Formats chosen that package.json does not reach (ESM + CommonJS for a package whose exports
  // name only ESM): the build would write index.cjs that no consumer can load. Let the sync keep
  // package.json in step instead of leaving a package that only half works.
  const unreached = facts.formats ? values.formats.filter((f) => f !== 'iife' && !facts.formats!.includes(f as OutputFormat)) : [];
  if (!values.syncPackageJson && options.syncPackageJson === undefined && unreached.length) {
    values.syncPackageJson = true;
    logger.info(`${manifest} does not reach the ${unreached.join(', ')} output: packageJson.sync is on, so its entry points follow the build (nx sync).`);
  }
  if (tree.exists(manifest)) {
    const read = [
      !options.entry && facts.entry && `entry ${facts.entry}`,
      !options.formats?.length && facts.formats && `formats ${facts.formats.join(', ')}`,
      options.dts === undefined && facts.dts && 'dts (package.json names types)',
      facts.outDir && `outDir ${outDir}`,
      !options.tsconfig && values.tsconfig && `tsconfig ${values.tsconfig} (tsconfig.json is a solution file or absent)`,
    ].filter(Boolean);
    if (read.length) logger.info(`From ${manifest}: ${read.join('; ')}.`);
  }
  return values;
}

const INDEX_EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'];

/** The first src/index.* that exists, else src/index.ts. */
function defaultEntry(tree: Tree, projectRoot: string): string {
  return INDEX_EXTENSIONS.map((ext) => `src/index.${ext}`).find((p) => tree.exists(join(projectRoot, p))) ?? 'src/index.ts';
}

/** The inferred build target's name: the plugin's `buildTargetName` in nx.json, else build. */
function buildTargetName(tree: Tree): string {
  const name = registeredPluginOptions(readNxJson(tree))?.buildTargetName;
  return typeof name === 'string' && name ? name : 'build';
}

/**
 * A `build` npm script would replace the inferred target with nx:run-script (Nx's package.json
 * inference), so `nx run-many -t build` would run the old script. `nx.includedScripts` keeps every
 * other script as a target and leaves this name to the plugin; `npm run build` still works.
 */
function excludeShadowingScript(tree: Tree, projectRoot: string, targetName: string): void {
  const manifest = join(projectRoot, 'package.json');
  if (!tree.exists(manifest)) return;
  const pkg = readJson<ScriptsManifest>(tree, manifest);
  const script = shadowingScript(pkg, targetName);
  if (!script) return;
  const kept = includedScriptsWithout(pkg, targetName);
  updateJson(tree, manifest, (json) => ({ ...json, nx: { ...json.nx, includedScripts: kept } }));
  logger.info(
    `${manifest}: the npm script "${script}" (${pkg.scripts?.[script]}) would replace the inferred ${targetName} target; set nx.includedScripts to ${JSON.stringify(kept)} so Nx runs @repo/build-system for "${targetName}" (npm run ${script} still runs the script).`,
  );
}

export function writeBuildConfig(tree: Tree, projectRoot: string, values: ConfigTemplateValues): void {
  generateFiles(tree, join(__dirname, 'files'), projectRoot, {
    tmpl: '',
    tsconfig: undefined,
    platform: undefined,
    minify: false,
    target: undefined,
    dts: false,
    syncPackageJson: false,
    ...values,
  });
}

/** The tsconfig to name in the config: only when it is not the default tsconfig.json (one finder, config/find-tsconfig.ts). */
function buildTsconfigOf(tree: Tree, projectRoot: string): string | undefined {
  const choice = findTsconfig(projectRoot, (file) => (tree.exists(file) ? (tree.read(file, 'utf8') ?? undefined) : undefined));
  return choice && choice.file !== 'tsconfig.json' ? choice.file : undefined;
}

/**
 * With packageJson.sync the entry points are written now, from the settings just written, so the
 * first build (and `nx sync:check` in CI) finds package.json in sync; the sync generator keeps them
 * so afterwards.
 */
function syncEntryPointsNow(tree: Tree, projectRoot: string, values: ConfigTemplateValues): void {
  const manifest = join(projectRoot, 'package.json');
  if (!tree.exists(manifest)) return;
  const packageRoot = join(tree.root, projectRoot);
  const result = writeEntryPoints(tree, projectRoot, {
    packageRoot,
    entries: [{ name: basename(values.entry).replace(/\.[^.]+$/, ''), file: join(packageRoot, values.entry) }],
    outDir: join(packageRoot, values.outDir),
    formats: values.formats as OutputFormat[],
    dts: values.dts === true,
    packageType: readJson<{ type?: string }>(tree, manifest).type === 'module' ? 'module' : 'commonjs',
    builder: values.builder as BuilderSetting,
  });
  if (result.skipped) logger.warn(`Entry points not written: ${result.skipped}`);
  else if (result.changes.length) logger.info(`${result.packageJsonPath}: ${result.changes.join('; ')}.`);
  for (const warning of result.warnings) logger.warn(warning);
}
