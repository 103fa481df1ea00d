import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type { Message } from 'esbuild';
import type { RollupOptions } from 'rollup';
import { fromEsbuildMessage } from '../diagnostics';
import { loadEsbuild } from '../esbuild';
import type { AdapterInput, Diagnostic } from '../types';

type Loaded = { ok: true; configs: RollupOptions[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * A real `import()`: tsc turns `import()` into `require()` in this CommonJS build, and a rollup
 * config is usually an ES module. Where this code itself was loaded through `vm` without a dynamic
 * import hook (test runners), Node's default loader is asked for explicitly.
 */
async function importModule(url: string): Promise<Record<string, unknown>> {
  try {
    return await (new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>)(url);
  } catch (e) {
    const loader = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
    if ((e as NodeJS.ErrnoException).code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING' || loader === undefined) throw e;
    const script = new vm.Script(`import(${JSON.stringify(url)})`, { importModuleDynamically: loader });
    return (await script.runInThisContext()) as Record<string, unknown>;
  }
}

/**
 * The package's own rollup config, as `rollup -c` reads it: the default export (an options object,
 * an array of them, or a function returning either), untouched, so its plugins and its
 * `onwarn`/`onLog` apply. A TypeScript config is first bundled by esbuild into a temporary `.mjs`
 * beside it (rollup does the same with `--configPlugin`), so relative imports and
 * `import.meta.url` mean what they say.
 */
export async function loadRollupConfig(file: string, input: AdapterInput): Promise<Loaded> {
  const rel = relative(input.packageRoot, file);
  if (!existsSync(file)) return failed(`builderOptions.config names ${rel}, which does not exist.`, file);
  let temp: string | undefined;
  try {
    let toImport = file;
    if (/\.[cm]?ts$/.test(file)) {
      temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.mjs`);
      try {
        await loadEsbuild(input.workspaceRoot).build({
          entryPoints: [file],
          absWorkingDir: dirname(file),
          outfile: temp,
          bundle: true,
          packages: 'external',
          format: 'esm',
          platform: 'node',
          target: 'node20',
          logLevel: 'silent',
        });
      } catch (e) {
        const errors = (e as { errors?: Message[] }).errors;
        if (!errors) throw e;
        return { ok: false, diagnostics: errors.map((m) => fromEsbuild(m, dirname(file))) };
      }
      toImport = temp;
    }
    const namespace = await importModule(pathToFileURL(toImport).href);
    let exported = (namespace.default ?? namespace) as unknown;
    if (typeof exported === 'function') exported = await (exported as (args: Record<string, unknown>) => unknown)({});
    const configs = (Array.isArray(exported) ? exported : [exported]) as RollupOptions[];
    if (configs.length === 0 || configs.some((c) => !c || typeof c !== 'object')) {
      return failed(`${rel} does not export rollup options (an object, an array of them, or a function returning either).`, file);
    }
    return { ok: true, configs };
  } catch (e) {
    return failed(`Loading ${rel} failed: ${(e as Error)?.message ?? String(e)}`, file);
  } finally {
    if (temp) await rm(temp, { force: true });
  }
}

function fromEsbuild(m: Message, dir: string): Diagnostic {
  return fromEsbuildMessage(m, 'error', dir, 'rollup');
}

function failed(message: string, file: string): Loaded {
  return { ok: false, diagnostics: [{ severity: 'error', message, file, builder: 'rollup' }] };
}
