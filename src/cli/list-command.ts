/** `build-system list`: reads the project graph, so it loads Nx (the engine never does). */
export async function runListCommand(options: { json: boolean; configuration?: string }): Promise<number> {
  const { workspaceRoot } = await import('@nx/devkit');
  const { listBuildableProjects, formatBuildableTable } = await import('../nx/list-buildable');
  const projects = await listBuildableProjects({ workspaceRoot, configuration: options.configuration });
  process.stdout.write(options.json ? `${JSON.stringify(projects, null, 2)}\n` : formatBuildableTable(projects));
  // A config with an error is a failure a script should see, though every other package is listed.
  return projects.some((p) => p.error) ? 1 : 0;
}
