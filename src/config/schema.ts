import { z } from 'zod';
import { DEFAULTS, PUBLISH_DEFAULTS } from './defaults';

/**
 * The one source of truth for build.config.ts: the TypeScript type, runtime validation and the
 * published JSON Schema (schemas/build-config.schema.json) all come from these definitions.
 * Defaults live in DEFAULTS (applied after environments are merged) so that an environment
 * override never resets a key the base config set.
 */

export const BUILTIN_BUILDERS = ['auto', 'bun', 'esbuild', 'tsc', 'rollup', 'rolldown', 'custom'] as const;
export type BuiltinBuilderName = (typeof BUILTIN_BUILDERS)[number];

export const FORMATS = ['esm', 'cjs', 'iife'] as const;
export type OutputFormat = (typeof FORMATS)[number];

const entrySchema = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1), z.record(z.string().min(1), z.string().min(1))])
  .meta({
    description:
      'Entry files, relative to the package root: one path, a list, or a map of output name to path ({ index: "src/index.ts" }).',
  });

const thirdPartyBuilderSchema = z.strictObject({
  module: z.string().min(1).meta({ description: 'Module name or package-relative path of a third-party adapter.' }),
});

const builderSchema = z.union([z.enum(BUILTIN_BUILDERS), thirdPartyBuilderSchema]).meta({
  default: 'auto',
  description:
    'Which builder runs the build. "auto" prefers bun when it is installed, else esbuild. { module } loads a third-party adapter.',
});

export const DTS_GENERATORS = ['auto', 'oxc', 'tsc', 'tsgo'] as const;
export type DtsGenerator = (typeof DTS_GENERATORS)[number];

const dtsSchema = z
  .union([
    z.boolean(),
    z.strictObject({
      /**
       * What writes the declarations. `auto`: oxc when the tsconfig (with its `extends`) sets
       * `isolatedDeclarations: true` and `oxc-transform` is installed, else tsc. `oxc`: the
       * `oxc-transform` package's isolated-declarations transform, no type check (milliseconds).
       * `tsc`: the workspace's TypeScript, which type-checks. `tsgo`: the native TypeScript 7
       * preview (`@typescript/native-preview`). Default: `auto`.
       */
      generator: z.enum(DTS_GENERATORS).optional().meta({
        default: 'auto',
        description:
          'What writes the declarations. "auto": oxc when the tsconfig (with its extends) sets isolatedDeclarations: true and oxc-transform is installed, else tsc. "oxc": oxc-transform\'s isolated-declarations transform, no type check. "tsc": the workspace\'s TypeScript, which type-checks. "tsgo": the native TypeScript 7 preview (@typescript/native-preview).',
      }),
    }),
  ])
  .meta({
    default: false,
    description: 'Emit .d.ts declarations next to the bundles: true (the "auto" generator) or { generator }.',
  });

const hookFunctionSchema = z.custom<HookFunction>((v) => typeof v === 'function', {
  message: 'Expected a function',
});

const hookSchema = z.union([
  z.string().min(1),
  z.strictObject({
    name: z.string().optional().meta({ description: 'Shown in logs and the result; defaults to the command.' }),
    command: z.string().min(1).meta({ description: 'Shell command run in the package root.' }),
    timeoutMs: z.number().int().positive().optional().meta({ description: 'Kill the hook after this many ms.' }),
  }),
  hookFunctionSchema,
]);

const finishFunctionSchema = z.custom<FinishFunction>((v) => typeof v === 'function', {
  message: 'Expected a function',
});

/** A finishing step: a shell command run in the staging folder, or a function given it. */
const finishStepSchema = z.union([
  z.string().min(1),
  z.strictObject({
    name: z.string().optional().meta({ description: 'Shown in logs and the result; defaults to the command.' }),
    command: z
      .string()
      .min(1)
      .meta({ description: 'Shell command run in the staging folder (the new output, before it replaces outDir); $BUILD_SYSTEM_OUT_DIR names it, $BUILD_SYSTEM_PACKAGE_ROOT the package.' }),
    timeoutMs: z.number().int().positive().optional().meta({ description: 'Kill the step after this many ms.' }),
  }),
  finishFunctionSchema,
]);

