/**
 * Public API of @repo/build-system. Everything here is also what the executor uses, so the
 * objects a tool gets are the ones written to disk.
 */
export { defineBuildConfig } from './config/define';
export type {
  PackageBuildConfig,
  EnvironmentOverride,
  HookDefinition,
  HookFunction,
  HookContext,
  BuilderSetting,
  OutputFormat,
  PublishSetting,
} from './config/schema';
export { buildConfigSchema } from './config/schema';
export { loadBuildConfig, findConfigFile, CONFIG_FILE_NAMES } from './config/load';
export type { LoadedConfig } from './config/load';
export { validateBuildConfig } from './config/validate';
export { resolveBuild, RESULT_FILE, LOG_FILE } from './config/resolve';
export type { ResolvedBuild, ResolvedOutput, ResolvedPublish } from './config/resolve';
export { runBuild } from './engine/run-build';
export type { BuildRequest } from './engine/run-build';
export { cleanPackage } from './engine/clean';
export type { CleanRequest } from './engine/clean';
export type { Publisher, PublishArtifact, PublishContext } from './engine/publish/types';
export { buildTaskSucceeded } from './result/task-outcome';
export { readBuildResultFile } from './result/read';
export { buildResultSchema } from './result/schema';
export type { BuildResult, BuildArtifact, ArtifactKind, BuildErrorRecord, BuildWarningRecord, EntryPointRecord, HookRecord, PublishRecord } from './result/schema';
export { BuildSystemError, ERROR_CODES } from './errors';
export type { ErrorCode, ErrorPhase } from './errors';
export type { BuilderAdapter, AdapterInput, AdapterRun, AdapterOutcome, Diagnostic, Availability, EmittedFile } from './adapters/types';
export { runSummarySchema } from './result/run-summary-schema';
export type { RunSummary, RunSummaryTask } from './result/run-summary-schema';
export { build, readBuildResult, readRunSummary, listBuildable } from './api';
export type { BuildOptions, BuildOutcome } from './api';
export type { BuildableProject } from './nx/list-buildable';
export type { OptionWithSource, OptionSource } from './config/provenance';
// Nx plugin hooks, for `"plugins": ["@repo/build-system"]` (the documented name is @repo/build-system/plugin).
// They load the plugin on first call, so this entry stays as light as before.
export { createNodes, postTasksExecution } from './nx/root-plugin';
