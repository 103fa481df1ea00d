/**
 * What builder `auto` picks on this machine: "bun@<version>" when a working bun binary is found from
 * the workspace root, else "esbuild". Shared by inference (the target's autoBuilder option) and
 * `build-system list`, so both always agree.
 */
export async function detectAutoBuilder(workspaceRoot: string): Promise<string> {
  try {
    const { findBun } = await import('../adapters/bun/find-bun');
    const { bun } = await findBun({ workspaceRoot, packageRoot: workspaceRoot });
    return bun ? `bun@${bun.version}` : 'esbuild';
  } catch {
    return 'esbuild';
  }
}