/** A file or glob copied into the output. */
const copyItemSchema = z.union([
  z.string().min(1),
  z.strictObject({
    from: z.string().min(1).meta({ description: 'A file or glob, relative to the package root (inside it).' }),
    to: z
      .string()
      .min(1)
      .optional()
      .meta({
        description:
          'Where it goes, relative to outDir: for a file, its new path (a folder when it ends with "/"); for a glob, the folder that takes the place of the glob\'s static base. Default: the same package-relative path.',
      }),
  }),
]);

/** Header names the HTTP publisher sets itself for every file. */
export const PUBLISH_RESERVED_HEADERS = ['content-length', 'x-sha256'] as const;

/** `publish` fields; `to` is required in the base config and optional in an environment, which merges over it. */
const publishFields = {
  /**
   * Where the artifacts go: `dir:<folder>` (relative to the package root; may be outside the
   * package) or an `http://` / `https://` base URL each file is PUT under. With `module`, any
   * string the module understands.
   */
  to: z
    .string()
    .min(1)
    .meta({
      description:
        'Where the artifacts go: "dir:<folder>" (relative to the package root, may be outside it) or an http(s):// base URL each file is PUT under. With `module`, any string that module understands.',
    }),
  /** A publisher module (package name or package-relative file); its default export is `{ name, publish(artifacts, ctx, signal) }`. */
  module: z
    .string()
    .min(1)
    .optional()
    .meta({
      description:
        'A custom publisher: package name or package-relative file whose default export is { name, publish(artifacts, ctx, signal) }. It receives `to` as ctx.target.',
    }),
  /** Retries after a transient failure (connection error, timeout, 408, 429, 5xx). Default: `4`. */
  retries: z
    .number()
    .int()
    .min(0)
    .max(20)
    .optional()
    .meta({ description: 'Retries after a transient failure (connection error, timeout, 408, 429, 5xx); 0 tries once.', default: PUBLISH_DEFAULTS.retries }),
  /** First backoff ceiling in ms; it doubles per retry (full jitter). Default: `500`. */
  baseDelayMs: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .meta({ description: 'Backoff before the first retry is a random 0..baseDelayMs ms; the ceiling doubles per retry.', default: PUBLISH_DEFAULTS.baseDelayMs }),
  /** Longest wait between two attempts in ms, also caps a server's `Retry-After`. Default: `10000`. */
  maxDelayMs: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .meta({ description: "Longest wait between two attempts, in ms; also caps a server's Retry-After.", default: PUBLISH_DEFAULTS.maxDelayMs }),
  /** Time limit in ms of one upload: one HTTP request, or one call of a module's `publish`. Default: `30000`. */
  timeoutMs: z
    .number()
    .int()
    .positive()
    .optional()
    .meta({ description: "Time limit of one upload, in ms: one HTTP request, or one call of a module's publish(). A timeout is retried.", default: PUBLISH_DEFAULTS.timeoutMs }),
  /** Extra HTTP request headers (sent with every PUT; given to a module as ctx.headers). Never written to the result or log. */
  headers: z
    .record(
      z
        .string()
        .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid HTTP header name')
        .refine((name) => !(PUBLISH_RESERVED_HEADERS as readonly string[]).includes(name.toLowerCase()), 'is set by the publisher for every file'),
      z.string(),
    )
    .optional()
    .meta({ description: 'Extra HTTP request headers for every PUT (content-length and x-sha256 are set per file). Not written to the result or log.' }),
  /** Name of an environment variable holding a bearer token; its value is never printed or written. */
  tokenEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional()
    .meta({
      description:
        'Name of an environment variable holding a bearer token (sent as Authorization: Bearer; given to a module as ctx.token). Its value is never printed or written to the result or log.',
    }),
};

/** Publishing after a successful build. */
const publishSchema = z
  .strictObject(publishFields)
  .meta({ description: 'Publish the artifacts after a successful build; see docs/publishing.md. A failed publish keeps the build and its artifacts.' });

