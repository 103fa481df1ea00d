import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { OutputOptions, RolldownLog, RolldownOptions } from 'rolldown';
import type { AdapterInput, Diagnostic } from '../types';
import { toDiagnostic } from './diagnostics';

/** rolldown/config's `loadConfig(path)`: the config's export, as `rolldown -c` reads it. */
export type LoadConfig = (configPath: string) => Promise<unknown>;
type Loaded = { ok: true; configs: RolldownOptions[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * The package's own rolldown config, read by rolldown's `loadConfig` exactly as `rolldown -c`
 * reads it (a TypeScript config is bundled by rolldown into a temporary file beside it): the
 * default export, an options object, an array of them, or a function returning either.
 */
export async function loadRolldownConfig(file: string, input: AdapterInput, loadConfig: LoadConfig): Promise<Loaded> {
  const rel = relative(input.packageRoot, file);
  if (!existsSync(file)) return failed(`builderOptions.config names ${rel}, which does not exist.`, file);
  try {
    let exported = (await loadConfig(file)) as unknown;
    if (typeof exported === 'function') exported = await (exported as (args: Record<string, unknown>) => unknown)({});
    const configs = (Array.isArray(exported) ? exported : [exported]) as RolldownOptions[];
    if (configs.length === 0 || configs.some((c) => !c || typeof c !== 'object')) {
      return failed(`${rel} does not export rolldown options (an object, an array of them, or a function returning either).`, file);
    }
    return { ok: true, configs };
  } catch (e) {
    // A config rolldown could not bundle (a syntax error in it) fails with located errors, which
    // loadConfig wraps in "Error happened while loading config." as the cause.
    const error = e as { message?: string; errors?: RolldownLog[]; cause?: { message?: string; errors?: RolldownLog[] } };
    const errors = error.errors ?? error.cause?.errors;
    if (errors?.length) return { ok: false, diagnostics: errors.map((log) => toDiagnostic(log, 'error', input.packageRoot)) };
    const reason = [error.message ?? String(e), error.cause?.message].filter(Boolean).join(': ');
    return failed(`Loading ${rel} failed: ${reason}`, file);
  }
}

/** A config's `output` as a list; none at all is one output with rolldown's defaults (`dir: 'dist'`). */
export function outputsOf(config: RolldownOptions): OutputOptions[] {
  const list = config.output === undefined ? [{}] : Array.isArray(config.output) ? config.output : [config.output];
  return list.map((o) => (o.dir || o.file ? { ...o } : { ...o, dir: 'dist' }));
}

function failed(message: string, file: string): Loaded {
  return { ok: false, diagnostics: [{ severity: 'error', message, file, builder: 'rolldown' }] };
}
