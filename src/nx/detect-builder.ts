/**
 * Prints what `builder: 'auto'` resolves to on this machine ("bun 1.3.0" or "esbuild 0.28.2").
 * Inference adds it as a runtime input, so a machine with bun and one without never share a
 * cache entry that only one of them could have produced. Runs at the workspace root.
 */
import { selectAdapter } from '../adapters/registry';

const root = process.cwd();
selectAdapter('auto', { workspaceRoot: root, packageRoot: root }).then(
  ({ adapter, availability }) => process.stdout.write(`${adapter.name} ${availability.version ?? ''}\n`),
  (e: Error) => process.stdout.write(`unavailable ${e.message}\n`),
);