/** The same in an environment: every key optional, merged key by key over the base `publish`. */
const publishOverrideSchema = publishSchema.partial().meta({ description: 'Publish settings merged key by key over the base `publish`.' });

/** Fields shared by the base config and each environment override. */
const buildOptionsShape = {
  /** Entry files, relative to the package root: a path, a list, or a map of output name to path. */
  entry: entrySchema.optional(),
  /** Output folder, relative to the package root. Default: `dist`. */
  outDir: z
    .string()
    .optional()
    .meta({ description: 'Output folder, relative to the package root.', default: 'dist' }),
  /** Module formats to emit. Default: `['esm']`. */
  formats: z
    .array(z.enum(FORMATS))
    .min(1)
    .optional()
    .meta({ description: 'Module formats to emit.', default: ['esm'] }),
  /** Target platform. Default: `node`. */
  platform: z
    .enum(['node', 'browser', 'neutral'])
    .optional()
    .meta({ description: 'Target platform.', default: 'node' }),
  /** Language target(s), e.g. `es2022` or `['node20', 'chrome120']`. Default: `es2022`. */
  target: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .optional()
    .meta({ description: 'Language target(s), e.g. "es2022" or ["node20", "chrome120"].', default: 'es2022' }),
  /** Source maps: `true` (external files), `'inline'`, or `false`. Default: `false`. */
  sourcemap: z
    .union([z.boolean(), z.enum(['inline', 'external'])])
    .optional()
    .meta({ description: 'Source maps: true or "external" writes .map files, "inline" embeds them.', default: false }),
  /** Minify the output. Default: `false`. */
  minify: z.boolean().optional().meta({ description: 'Minify the output.', default: false }),
  /**
   * `true` (the default): each entry becomes one bundle. `false` (bundleless): every source module
   * under each entry's folder becomes one output file at the same place under outDir, relative
   * imports rewritten to the emitted file names (`./button` → `./button.js`), bare imports left as
   * imports. esbuild, rollup, rolldown, bun and tsc. See docs/config.md#bundleless-output.
   */
  bundle: z
    .boolean()
    .optional()
    .meta({
      description:
        "false: one output file per source module under each entry's folder (bundleless), relative imports rewritten to the emitted names, bare imports kept. esbuild, rollup, rolldown, bun and tsc.",
      default: true,
    }),
  /**
   * With `bundle: false`: globs, relative to the package root, of source files that are not
   * modules of the package. Replaces the default (tests, specs, stories, fixtures, `__tests__`,
   * `__mocks__` and declaration files), so list those too when you still want them left out.
   */
  bundlelessExclude: z
    .array(z.string().min(1))
    .optional()
    .meta({
      description:
        'With bundle: false, globs (relative to the package root) of source files that are not modules of the package. Replaces the default list.',
      default: DEFAULTS.bundlelessExclude,
    }),
  /** Stop the builder after this many ms (BS_BUILD_TIMEOUT). Default: 30 minutes. */
  buildTimeoutMs: z
    .number()
    .int()
    .positive()
    .optional()
    .meta({ description: 'Stop the builder (and everything it started) after this many ms and fail with BS_BUILD_TIMEOUT.', default: 1_800_000 }),
  /** Modules left as imports. Default: the package's dependencies and peerDependencies. */
  external: z
    .array(z.string().min(1))
    .optional()
    .meta({ description: "Modules left as imports. Default: the package's dependencies and peerDependencies." }),
  /** Compile-time constants, e.g. `{ 'process.env.NODE_ENV': '"production"' }`. */
  define: z
    .record(z.string(), z.string())
    .optional()
    .meta({ description: 'Compile-time replacements; values are JavaScript expressions as strings.' }),
  /** Which builder runs the build. Default: `auto` (bun when installed, else esbuild). */
  builder: builderSchema.optional(),
  /** Options passed to the builder untouched (e.g. esbuild BuildOptions). */
  builderOptions: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: 'Options passed to the builder untouched (for esbuild: extra BuildOptions).' }),
  /**
   * Emit `.d.ts` declarations next to the bundles: `true` (the `auto` generator) or
   * `{ generator }`. Default: `false`.
   */
  dts: dtsSchema.optional(),
  /** tsconfig used by the builder, relative to the package root. Default: tsconfig.json; when that is a solution file ("files": [] and only references, as create-nx-workspace --preset=ts writes), tsconfig.lib.json, then tsconfig.build.json. */
  tsconfig: z.string().min(1).optional().meta({ description: 'tsconfig used by the builder, relative to the package root. Default: tsconfig.json; when that is a solution file ("files": [] and only references, as create-nx-workspace --preset=ts writes), tsconfig.lib.json, then tsconfig.build.json.' }),
  /** Globs (relative to the package root) of the files listed as artifacts. Default: everything under outDir. */
  artifacts: z
    .array(z.string().min(1))
    .optional()
    .meta({ description: 'Globs, relative to the package root, of the files listed as artifacts. Default: everything under outDir.' }),
  /**
   * Files and globs (relative to the package root) copied into the output after the builder,
   * before the finishing steps: `'README.md'`, `'assets/**'`, `{ from: 'src/loader.cjs', to: 'index.cjs' }`.
   * Listed as artifacts (kind `asset`) and part of the target's cache inputs. A glob that matches
   * nothing fails the build (BS_COPY_NO_MATCH).
   */
  copy: z
    .array(copyItemSchema)
    .optional()
    .meta({
      description:
        'Files and globs (relative to the package root) copied into the output after the builder and before the finishing steps; { from, to } renames (to is relative to outDir). Listed as artifacts and part of the cache inputs; a glob matching nothing fails the build.',
    }),
  /**
   * Finishing steps, run in order on the new output inside the staging folder, after the builder
   * and `copy`, before the output checks, the generated package.json, the package contract and the
   * artifact list: result.json and the cache describe the files they leave. A command runs with the
   * staging folder as cwd (and in $BUILD_SYSTEM_OUT_DIR); a function gets `{ outDir, ... }`. The
   * first failure fails the build (BS_FINISH_FAILED). For side effects after the swap, use post hooks.
   */
  finish: z
    .array(finishStepSchema)
    .optional()
    .meta({
      description:
        'Finishing steps on the new output, in the staging folder, after the builder and copy and before output checks, package.json generation, the package contract and the artifact list. Commands run with the staging folder as cwd ($BUILD_SYSTEM_OUT_DIR); functions get { outDir, packageRoot, workspaceRoot, environment, env, log, signal }. A failure fails the build (BS_FINISH_FAILED).',
    }),
  /** Extra cache rules: files that also invalidate the build (`include`) or never do (`exclude`). */
  cache: z
    .strictObject({
      /** Globs (relative to the package root) that are build inputs in addition to the sources. */
      include: z.array(z.string().min(1)).optional().meta({ description: 'Extra input globs, relative to the package root.' }),
      /** Globs (relative to the package root) that never invalidate the build (tests, stories...). */
      exclude: z.array(z.string().min(1)).optional().meta({ description: 'Globs that never invalidate the build.' }),
    })
    .optional()
    .meta({ description: 'Cache rules added to the Nx inputs of the build target.' }),
  /** Commands or functions run before and after the builder. */
  hooks: z
    .strictObject({
      /** Run in order before the build; a failing pre hook stops the build. */
      pre: z.array(hookSchema).optional().meta({ description: 'Run in order before the build; a failure stops the build.' }),
      /** Run in order after a successful build. */
      post: z.array(hookSchema).optional().meta({ description: 'Run in order after a successful build.' }),
    })
    .optional()
    .meta({ description: 'Commands or functions run before and after the builder.' }),
  /** Environment variables the build needs. Values are never written to results or logs. */
  env: z
    .strictObject({
      /** Names that must be set; the build fails before it starts when one is missing. */
      required: z.array(z.string().min(1)).optional().meta({ description: 'Names that must be set before the build starts.' }),
      /** Values used when the variable is not set. */
      defaults: z.record(z.string(), z.string()).optional().meta({ description: 'Values used when a variable is not set.' }),
    })
    .optional()
    .meta({ description: 'Environment variables the build needs; their values are never logged.' }),
  /** What `--clean` and the clean target remove, besides outDir and the result. */
  clean: z
    .strictObject({
      /** Remove outDir before every build, not only with `--clean`. Default: `false`. */
      beforeBuild: z.boolean().optional().meta({ description: 'Remove outDir before every build.', default: false }),
      /** Extra paths (relative to the package root) removed by clean. */
      paths: z.array(z.string().min(1)).optional().meta({ description: 'Extra package-relative paths removed by clean.' }),
    })
    .optional()
    .meta({ description: 'What clean removes besides outDir, the result and TypeScript build info.' }),
  /** Publish the artifacts after a successful build (a directory, an HTTP endpoint or a module). Off by default. */
  publish: publishSchema.optional(),
};

