import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { DtsGenerator } from '../config/schema';
import { readInheritedOption } from './tsc/option-location';
import { OXC_TRANSFORM_PACKAGE } from './tsc/packages';
import { findWorkspacePackage } from './workspace-packages';

export type ChosenGenerator = Exclude<DtsGenerator, 'auto'>;

export interface GeneratorChoice {
  generator: ChosenGenerator;
  /** Why, for the build log: `isolatedDeclarations: true (tsconfig.base.json)`. */
  reason: string;
}

/**
 * Which generator writes a package's declarations. A named one is used as named. `auto` picks oxc
 * when the tsconfig the build uses (its own value, else the nearest file it `extends`) sets
 * `isolatedDeclarations: true` (TypeScript then guarantees every declaration can be written
 * from its own file, which is all oxc does) and oxc-transform is installed; otherwise tsc, which
 * type-checks. Reads JSON only: choosing never loads TypeScript.
 */
export function chooseDeclarationGenerator(
  setting: DtsGenerator | undefined,
  tsconfig: string,
  ctx: { workspaceRoot: string; packageRoot: string },
): GeneratorChoice {
  if (setting && setting !== 'auto') return { generator: setting, reason: `dts.generator: '${setting}'` };
  const isolated = existsSync(tsconfig) ? readInheritedOption(tsconfig, 'isolatedDeclarations') : undefined;
  if (isolated?.value !== true) {
    return { generator: 'tsc', reason: existsSync(tsconfig) ? `${shown(tsconfig, ctx)} does not set isolatedDeclarations` : 'no tsconfig' };
  }
  const where = `isolatedDeclarations: true (${shown(isolated.file, ctx)})`;
  if (!findWorkspacePackage(OXC_TRANSFORM_PACKAGE, ctx)) {
    return { generator: 'tsc', reason: `${where}, but ${OXC_TRANSFORM_PACKAGE} is not installed (\`npm i -D ${OXC_TRANSFORM_PACKAGE}\` writes them without TypeScript)` };
  }
  return { generator: 'oxc', reason: where };
}

function shown(file: string, ctx: { workspaceRoot: string }): string {
  return relative(ctx.workspaceRoot, file).split(sep).join('/');
}
