import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
import type { CreateNodes, CreateNodesContext, CreateNodesResult, PostTasksExecution, TargetConfiguration } from '@nx/devkit';
import { CONFIG_FILE_NAMES, CONFIG_GLOB } from '../config/config-file-names';
import { LOG_FILE, RESULT_DIR, RESULT_FILE, STANDARD_ENVIRONMENTS } from '../config/resolve';
import { detectAutoBuilder } from './detect-auto-builder';
import { foreignConfigOwner } from './foreign-config';
import { unignoredFoldersWarning } from './gitignore';
import { InferenceCache } from './inference-cache';
import { lockfileChecker } from './lockfile';
import { includedScriptsWithout, shadowingScript, type ScriptsManifest } from './npm-script-shadowing';
import { SYNC_PACKAGE_JSON_GENERATOR } from './generators/sync-package-json/name';
import { runSummaryEnabled } from './run-summary-setting';
import { parsePluginOptions, type BuildSystemPluginOptions } from './plugin-options';
import { sharedConfigInspector } from '../config/isolated-inspect';
import { toolPackages } from './tool-packages';

/**
 * Inference: every folder with a build.config.* beside a package.json or project.json gets a
 * `build` and a `clean` target. Never throws for one bad config (Nx would fail the whole graph):
 * that package gets a target with default outputs and its build reports the config error.
 */
export type { BuildSystemPluginOptions } from './plugin-options';

export const name = '@repo/build-system';
const EXECUTOR_PACKAGE = '@repo/build-system';
// Nx concatenates metadata arrays when two plugins infer the same target, so 'typescript' here
// would show twice beside @nx/js's; a name of our own adds to theirs instead of repeating it.
// A fresh array per target: Nx's merge pushes into the base target's array.
const TECHNOLOGIES = ['build-system'];

export const createNodes: CreateNodes<BuildSystemPluginOptions> = [
  CONFIG_GLOB,
  async (configFiles, rawOptions, context) => {
    const options = parsePluginOptions(rawOptions);
    const cache = new InferenceCache(context.workspaceRoot);
    // What `auto` picks depends on the machine (bun installed or not); detected once per graph.
    let autoBuilder: Promise<string> | undefined;
    const shared: Shared = {
      cache,
      detectAuto: () => (autoBuilder ??= detectAutoBuilder(context.workspaceRoot)),
      locked: lockfileChecker(context.workspaceRoot),
      inspector: sharedConfigInspector(options.configTimeoutMs),
    };
    const chosen = firstConfigPerFolder(configFiles);
    const results = await Promise.all(
      chosen.map(async (file) => {
        try {
          const result = await inferProject(file, options, context, shared);
          return result ? ([file, result] as const) : undefined;
        } catch {
          // inferProject handles config errors itself; anything else must still not break the graph.
          return undefined;
        }
      }),
    );
    cache.save();
    const inferred = results.filter((r): r is readonly [string, CreateNodesResult] => r !== undefined);
    await warnIfResultsNotIgnored(context.workspaceRoot, inferred.map(([file]) => dirname(file)), options?.runSummary !== false);
    return inferred;
  },
];

let lastWarning: string | undefined;

/**
 * Once per command, not per project; and not again for the same folders when a long-lived
 * process (the daemon's plugin worker) infers again. Only prints: inference writes nothing.
 */
async function warnIfResultsNotIgnored(workspaceRoot: string, projectRoots: string[], runSummary: boolean): Promise<void> {
  try {
    const warning = await unignoredFoldersWarning(workspaceRoot, projectRoots, runSummary);
    if (warning && warning !== lastWarning) console.warn(warning);
    lastWarning = warning;
  } catch {
    /* a warning must never break the graph */
  }
}

/** What every project of one createNodes call shares. */
interface Shared {
  inspector: ReturnType<typeof sharedConfigInspector>;
  cache: InferenceCache;
  detectAuto: () => Promise<string>;
  locked: (name: string) => boolean;
}

/**
 * Several configs in one folder: only the first by CONFIG_FILE_NAMES order is the config (as the
 * loader picks it). Nx's glob already listed them all, so this needs no file system calls.
 */
