import { join, posix } from 'node:path';
import {
  formatFiles,
  logger,
  readJson,
  readProjectConfiguration,
  runTasksInSerial,
  updateJson,
  type GeneratorCallback,
  type Tree,
} from '@nx/devkit';
import { CONFIG_FILE_NAMES } from '../../../config/config-file-names';
import initGenerator from '../init/generator';
import { findTarget } from './find-target';
import { readGraphDependencies } from './graph-dependencies';
import { mapTarget, type ConvertedBuild } from './map-options';
import { planOutputs } from './outputs';
import { renderConfig } from './render-config';
import type { ConvertGeneratorSchema } from './schema';

/**
 * Reads an Nx build target, writes the equivalent build.config.ts and removes the target so the
 * inferred one takes over. Everything the old build did that the new one does differently is
 * printed: where outputs move, tsconfig changes, and each option that is not carried over.
 */
export default async function convertGenerator(tree: Tree, options: ConvertGeneratorSchema): Promise<GeneratorCallback> {
  const targetName = options.target ?? 'build';
  const project = readProjectConfiguration(tree, options.project);
  const root = project.root === '.' ? '' : project.root.replace(/\/$/, '');
  const target = findTarget(tree, options.project, project, targetName);
  const existing = CONFIG_FILE_NAMES.map((f) => join(project.root, f)).find((f) => tree.exists(f));
  if (existing) throw new Error(`${existing} already exists; remove it first or edit it by hand.`);

  const build = mapTarget(tree, { name: options.project, root }, target);
  const info: string[] = [`${options.project}:${targetName} (${target.executor}) → ${posix.join(root, 'build.config.ts')} (builder ${build.builder})`];
  const outputs = planOutputs(tree, root, options.project, build);
  info.push(...outputs.info);
  info.push(...keepRootDir(tree, root, build));
  if (build.generatePackageJson) info.push(...carryDependencies(tree, root, options.project, build));
  keepNpmPackagesExternal(tree, root, build);

  tree.write(posix.join(root, 'build.config.ts'), renderConfig(build, `${options.project}:${targetName} (${target.executor})`));
  removeTarget(tree, project.root, targetName);
  const install = await initGenerator(tree, { skipFormat: true, skipPackageJson: options.skipPackageJson });
  if (!options.skipFormat) await formatFiles(tree);

  for (const line of info) logger.info(line);
  for (const line of outputs.warnings) logger.warn(line);
  if (build.notCarried.length) logger.warn(`Not carried over from ${target.executor}:\n${build.notCarried.map((n) => `  - ${n}`).join('\n')}`);
  return runTasksInSerial(install);
}

/** Writes the rootDir the old build compiled with into its tsconfig, when an inherited one differs. */
function keepRootDir(tree: Tree, root: string, build: ConvertedBuild): string[] {
  if (!build.rootDir) return [];
  if (!build.tsconfig) {
    build.notCarried.push(`rootDir (${build.rootDir.because}): there is no tsconfig option to write it into; set compilerOptions.rootDir in the tsconfig the build uses`);
    return [];
  }
  const file = posix.join(root, build.tsconfig);
  if (!tree.exists(file)) {
    build.notCarried.push(`rootDir (${build.rootDir.because}): ${file} does not exist`);
    return [];
  }
  const value = posix.relative(posix.dirname(file), build.rootDir.wanted || '.') || '.';
  const inherited = build.tsconfigChain?.rootDir;
  updateJson(tree, file, (json) => ({ ...json, compilerOptions: { ...json.compilerOptions, rootDir: value } }));
  return [
    `${file}: compilerOptions.rootDir set to "${value}" (${build.rootDir.because})${inherited ? `; it was "${inherited.value || '.'}" from ${inherited.file}, which would mirror the workspace folders into outDir` : ''}.`,
  ];
}

/**
 * The dependencies generatePackageJson wrote: the package's own, else those Nx's project graph
 * finds in its imports, written into the package's package.json (created if missing), which is
 * where packageJson.generate reads them and what the user can edit.
 */
function carryDependencies(tree: Tree, root: string, project: string, build: ConvertedBuild): string[] {
  const file = posix.join(root, 'package.json');
  const outFile = posix.join(root, build.outDir, 'package.json');
  const pkg = tree.exists(file) ? readJson<{ dependencies?: Record<string, string> }>(tree, file) : undefined;
  if (pkg?.dependencies) return [`${outFile} lists the dependencies of ${file} (${Object.keys(pkg.dependencies).join(', ') || 'none'}).`];
  if (build.builder === 'esbuild' && build.thirdParty) return [`${outFile} lists the packages in \`external\` (thirdParty: true bundles the others).`];
  const graph = readGraphDependencies(tree, project);
  if (!graph) {
    return [`${outFile}: ${pkg ? `${file} has no dependencies field` : `there is no ${file}`} and the project graph is not available, so it lists ${build.builder === 'tsc' ? 'none' : 'the packages in `external`'}: add the packages the outputs import to ${file}.`];
  }
  const lines: string[] = [];
  const names = Object.keys(graph.npm);
  if (names.length) {
    if (pkg) updateJson(tree, file, (json) => ({ ...json, dependencies: graph.npm }));
    else tree.write(file, `${JSON.stringify({ name: project, version: '0.0.1', dependencies: graph.npm }, null, 2)}\n`);
    lines.push(`${file}: dependencies ${names.join(', ')} (the npm packages the project graph finds in its imports, as generatePackageJson listed them); ${outFile} lists them.`);
  } else {
    lines.push(`${outFile} lists no dependencies: the project graph finds no npm package in the imports of ${project}.`);
  }
  if (graph.projects.length) {
    lines.push(`${project} imports the workspace projects ${graph.projects.join(', ')}: add the names and versions they are published under to the dependencies in ${file}.`);
  }
  return lines;
}

/** @nx/esbuild left every npm dependency external (unless thirdParty); an explicit `external` list must say so too. */
function keepNpmPackagesExternal(tree: Tree, root: string, build: ConvertedBuild): void {
  if (build.builder !== 'esbuild' || build.thirdParty || !build.external) return;
  const file = posix.join(root, 'package.json');
  const pkg = tree.exists(file) ? readJson<{ dependencies?: Record<string, string>; peerDependencies?: Record<string, string> }>(tree, file) : {};
  build.external = [...new Set([...build.external, ...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})])];
}

function removeTarget(tree: Tree, root: string, targetName: string): void {
  const projectJson = join(root, 'project.json');
  if (tree.exists(projectJson)) {
    const json = readJson<{ targets?: Record<string, unknown> }>(tree, projectJson);
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
