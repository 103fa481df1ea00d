import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import type { BuilderSetting } from '../config/schema';
import { BuildSystemError } from '../errors';
import type { Availability, BuilderAdapter } from './types';

/**
 * Built-in adapters, loaded lazily so a build only pays for the builder it uses. `import()` rather
 * than `require()`: tsc still emits a lazy require, and the engine also runs from source (vitest).
 */
const BUILTIN: Record<string, () => Promise<BuilderAdapter>> = {
  esbuild: async () => (await import('./esbuild')).esbuildAdapter,
  bun: async () => (await import('./bun')).bunAdapter,
  tsc: async () => (await import('./tsc')).tscAdapter,
  rollup: async () => (await import('./rollup')).rollupAdapter,
  rolldown: async () => (await import('./rolldown')).rolldownAdapter,
  custom: async () => (await import('./custom')).customAdapter,
};

export interface SelectedAdapter {
  adapter: BuilderAdapter;
  availability: Availability;
}

/**
 * Turns the config's `builder` into a ready adapter, or fails before anything is touched:
 * unknown and uninstalled builders are reported here, not half-way through a build.
 */
export async function selectAdapter(
  setting: BuilderSetting,
  ctx: { workspaceRoot: string; packageRoot: string },
): Promise<SelectedAdapter> {
  if (setting === 'auto') return selectAuto(ctx);
  const adapter = typeof setting === 'string' ? await builtinAdapter(setting) : loadThirdPartyAdapter(setting.module, ctx.packageRoot);
  const availability = await adapter.isAvailable(ctx);
  if (!availability.ok) {
    throw new BuildSystemError('BS_BUILDER_UNAVAILABLE', `Builder "${adapter.name}" is not available.`, {
      hint: availability.reason,
    });
  }
  return { adapter, availability };
}

/** `auto`: bun when a working bun binary is found (see bun/find-bun.ts), else esbuild. The result records which. */
async function selectAuto(ctx: { workspaceRoot: string; packageRoot: string }): Promise<SelectedAdapter> {
  const bun = await builtinAdapter('bun');
  const availability = await bun.isAvailable(ctx);
  return availability.ok ? { adapter: bun, availability } : selectAdapter('esbuild', ctx);
}

function builtinAdapter(name: string): Promise<BuilderAdapter> {
  const factory = BUILTIN[name];
  if (!factory) {
    throw new BuildSystemError('BS_BUILDER_UNAVAILABLE', `Builder "${name}" has no adapter in this version of @repo/build-system.`, {
      hint: `Use one of: ${['auto', ...Object.keys(BUILTIN)].join(', ')}, or { module: "<package>" } for a third-party adapter.`,
    });
  }
  return factory();
}

/** Loads `{ module }` relative to the package, like Node would from there, and checks its shape. */
export function loadThirdPartyAdapter(specifier: string, packageRoot: string): BuilderAdapter {
  const req = createRequire(join(packageRoot, 'package.json'));
  const id = specifier.startsWith('.') || isAbsolute(specifier) ? resolve(packageRoot, specifier) : specifier;
  let mod: unknown;
  try {
    mod = req(id);
  } catch (e) {
    throw new BuildSystemError('BS_BUILDER_UNKNOWN', `Adapter module "${specifier}" could not be loaded: ${(e as Error).message}`, {
      hint: `Install it in the workspace (npm i -D ${specifier}) or fix the path; it is resolved from ${packageRoot}.`,
    });
  }
  const candidate = (mod as { default?: unknown })?.default ?? mod;
  const adapter = candidate as Partial<BuilderAdapter>;
  if (!adapter || typeof adapter.name !== 'string' || typeof adapter.build !== 'function' || typeof adapter.isAvailable !== 'function') {
    throw new BuildSystemError(
      'BS_BUILDER_UNKNOWN',
      `Module "${specifier}" does not export a builder adapter (expected { name, isAvailable(), build() } as its default export).`,
      { hint: 'See docs/adapters.md, "Write your own adapter".' },
    );
  }
  return adapter as BuilderAdapter;
}
