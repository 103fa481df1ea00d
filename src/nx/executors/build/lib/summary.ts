import { palette } from '../../../../color';
import { RESULT_FILE } from '../../../../config/resolve';
import type { BuildResult } from '../../../../result/schema';
import { gzipSizes } from './gzip-sizes';

const MAX_ROWS = 20;

export interface SummaryOptions {
  /**
   * Say how long the build took. Only for text Nx never caches (watch rebuilds): Nx caches the
   * summary a task hands it and replays it on every cache hit, where "in 3369 ms" would describe
   * a build that did not happen now. The duration stays in result.json (`durationMs`), and Nx
   * prints the time of the run itself.
   */
  timing?: boolean;
  /** Green ✔ and red ✖ lines, for a stream that shows colors (see colorEnabled()). Default false. */
  color?: boolean;
  /** gzip size by artifact path (see gzipSizes()); a row without one shows none. */
  gzip?: ReadonlyMap<string, number>;
}

/** The artifacts the summary lists: all with --verbose, else the first MAX_ROWS. */
export function shownArtifacts(result: BuildResult, verbose: boolean): BuildResult['artifacts'] {
  return verbose ? result.artifacts : result.artifacts.slice(0, MAX_ROWS);
}

/** The package's result file, workspace-relative, as the summary names it. */
export function resultFileOf(projectRoot: string): string {
  return `${projectRoot}/${RESULT_FILE}`.replace(/^\.\//, '');
}

/** formatSummary with the gzip sizes of the artifacts it lists (read from `workspaceRoot`). */
export async function summarizeBuild(
  result: BuildResult,
  workspaceRoot: string,
  resultFile: string,
  verbose: boolean,
  options: Omit<SummaryOptions, 'gzip'> = {},
): Promise<string> {
  const gzip = await gzipSizes(workspaceRoot, shownArtifacts(result, verbose));
  return formatSummary(result, resultFile, verbose, { ...options, gzip });
}

/** The short human summary printed after each build: status, artifact table, where the result is. */
export function formatSummary(result: BuildResult, resultFile: string, verbose: boolean, options: SummaryOptions = {}): string {
  const c = palette(options.color === true);
  const builder = `${result.builder.name}${result.builder.version ? ` ${result.builder.version}` : ''}`;
  const lines: string[] = [];
  if (result.status === 'success') {
    lines.push(c.green(`✔ ${result.project} built with ${builder} (${result.environment})${options.timing ? ` in ${result.durationMs} ms` : ''}`));
    const rows = shownArtifacts(result, verbose);
    const width = Math.max(...rows.map((a) => a.path.length), 8);
    for (const a of rows) {
      const gzipped = options.gzip?.get(a.path);
      lines.push(`  ${a.path.padEnd(width)}  ${a.kind.padEnd(9)}  ${formatBytes(a.size).padStart(9)}${gzipped === undefined ? '' : `  gzip ${formatBytes(gzipped).padStart(9)}`}`);
    }
    if (rows.length < result.artifacts.length) lines.push(`  … and ${result.artifacts.length - rows.length} more (pass -- --verbose to list all)`);
    const total = result.artifacts.reduce((sum, a) => sum + a.size, 0);
    lines.push(`  ${result.artifacts.length} artifact${result.artifacts.length === 1 ? '' : 's'}, ${formatBytes(total)}`);
  } else {
    const codes = [...new Set(result.errors.map((e) => e.code))].join(', ');
    const when = { ran: ` with ${builder}`, before: ' before building', unknown: '' }[builderStage(result)];
    lines.push(c.red(`✖ ${result.project} failed (${codes})${when} (${result.environment}): ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`));
  }
  for (const w of result.warnings.slice(0, verbose ? undefined : 5)) {
    lines.push(`  warning${w.code ? ` ${w.code}` : ''}: ${w.file ? `${w.file}${w.line ? `:${w.line}:${w.column ?? 1}` : ''}: ` : ''}${w.message}`);
  }
  if (result.publish && result.publish.status !== 'skipped') {
    const p = result.publish;
    lines.push(
      p.status === 'success'
        ? `  published ${p.published} file${p.published === 1 ? '' : 's'} to ${p.target} (${p.attempts} attempt${p.attempts === 1 ? '' : 's'})`
        : c.red(`✖ publish to ${p.target} failed after ${p.attempts} attempt${p.attempts === 1 ? '' : 's'}: ${p.error?.message ?? 'unknown error'} (the build itself succeeded; its artifacts are kept)`),
    );
  }
  lines.push(`  result: ${resultFile}`);
  lines.push(`  log:    ${result.logFile}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Whether a failed build got as far as its builder, read from the result: a line saying "with
 * esbuild" after a config error would send the user to the wrong tool. Codes that can happen on
 * either side of the builder (a crash, a cancel, an I/O error) name no builder and claim nothing.
 */
function builderStage(result: BuildResult): 'ran' | 'before' | 'unknown' {
  const ran = result.hooks.some((h) => h.phase === 'post') || result.errors.some((e) => e.code === 'BS_BUILD_FAILED' || e.phase === 'artifacts');
  if (ran) return 'ran';
  const before = result.errors.every((e) => e.phase === 'config' || e.phase === 'env' || e.phase === 'lock' || e.phase === 'hook' || e.code === 'BS_UNSAFE_PATH' || e.code === 'BS_BUILDER_UNAVAILABLE');
  return before ? 'before' : 'unknown';
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
