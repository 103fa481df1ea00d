import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { InputOptions, RolldownLog } from 'rolldown';
import { stripAnsi } from '../../color';
import { redirectOutputs, writeBuilds } from '../bundle-outputs';
import { withoutDuplicates } from '../diagnostics';
import { emitDeclarations } from '../dts';
import { formatDiagnostic } from '../format-diagnostic';
import { withUserHandlers, type LogLevel, type OnLog, type OnWarn } from '../log-handlers';
import type { AdapterInput, BuilderAdapter, Diagnostic } from '../types';
import { findWorkspacePackage } from '../workspace-packages';
import { messageOf, toDiagnostic } from './diagnostics';
import { loadRolldownConfig, outputsOf, type LoadConfig } from './load-config';
import { fromBuildConfig, type RolldownBuildPlan } from './options';

type RolldownModule = typeof import('rolldown');
/** `rolldown/config` (its types are out of reach of this project's node10 module resolution). */
type RolldownConfigModule = { loadConfig: LoadConfig };

/** What rolldown 1.x declares in `engines`; it is an ES module that Node only `require`s from 20.19 on. */
const ROLLDOWN_NODE = '^20.19.0 || >=22.12.0';

/**
 * The workspace's rolldown (found from the package up to the workspace root, never above it):
 * rolldown is never bundled with this plugin. Throws with a reason and the fix.
 */
export function loadRolldown(ctx: { workspaceRoot: string; packageRoot: string }): { rolldown: RolldownModule; config: () => RolldownConfigModule } {
  const dir = findWorkspacePackage('rolldown', ctx);
  if (!dir) throw new Error('rolldown is not installed in the workspace. Run `npm i -D rolldown`.');
  const req = createRequire(join(dir, 'package.json'));
  try {
    return { rolldown: req('rolldown') as RolldownModule, config: () => req('rolldown/config') as RolldownConfigModule };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') {
      throw new Error(`rolldown needs Node ${ROLLDOWN_NODE}; this is Node ${process.versions.node}. Upgrade Node, or use builder: 'rollup' or 'esbuild'.`);
    }
    throw new Error(`rolldown could not be loaded from ${dir} (${firstLine((e as Error).message)}). Reinstall it: \`npm i -D rolldown\`.`);
  }
}

/**
 * `builder: 'rolldown'`, through rolldown's JS API in this process. Either the build config's
 * options (see options.ts: rolldown compiles TypeScript and minifies natively), or, with
 * `builderOptions.config`, the package's own rolldown config with its outputs redirected into the
 * staging folder. See docs/adapters.md.
 */
export const rolldownAdapter: BuilderAdapter = {
  name: 'rolldown',

  async isAvailable(ctx) {
    try {
      return { ok: true, version: loadRolldown(ctx).rolldown.VERSION };
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
  },

  async build(input, signal) {
    const loaded = loadRolldown(input);
    const diagnostics: Diagnostic[] = [];
    const report = (log: RolldownLog, severity: 'error' | 'warning') => {
      const d = { ...toDiagnostic(log, severity, input.packageRoot), shown: true };
      diagnostics.push(d);
      const { frame } = messageOf(log);
      const shownFrame = frame && (input.color ? frame : stripAnsi(frame));
      input.log(`${formatDiagnostic(d, input.workspaceRoot, { color: input.color, frame: !frame })}\n${shownFrame ? `${shownFrame}\n` : ''}`, severity === 'error' ? 'stderr' : 'stdout');
    };
    const record = (level: LogLevel, log: RolldownLog) => {
      if (level === 'warn') report(log, 'warning');
      else input.log(`${stripAnsi(log.message)}\n`, 'stdout');
    };

    const plans = await planBuilds(input, loaded, record);
    if (!plans.ok) return { ok: false, diagnostics: plans.diagnostics };

    const entryFiles = input.bundle === false && typeof input.builderOptions.config !== 'string' ? new Set(input.entries.map((e) => e.file)) : undefined;
    const { ok, emitted } = await writeBuilds(
      plans.builds,
      (options) => loaded.rolldown.rolldown(options),
      signal,
      (e) => {
        // A BundleError lists every error of the build; anything else (a plugin bug) is one error.
        const errors = (e as { errors?: RolldownLog[] }).errors;
        for (const log of errors?.length ? errors : [e as RolldownLog]) report(log, 'error');
      },
      entryFiles,
    );
    if (signal.aborted) return { ok: false, diagnostics };
    const unique = withoutDuplicates(diagnostics);
    if (ok && input.dts && !signal.aborted) {
      const types = await emitDeclarations(input, signal, 'rolldown', emitted);
      return { ok: types.ok, diagnostics: [...unique, ...types.diagnostics], emitted: [...emitted, ...types.emitted] };
    }
    return { ok, diagnostics: unique, emitted };
  },
};

/** The builds to run: from the build config, or from the package's rolldown config (`builderOptions.config`). */
async function planBuilds(
  input: AdapterInput,
  loaded: ReturnType<typeof loadRolldown>,
  record: (level: LogLevel, log: RolldownLog) => void,
): Promise<{ ok: true; builds: RolldownBuildPlan[] } | { ok: false; diagnostics: Diagnostic[] }> {
  const configFile = input.builderOptions.config;
  if (typeof configFile !== 'string') {
    const { onLog, onwarn } = input.builderOptions as Pick<InputOptions, 'onLog' | 'onwarn'>;
    return { ok: true, builds: [fromBuildConfig(input, rolldownHandlers(onLog, onwarn, record))] };
  }
  // The package's rolldown config decides every output: a variant would build all of them again.
  if (input.variant !== undefined) {
    return { ok: false, diagnostics: [{ severity: 'error', message: `builderOptions.config (${configFile}) decides the outputs, so \`outputs\` cannot be used with it (output "${input.variant}").`, builder: 'rolldown' }] };
  }
  const config = await loadRolldownConfig(resolve(input.packageRoot, configFile), input, loaded.config().loadConfig);
  if (!config.ok) return config;
  input.log(`rolldown ${loaded.rolldown.VERSION} with ${configFile}: the config decides inputs, formats and plugins\n`);
  const builds = config.configs.map(({ output: _output, onLog, onwarn, ...options }, i): RolldownBuildPlan => ({
    // `rolldown -c` resolves relative paths from where it runs, which is the package folder.
    inputOptions: { cwd: input.packageRoot, ...options, onLog: rolldownHandlers(onLog, onwarn, record) },
    outputs: outputsOf(config.configs[i]),
  }));
  const misplaced = redirectOutputs(builds.flatMap((b) => b.outputs), input, 'rolldown');
  return misplaced.length ? { ok: false, diagnostics: misplaced } : { ok: true, builds };
}

/** The shared onLog/onwarn wrapper (log-handlers.ts) with rolldown's option types. */
function rolldownHandlers(onLog: InputOptions['onLog'], onwarn: InputOptions['onwarn'], record: (level: LogLevel, log: RolldownLog) => void): NonNullable<InputOptions['onLog']> {
  return withUserHandlers(onLog as OnLog<RolldownLog> | undefined, onwarn as OnWarn<RolldownLog> | undefined, record);
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