function firstConfigPerFolder(configFiles: readonly string[]): string[] {
  const rank = (file: string) => (CONFIG_FILE_NAMES as readonly string[]).indexOf(basename(file));
  const best = new Map<string, string>();
  for (const file of configFiles) {
    const dir = dirname(file);
    const known = best.get(dir);
    if (rank(file) >= 0 && (known === undefined || rank(file) < rank(known))) best.set(dir, file);
  }
  return [...best.values()];
}

async function inferProject(
  configFile: string,
  options: BuildSystemPluginOptions,
  context: CreateNodesContext,
  { cache, detectAuto, locked, inspector }: Shared,
): Promise<CreateNodesResult | undefined> {
  const projectRoot = dirname(configFile);
  const absRoot = join(context.workspaceRoot, projectRoot);
  const manifests = readManifests(absRoot);
  if (manifests === null) return undefined;
  const projectName = manifests.name;

  const absConfig = join(context.workspaceRoot, configFile);
  const key = InferenceCache.keyFor(absConfig, options);
  let summary = cache.get(absConfig, key)?.summary;
  let configError: string | undefined;
  // Only ours are ever cached, so a cache hit needs no second look at the imports.
  if (!summary && isForeignConfig(absConfig, configFile)) return undefined;
  if (!summary) {
    try {
      summary = await inspector.inspect(absConfig, configFile);
      cache.set(absConfig, key, summary.imports, summary);
    } catch (e) {
      // Not cached: the error may sit in a file the config imports, which we cannot know yet.
      configError = (e as Error)?.message ?? String(e);
    }
  }
  const buildTarget = options.buildTargetName ?? 'build';
  const cleanTarget = options.cleanTargetName ?? 'clean';
  const namedInputs = context.nxJsonConfiguration?.namedInputs ?? {};
  const base = 'production' in namedInputs ? 'production' : 'default';
  const outDirs = summary?.outDirs ?? ['dist'];
  const toProjectPath = (p: string) => `{projectRoot}/${posix.normalize(p.split('\\').join('/')).replace(/^\.\//, '').replace(/\/$/, '')}`;
  const ownOutputs = [...outDirs.map(toProjectPath), `{projectRoot}/${RESULT_DIR}`];
  const imports = (summary?.imports ?? [join(context.workspaceRoot, configFile)]).map(
    (f) => `{workspaceRoot}/${relative(context.workspaceRoot, f).split('\\').join('/')}`,
  );
  const builders = summary?.builders ?? ['auto'];
  const builderPackages = toolPackages(summary ?? { builders }).filter(locked);

  const inputs: TargetConfiguration['inputs'] = [
    base,
    `^${base}`,
    ...imports,
    ...(summary?.cacheInclude ?? []).map(toProjectPath),
    ...(summary?.cacheExclude ?? []).map((g) => `!${toProjectPath(g)}`),
    // A workspace that does not gitignore the outputs must still get cache hits.
    ...ownOutputs.map((o) => `!${o}/**`),
    ...(builderPackages.length ? [{ externalDependencies: builderPackages }] : []),
    // CI=true selects the ci environment, so it changes what is built.
    { env: 'CI' },
    ...(summary?.envNames ?? []).map((env) => ({ env })),
  ];
  const environments = summary?.environments ?? [...STANDARD_ENVIRONMENTS];
  const builderLabel = builders.map((b) => (typeof b === 'string' ? b : b.module)).join(', ');

  const build: TargetConfiguration = {
    executor: `${EXECUTOR_PACKAGE}:build`,
    cache: true,
    dependsOn: [`^${buildTarget}`],
    inputs,
    outputs: [...outDirs.map(toProjectPath), `{projectRoot}/${RESULT_FILE}`, `{projectRoot}/${LOG_FILE}`],
    // Target options are part of Nx's task hash: a machine with bun and one without never share
    // an entry, and the executor builds with exactly this choice (see the autoBuilder option).
    options: {
      ...(builders.includes('auto') ? { autoBuilder: await detectAuto() } : {}),
      ...(options.configTimeoutMs ? { configTimeoutMs: options.configTimeoutMs } : {}),
    },
    configurations: Object.fromEntries(environments.map((env) => [env, {}])),
    // packageJson.sync: Nx runs the generator before this target (and for nx sync / sync:check).
    ...(summary?.packageJsonSync ? { syncGenerators: [SYNC_PACKAGE_JSON_GENERATOR] } : {}),
    metadata: {
      description:
        (configError
          ? `Build with @repo/build-system (config error: ${firstLine(configError)})`
          : `Build ${projectName || basename(projectRoot)} with @repo/build-system (${builderLabel}); result in ${RESULT_FILE}`) +
        shadowingNote(manifests.packageJson, buildTarget),
      technologies: [...TECHNOLOGIES],
      help: {
        command: `npx nx run ${projectName || basename(projectRoot)}:${buildTarget} --help`,
        example: { options: { clean: true } },
      },
    },
  };
  const clean: TargetConfiguration = {
    executor: `${EXECUTOR_PACKAGE}:clean`,
    cache: false,
    options: options.configTimeoutMs ? { configTimeoutMs: options.configTimeoutMs } : {},
    configurations: Object.fromEntries(environments.map((env) => [env, {}])),
    metadata: {
      description: `Remove ${outDirs.join(', ')}, ${RESULT_FILE}, ${LOG_FILE} and TypeScript build info of this package`,
      technologies: [...TECHNOLOGIES],
    },
  };
  return {
    projects: {
      [projectRoot]: {
        ...(projectName ? { name: projectName } : {}),
        targets: { [buildTarget]: build, [cleanTarget]: clean },
      },
    },
  };
}