/** File extension of a variant's JavaScript outputs: a dot, then letters, digits, dots, - or _ (e.g. `.cjs`, `.production.js`). */
const EXTENSION = /^(\.[A-Za-z0-9_-]+)+$/;

/** What one output variant may set; everything it leaves out comes from the top-level options. */
const outputVariantFields = {
  /** Module format of this output. */
  format: z.enum(FORMATS).meta({ description: 'Module format of this output.' }),
  /** Entry files of this output; default: the top-level `entry`. */
  entry: entrySchema.optional().meta({ description: 'Entry files of this output, as the top-level `entry`; default: the top-level `entry`.' }),
  /** Bundle the entries (`true`) or write one file per source module (`false`); default: the top-level `bundle`. */
  bundle: z
    .boolean()
    .optional()
    .meta({ description: 'Bundle the entries (true) or write one output file per source module (false); default: the top-level `bundle`.' }),
  /** Minify this output; default: the top-level `minify`. */
  minify: z.boolean().optional().meta({ description: 'Minify this output; default: the top-level `minify`.' }),
  /** Compile-time replacements, merged key by key over the top-level `define`. */
  define: z
    .record(z.string(), z.string())
    .optional()
    .meta({ description: 'Compile-time replacements (JavaScript expressions as strings), merged key by key over the top-level `define`.' }),
  /** Source maps of this output; default: the top-level `sourcemap`. */
  sourcemap: z
    .union([z.boolean(), z.enum(['inline', 'external'])])
    .optional()
    .meta({ description: 'Source maps of this output (true or "external", "inline", false); default: the top-level `sourcemap`.' }),
  /** Target platform of this output; default: the top-level `platform`. */
  platform: z.enum(['node', 'browser', 'neutral']).optional().meta({ description: 'Target platform of this output; default: the top-level `platform`.' }),
  /** Language target(s) of this output; default: the top-level `target`. */
  target: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .optional()
    .meta({ description: 'Language target(s) of this output; default: the top-level `target`.' }),
  /** Sub-folder of outDir this output is written into, e.g. `cjs`; default: outDir itself. */
  dir: z
    .string()
    .min(1)
    .refine((d) => !/^([/\\]|[A-Za-z]:)/.test(d) && !d.split(/[/\\]/).includes('..'), 'must be a folder inside outDir (relative, without "..")')
    .optional()
    .meta({ description: 'Sub-folder of outDir this output is written into, e.g. "cjs" (relative, inside outDir); default: outDir itself.' }),
  /**
   * Extension of the JavaScript files, e.g. `.cjs`, `.mjs` or `.production.js`. Default: the one
   * that makes Node read the format right in this package (`.js` for the package's own type, else
   * `.cjs`/`.mjs`; `.global.js` for iife).
   */
  extension: z
    .string()
    .regex(EXTENSION, 'must start with a dot, e.g. ".cjs" or ".production.js"')
    .optional()
    .meta({
      description:
        'Extension of the JavaScript files, e.g. ".cjs", ".mjs" or ".production.js". Default: ".js" for the package\'s own module type, else ".cjs"/".mjs"; ".global.js" for iife. A folder whose .js files Node would read as the other format gets a package.json type marker.',
    }),
  /** Text put at the top of every JavaScript file of this output (e.g. a license comment or `"use client";`). */
  banner: z.string().optional().meta({ description: 'Text put at the top of every JavaScript file of this output (a license comment, "use client").' }),
  /** Text put at the end of every JavaScript file of this output. */
  footer: z.string().optional().meta({ description: 'Text put at the end of every JavaScript file of this output.' }),
  /**
   * CommonJS only: `require(pkg)` returns the default export with the named exports attached to it
   * (`module.exports = Object.assign(exports.default, exports)`), as packages that were written in
   * CommonJS did. Nothing changes for a module without a default export. Default: `false`.
   */
  cjsInterop: z
    .boolean()
    .optional()
    .meta({
      description:
        'CommonJS only: require(pkg) returns the default export with the named exports attached (module.exports = Object.assign(exports.default, exports)); a module without a default export is left as it is.',
      default: false,
    }),
};

