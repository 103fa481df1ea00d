import { z } from 'zod';

/**
 * The BuildResult written to `<package>/.build-system/result.json` after every build, and returned
 * by the programmatic API. A published contract: bump RESULT_SCHEMA_VERSION on breaking changes.
 */
import { RESULT_SCHEMA_VERSION } from './version';

export { RESULT_SCHEMA_VERSION };

export const artifactKindSchema = z
  .enum(['entry', 'chunk', 'sourcemap', 'types', 'style', 'asset'])
  .meta({ description: 'entry: a bundle for a configured entry; chunk: a shared chunk; the rest by file type.' });

export const artifactSchema = z.strictObject({
  path: z.string().meta({ description: 'Workspace-relative path with forward slashes.' }),
  size: z.number().int().nonnegative().meta({ description: 'Size in bytes.' }),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).meta({ description: 'Hex sha256 of the file contents.' }),
  kind: artifactKindSchema,
  variant: z.string().optional().meta({ description: 'The output (outputs[].name) that wrote this file; absent without `outputs` and for files no output wrote (a generated package.json).' }),
});

export const errorPhaseSchema = z.enum(['config', 'env', 'lock', 'hook', 'build', 'artifacts', 'io', 'publish']);

export const buildErrorSchema = z.strictObject({
  code: z.string().regex(/^BS_[A-Z_]+$/).meta({ description: 'Stable error code; see docs/errors.md.' }),
  phase: errorPhaseSchema,
  message: z.string(),
  file: z.string().optional().meta({ description: 'Workspace-relative path when inside the workspace.' }),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional().meta({ description: '1-based column.' }),
  hint: z.string().optional().meta({ description: 'What to do next.' }),
  builderCode: z.string().optional().meta({ description: "The builder's own code (e.g. TS2322), when it has one." }),
});

export const buildWarningSchema = z.strictObject({
  code: z.string().regex(/^BS_[A-Z_]+$/).optional().meta({ description: 'Stable code, for a check of ours reported as a warning (e.g. BS_PACKAGE_CONTRACT with packageJson.check "warn").' }),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  builderCode: z.string().optional(),
});

export const entryPointSchema = z
  .strictObject({
    field: z.string().meta({ description: 'The package.json field, as exports["./utils"].import, main, types or bin.mycli.' }),
    path: z.string().meta({ description: 'Workspace-relative file it resolves to (a subpath pattern keeps its *).' }),
    resolvedAs: z.enum(['built', 'shipped']).meta({ description: 'built: this build wrote it (under outDir); shipped: a file of the package outside outDir.' }),
    format: z
      .enum(['esm', 'cjs'])
      .optional()
      .meta({ description: 'How Node (JavaScript) or TypeScript (declarations) reads the file: by extension, else the nearest package.json "type".' }),
  })
  .meta({ description: 'One package.json entry point, checked against the build (see packageJson.check).' });

export const hookRecordSchema = z.strictObject({
  name: z.string(),
  phase: z.enum(['pre', 'post', 'finish']).meta({ description: 'pre and post: hooks; finish: a finishing step (`finish`), run in staging before the checks.' }),
  durationMs: z.number().nonnegative(),
  exitCode: z.number().int(),
});

export const publishRecordSchema = z
  .strictObject({
    target: z.string().meta({
      description: 'Where the artifacts went: dir:<workspace-relative folder> (absolute when outside the workspace), or the URL without credentials, query or fragment.',
    }),
    publisher: z.string().meta({ description: '"directory", "http", or the name of a custom publisher module.' }),
    status: z.enum(['success', 'failure', 'skipped']).meta({ description: 'skipped: the build failed, so nothing was published.' }),
    attempts: z.number().int().nonnegative().meta({ description: 'Attempts made (1 + retries used); 0 when none started.' }),
    durationMs: z.number().nonnegative(),
    published: z.number().int().nonnegative().meta({ description: 'Artifacts stored at the target (also after a failure part way).' }),
    error: z
      .strictObject({
        code: z.string().regex(/^BS_[A-Z_]+$/),
        message: z.string(),
        hint: z.string().optional(),
      })
      .optional()
      .meta({ description: 'Why the publish failed (status failure).' }),
  })
  .meta({ description: 'The publish step, recorded apart from the build: a failed publish leaves status "success".' });

export const buildResultSchema = z
  .strictObject({
    schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
    id: z.string().meta({ description: 'Unique id of this build.' }),
    project: z.string(),
    environment: z.string(),
    builder: z.strictObject({
      name: z.string(),
      version: z.string().optional(),
    }),
    status: z.enum(['success', 'failure']),
    exitCode: z.number().int(),
    startTime: z.iso.datetime().meta({ description: 'ISO-8601, UTC.' }),
    endTime: z.iso.datetime(),
    durationMs: z.number().nonnegative(),
    inputHash: z.string().optional().meta({ description: "Nx's hash of the task inputs, when run through Nx." }),
    outDir: z.string().meta({ description: 'Workspace-relative output folder.' }),
    artifacts: z.array(artifactSchema),
    errors: z.array(buildErrorSchema),
    warnings: z.array(buildWarningSchema),
    hooks: z.array(hookRecordSchema),
    entryPoints: z
      .array(entryPointSchema)
      .optional()
      .meta({ description: 'Every package.json entry point and the file it resolves to; present after a successful build whose package has a package.json and packageJson.check is not "off".' }),
    publish: publishRecordSchema.optional().meta({ description: 'Present when the environment configures `publish`.' }),
    lock: z.strictObject({ waitedMs: z.number().nonnegative() }),
    logFile: z.string().meta({ description: 'Workspace-relative path of the full build log.' }),
  })
  .meta({ title: 'BuildResult', description: 'Result of one package build by @repo/build-system.' });

export type BuildResult = z.infer<typeof buildResultSchema>;
export type BuildArtifact = z.infer<typeof artifactSchema>;
export type ArtifactKind = z.infer<typeof artifactKindSchema>;
export type BuildErrorRecord = z.infer<typeof buildErrorSchema>;
export type BuildWarningRecord = z.infer<typeof buildWarningSchema>;
export type HookRecord = z.infer<typeof hookRecordSchema>;
export type EntryPointRecord = z.infer<typeof entryPointSchema>;
export type PublishRecord = z.infer<typeof publishRecordSchema>;