/**
 * Name from project.json, else package.json ('' when unnamed), and package.json itself; null when
 * neither file exists.
 */
function readManifests(absRoot: string): { name: string; packageJson?: ScriptsManifest } | null {
  let found = false;
  let name = '';
  let packageJson: ScriptsManifest | undefined;
  for (const file of ['project.json', 'package.json']) {
    const path = join(absRoot, file);
    if (!existsSync(path)) continue;
    found = true;
    try {
      const json = JSON.parse(readFileSync(path, 'utf8')) as ScriptsManifest & { name?: string };
      if (file === 'package.json') packageJson = json;
      if (json.name && !name) name = json.name;
    } catch {
      /* an unreadable manifest is Nx's to report */
    }
  }
  return found ? { name, packageJson } : null;
}

/**
 * An unbuild (or other tool's) build.config.*: not ours, so no targets and no error; one line with
 * NX_VERBOSE_LOGGING. Read, never evaluated.
 */
function isForeignConfig(absConfig: string, configFile: string): boolean {
  let owner: string | undefined;
  try {
    owner = foreignConfigOwner(readFileSync(absConfig, 'utf8'));
  } catch {
    return false; // unreadable: the load reports it as this package's config error
  }
  if (owner && process.env.NX_VERBOSE_LOGGING === 'true') console.debug(`@repo/build-system: ${configFile} imports ${owner}; not a @repo/build-system config, no targets inferred`);
  return owner !== undefined;
}

/**
 * Nx replaces this target with `nx:run-script` when package.json has a script of its name, and keeps
 * this description: so the description says so, and how to fix it (what the configuration generator writes).
 */
function shadowingNote(packageJson: ScriptsManifest | undefined, targetName: string): string {
  const script = packageJson && shadowingScript(packageJson, targetName);
  if (!script) return '';
  const keep = JSON.stringify(includedScriptsWithout(packageJson, targetName));
  return `. SHADOWED: the npm script "${script}" in package.json replaces this target (nx:run-script runs it, not @repo/build-system); to build with @repo/build-system, add "nx": { "includedScripts": ${keep} } to package.json`;
}

function firstLine(s: string): string {
  return s.split('\n')[0].slice(0, 200);
}

/**
 * Writes the RunSummary for every nx command that ran build tasks (see run-summary.ts). Not exported
 * at all when nx.json sets `runSummary: false`: Nx decides from the exports whether to call it.
 */
export const postTasksExecution: PostTasksExecution<BuildSystemPluginOptions> | undefined = runSummaryEnabled()
  ? async (_options, context) => {
      const { announceRunSummary, writeRunSummary } = await import('./run-summary');
      announceRunSummary(await writeRunSummary(context), context.workspaceRoot);
    }
  : undefined;