/** One output of `outputs`. */
const outputVariantSchema = z
  .strictObject({
    /** Names this output in the result (each artifact's `variant`), in logs and in `environments.<env>.outputs`. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-"')
      .meta({ description: 'Names this output in the result (each artifact\'s `variant`), in logs and in environments.<env>.outputs. Unique.' }),
    ...outputVariantFields,
  })
  .meta({ description: 'One output of the build; options it leaves out come from the top-level options.' });

/**
 * Several outputs of one build, e.g. per-file ESM plus a CommonJS production and development
 * bundle. Each inherits the top-level options and overrides what it sets; together they replace
 * the top-level `formats`.
 */
const outputsSchema = z
  .array(outputVariantSchema)
  .min(1)
  .superRefine((outputs, ctx) => {
    const seen = new Set<string>();
    outputs.forEach((o, i) => {
      if (seen.has(o.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${o.name}" names two outputs; each output needs its own name` });
      seen.add(o.name);
    });
  })
  .meta({
    description:
      'Several outputs of one build (e.g. per-file ESM, a minified CommonJS production bundle and a development one). Each inherits the top-level options and overrides what it sets; together they replace the top-level `formats` (set one or the other). All build into one staging folder and land in one result.',
  });

/** Per-environment changes of single outputs, by name. */
const outputOverridesSchema = z
  .record(z.string().min(1), z.strictObject(outputVariantFields).partial().meta({ description: 'Options merged over the output of this name.' }))
  .meta({
    description:
      'Changes to single outputs in this environment, by output name: { <name>: { minify: true } }. Options set at the top level of the environment apply to every output.',
  });

/**
 * The package contract: every entry point of package.json (`exports`, `main`, `module`,
 * `types`/`typings`, `bin`) must resolve to a file the build produced or the package ships, with
 * the format its condition expects. `'error'` fails the build on a violation, `'warn'` reports it
 * as a warning, `'off'` skips the check. Default: `'error'`.
 */
const packageContractCheckSchema = z
  .enum(['error', 'warn', 'off'])
  .optional()
  .meta({
    description:
      'The package contract: every package.json entry point (exports, main, module, types, bin) must resolve to a file the build produced or the package ships, in the format its condition expects. "error" fails the build on a violation, "warn" reports it as a warning, "off" skips the check.',
    default: 'error',
  });

/** What the plugin does with the package's package.json (top level only: one package.json ships). */
const packageJsonSchema = z
  .strictObject({
    check: packageContractCheckSchema,
    /**
     * Write a package.json into outDir (name, version, type, main/module/types/exports of the
     * built entries, dependencies), so outDir itself is the package that is installed or
     * published, as with Nx's `generatePackageJson`. Default: `false`.
     */
    generate: z
      .boolean()
      .optional()
      .meta({
        description:
          "Write a package.json into outDir (name, version, type, main/module/types/exports of the built entries, dependencies) so outDir itself is the package, as with Nx's generatePackageJson.",
        default: false,
      }),
    /**
     * Let the `@repo/build-system:sync-package-json` sync generator write `exports`, `main`,
     * `module` and `types` from what the build writes (`nx sync`; `nx sync:check` in CI).
     * Default: `false`.
     */
    sync: z
      .boolean()
      .optional()
      .meta({
        description:
          'Write exports, main, module and types into package.json from what the build writes, through the Nx sync generator @repo/build-system:sync-package-json (nx sync; nx sync:check in CI).',
        default: false,
      }),
  })
  .meta({ description: "What the plugin does with the package's package.json." });

export const environmentOverrideSchema = z
  .strictObject({
    ...buildOptionsShape,
    /** Publish settings for this environment, merged key by key over the base `publish`. */
    publish: publishOverrideSchema.optional(),
    /** Changes to single outputs of `outputs` in this environment, by name. */
    outputs: outputOverridesSchema.optional(),
    /** Only the check may differ per environment: one package.json ships. */
    packageJson: z
      .strictObject({
        check: packageContractCheckSchema,
      })
      .optional()
      .meta({ description: 'The package contract check for this environment (e.g. "warn" in development).' }),
  })
  .meta({ description: 'Overrides deep-merged over the base config for one environment.' });

export const buildConfigSchema = z
  .strictObject({
    /** Display name in logs; defaults to the Nx project name. */
    name: z.string().min(1).optional().meta({ description: 'Display name in logs; defaults to the Nx project name.' }),
    ...buildOptionsShape,
    /** Several outputs of one build; they replace `formats`. See docs/config.md#output-variants. */
    outputs: outputsSchema.optional(),
    /** What the plugin does with the package's package.json (not per environment: one package.json ships). */
    packageJson: packageJsonSchema.optional(),
    /**
     * Per-environment overrides, deep-merged over the base. The environment is the Nx configuration
     * (`-c production`), else `ci` when CI is set, else `development`. `ci` inherits `production`.
     */
    environments: z
      .record(z.string().min(1), environmentOverrideSchema)
      .optional()
      .meta({
        description:
          'Per-environment overrides (development, ci, production or any name). ci inherits production unless it sets a key itself.',
      }),
  })
  .meta({ title: 'build.config', description: 'Build configuration of one package for @repo/build-system.' });

export interface HookContext {
  /** Absolute path of the package root. */
  packageRoot: string;
  /** Absolute path of the workspace root. */
  workspaceRoot: string;
  environment: string;
  phase: 'pre' | 'post';
  /** Resolved environment (process env + env.defaults). */
  env: Record<string, string | undefined>;
}
export type HookFunction = (ctx: HookContext) => void | Promise<void>;

/** What a finishing step function is given (see `finish`). */
export interface FinishContext {
  /** Absolute path of the staging folder: the new output, which replaces outDir after the checks. Edit here, never in outDir. */
  outDir: string;
  /** Absolute path of the package root. */
  packageRoot: string;
  /** Absolute path of the workspace root. */
  workspaceRoot: string;
  environment: string;
  /** Resolved environment (process env + env.defaults). */
  env: Record<string, string | undefined>;
  /** Writes to the terminal and the build log. */
  log: (text: string) => void;
  /** Aborted when the build is cancelled or the step times out: stop then. */
  signal: AbortSignal;
}
export type FinishFunction = (ctx: FinishContext) => void | Promise<void>;

export type PackageBuildConfig = z.input<typeof buildConfigSchema>;
export type EnvironmentOverride = z.input<typeof environmentOverrideSchema>;
export type HookDefinition = z.input<typeof hookSchema>;
export type FinishStep = z.input<typeof finishStepSchema>;
export type CopyItem = z.input<typeof copyItemSchema>;
export type BuilderSetting = z.input<typeof builderSchema>;
export type PublishSetting = z.input<typeof publishSchema>;
export type OutputVariantSetting = z.input<typeof outputVariantSchema>;
export type OutputVariantOverride = z.input<typeof outputOverridesSchema>[string];

export { DEFAULTS } from './defaults';

/** Top-level keys, for "did you mean" suggestions. */
export const CONFIG_KEYS = Object.keys(buildConfigSchema.shape);
