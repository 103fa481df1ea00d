/**
 * Prints what `builder: 'auto'` resolves to on this machine: "bun 1.3.0", or "esbuild" (whose
 * version is already an input through the lockfile). Inference adds it as a runtime input, so a
 * machine with bun and one without never share a cache entry that only one of them could have
 * produced. Nx runs it once per command at the workspace root: it loads only the bun lookup.
 */
import { findBun } from '../adapters/bun/find-bun';

const root = process.cwd();
findBun({ workspaceRoot: root, packageRoot: root }).then(
  ({ bun }) => process.stdout.write(bun ? `bun ${bun.version}\n` : 'esbuild\n'),
  () => process.stdout.write('esbuild\n'),
);
