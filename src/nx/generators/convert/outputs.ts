import { posix } from 'node:path';
import type { Tree } from '@nx/devkit';
import { outExtension } from '../../../adapters/esbuild/output-names';
import { OWNERSHIP_MARKER } from '../../../engine/output-ownership';
import { packageType, type ConvertedBuild } from './map-options';

export interface OutputReport {
  /** What moves where, for the terminal. */
  info: string[];
  warnings: string[];
}

/**
 * Says where the outputs go (workspace-relative, file by file for the entries) and readies the new
 * outDir: a folder that held the old build's outputs is handed to this plugin (the ownership
 * marker), so the first build replaces it; any other non-empty folder there needs --force.
 */
export function planOutputs(tree: Tree, root: string, projectName: string, build: ConvertedBuild): OutputReport {
  const info: string[] = [];
  const warnings: string[] = [];
  const outDir = posix.join(root, build.outDir);
  const old = build.oldOutputPath;
  const files = predictedFiles(tree, root, build);
  if (old && old !== outDir) {
    info.push(`Outputs move from ${old}/ to ${outDir}/ (outDir must be inside the package); inside it:`);
  } else {
    info.push(`Outputs stay in ${outDir}/:`);
  }
  for (const f of files) info.push(`  ${posix.join(outDir, f.path)}${f.was && old && old !== outDir ? ` (was ${posix.join(old, f.was)})` : ''}${f.note ? ` — ${f.note}` : ''}`);
  if (old && old !== outDir) {
    info.push(`Update what reads ${old}/ (publish scripts, Dockerfiles, tsconfig paths, nx release packageRoot, other projects' assets); the old folder is left as it is: delete it.`);
  }

  const existing = tree.exists(outDir) ? tree.children(outDir) : [];
  if (existing.length && !existing.includes(OWNERSHIP_MARKER)) {
    if (old === outDir) {
      tree.write(posix.join(outDir, OWNERSHIP_MARKER), 'Written by @repo/build-system: this folder is replaced on every build.\n');
      info.push(`${outDir}/ holds the old build's outputs: convert marks it as this plugin's (${OWNERSHIP_MARKER}), so the first build replaces it without --force.`);
    } else {
      warnings.push(
        `${outDir}/ already holds ${existing.length} entr${existing.length === 1 ? 'y' : 'ies'} that neither the old build nor this plugin wrote: the first build refuses to replace ${existing.length === 1 ? 'it' : 'them'}. Delete that folder, or build once with --force (\`nx build ${projectName} --force\`).`,
      );
    }
  }
  return { info, warnings };
}

interface PredictedFile {
  /** Relative to outDir. */
  path: string;
  /** Relative to the old output folder, when known exactly. */
  was?: string;
  note?: string;
}

function predictedFiles(tree: Tree, root: string, build: ConvertedBuild): PredictedFile[] {
  const type = packageType(tree, root) === 'module' ? 'module' : 'commonjs';
  const out: PredictedFile[] = [];
  for (const entry of build.entries) {
    for (const format of build.formats) {
      if (build.builder === 'tsc') {
        // tsc mirrors rootDir; a format other than the package type's goes to <outDir>/<format>/.
        const rootDir = build.rootDir?.wanted ?? build.tsconfigChain?.rootDir?.value ?? posix.dirname(posix.join(root, entry.file));
        const mirrored = posix.relative(rootDir || '.', posix.join(root, entry.file)).replace(/\.[cm]?tsx?$/, '.js');
        const native = (type === 'module' ? 'esm' : 'cjs') === format;
        out.push({ path: native ? mirrored : posix.join(format, mirrored), was: mirrored });
        if (build.dts) out.push({ path: (native ? mirrored : posix.join(format, mirrored)).replace(/\.js$/, '.d.ts'), was: mirrored.replace(/\.js$/, '.d.ts') });
      } else {
        const name = entry.name ?? entry.file.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
        out.push({ path: `${name}${outExtension(format, type)}` });
      }
    }
    if (build.builder !== 'tsc' && build.dts) {
      const name = entry.name ?? entry.file.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
      out.push({ path: `${name}.d.ts` });
    }
  }
  if (build.generatePackageJson) out.push({ path: 'package.json', was: 'package.json', note: 'packageJson.generate (was generatePackageJson): main/module/types/exports of these files' });
  return out;
}
