import type { ResolvedOutput } from '../config/resolve';
import type { OutputFormat } from '../config/schema';
import type { ArtifactKind } from '../result/schema';

/** One message from a builder, parsed from its structured output (never guessed from text). */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** The builder's own code, e.g. TS2322 or a rollup code. */
  code?: string;
  message: string;
  /** Absolute path, when the builder gives one. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  builder: string;
  /**
   * The adapter already printed this diagnostic through `log` (or the tool streamed it): the
   * engine records it without printing it again. Unset, the engine prints it, so every error of
   * a failed build reaches the terminal exactly once.
   */
  shown?: boolean;
}

/**
 * What an adapter builds: the resolved output (entries, bundle, modules, formats, platform, target, sourcemap,
 * minify, external, define, dts, tsconfig, packageType, builderOptions; see ResolvedOutput) and
 * where and how to build it.
 */
export type AdapterInput = ResolvedOutput & AdapterRun;

/** The per-run part of AdapterInput: folders, environment and the engine's callbacks. */
export interface AdapterRun {
  workspaceRoot: string;
  packageRoot: string;
  /** Folder to write into (a fresh staging folder: the engine swaps it into place afterwards). */
  outDir: string;
  /** The configured output folder that outDir replaces when the build succeeds. Never write here. */
  finalOutDir: string;
  /** Resolved environment for child processes (process env + env.defaults). */
  env: Record<string, string | undefined>;
  /** Ignore the builder's incremental state (a full rebuild). */
  incremental: boolean;
  /** Streams builder output to the terminal and the build log. */
  log: (text: string, stream?: 'stdout' | 'stderr') => void;
  /**
   * The terminal shows colors: text passed to `log` may carry ANSI codes (build.log gets them
   * stripped). Pass it to `formatDiagnostic(d, workspaceRoot, { color })`.
   */
  color?: boolean;
  /**
   * A new phase of this build starts, e.g. "dts (tsc)": the engine names it in its progress lines
   * when the phase is quiet for a while. Optional to call.
   */
  phase?: (name: string) => void;
}

export interface EmittedFile {
  /** Absolute path inside AdapterInput.outDir. */
  file: string;
  kind: ArtifactKind;
  /**
   * The module format of a JavaScript file, when one call wrote several formats: the engine adds
   * a package.json type marker to a folder whose `.js` files Node would otherwise misread.
   */
  format?: OutputFormat;
  /** Set by the engine: the output of `outputs` that wrote the file. */
  variant?: string;
}

export interface AdapterOutcome {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** Files this build wrote, with their kinds; files not listed get a kind from their extension. */
  emitted?: EmittedFile[];
}

export interface Availability {
  ok: boolean;
  version?: string;
  /** Why not, and how to fix it. */
  reason?: string;
}

/** The one contract every builder implements. See docs/adapters.md. */
export interface BuilderAdapter {
  name: string;
  isAvailable(ctx: { workspaceRoot: string; packageRoot: string }): Promise<Availability>;
  build(input: AdapterInput, signal: AbortSignal): Promise<AdapterOutcome>;
}
