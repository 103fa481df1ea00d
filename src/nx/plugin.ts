import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
import type { CreateNodes, CreateNodesContext, CreateNodesResult, PostTasksExecution, TargetConfiguration } from '@nx/devkit';
import { CONFIG_FILE_NAMES } from '../config/config-file-names';
import { LOG_FILE, RESULT_DIR, RESULT_FILE, STANDARD_ENVIRONMENTS } from '../config/resolve';
import { detectAutoBuilder } from './detect-auto-builder';
import { unignoredFoldersWarning } from './gitignore';
import { InferenceCache } from './inference-cache';
import { lockfileChecker } from './lockfile';
import { runSummaryEnabled } from './run-summary-setting';
import { toolPackages } from './tool-packages';

/**
 * Inference: every folder with a build.config.* beside a package.json or project.json gets a
 * `build` and a `clean` target. Never throws for one bad config (Nx would fail the whole graph):
 * that package gets a target with default outputs and its build reports the config error.
 */
export interface BuildSystemPluginOptions {
  /** Name of the inferred build target. Default: build. */
  buildTargetName?: string;
  /** Name of the inferred clean target. Default: clean. */
  cleanTargetName?: string;
  /**
   * Write a RunSummary after every nx command that ran build tasks. Default: true. With the Nx
   * daemon on, the hook that writes it costs a plugin worker start on every command (see
   * docs/performance.md); false removes the hook.
   */
  runSummary?: boolean;
}

export const name = '@repo/build-system';
const CONFIG_GLOB = '**/build.config.{ts,mts,cts,js,mjs,cjs}';
const EXECUTOR_PACKAGE = '@repo/build-system';
// Nx concatenates metadata arrays when two plugins infer the same target, so 'typescript' here
// would show twice beside @nx/js's; a name of our own adds to theirs instead of repeating it.
// A fresh array per target: Nx's merge pushes into the base target's array.
const TECHNOLOGIES = ['build-system'];

export const createNodes: CreateNodes<BuildSystemPluginOptions> = [
  CONFIG_GLOB,
  async (configFiles, options, context) => {
    const cache = new InferenceCache(context.workspaceRoot);
    // What `auto` picks depends on the machine (bun installed or not); detected once per graph.
    let autoBuilder: Promise<string> | undefined;
    const shared: Shared = {
      cache,
      detectAuto: () => (autoBuilder ??= detectAutoBuilder(context.workspaceRoot)),
      locked: lockfileChecker(context.workspaceRoot),
    };
    const chosen = firstConfigPerFolder(configFiles);
    const results = await Promise.all(
      chosen.map(async (file) => {
        try {
          const result = await inferProject(file, options ?? {}, context, shared);
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
  { cache, detectAuto, locked }: Shared,
): Promise<CreateNodesResult | undefined> {
  const projectRoot = dirname(configFile);
  const absRoot = join(context.workspaceRoot, projectRoot);
  const projectName = readProjectName(absRoot);
  if (projectName === null) return undefined;

  const absConfig = join(context.workspaceRoot, configFile);
  const key = InferenceCache.keyFor(absConfig, options);
  let summary = cache.get(absConfig, key)?.summary;
  let configError: string | undefined;
  if (!summary) {
    try {
      const { inspectBuildConfig } = await import('../config/inspect');
      summary = await inspectBuildConfig(absConfig, configFile);
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
    options: builders.includes('auto') ? { autoBuilder: await detectAuto() } : {},
    configurations: Object.fromEntries(environments.map((env) => [env, {}])),
    metadata: {
      description: configError
        ? `Build with @repo/build-system (config error: ${firstLine(configError)})`
        : `Build ${projectName || basename(projectRoot)} with @repo/build-system (${builderLabel}); result in ${RESULT_FILE}`,
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
    options: {},
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

/** Name from project.json, else package.json; '' when unnamed; null when neither file exists. */
function readProjectName(absRoot: string): string | null {
  let found = false;
  for (const file of ['project.json', 'package.json']) {
    const path = join(absRoot, file);
    if (!existsSync(path)) continue;
    found = true;
    try {
      const json = JSON.parse(readFileSync(path, 'utf8')) as { name?: string };
      if (json.name) return json.name;
    } catch {
      /* an unreadable manifest is Nx's to report */
    }
  }
  return found ? '' : null;
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
