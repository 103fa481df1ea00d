import { resolve } from 'node:path';
import { readCachedProjectGraph, readJson, workspaceRoot, type ProjectGraph, type Tree } from '@nx/devkit';

export interface GraphDependencies {
  /** npm package → version range. */
  npm: Record<string, string>;
  /** Workspace projects the project imports (not written: their published names and versions are the owner's call). */
  projects: string[];
}

/**
 * What the old `generatePackageJson` put into `dependencies`: the npm packages Nx's project graph
 * says the project imports, with the workspace package.json's range (else the locked version).
 * The graph `nx g` computed before running the generator is read from Nx's cache; a Tree that is
 * not the workspace on disk (a unit test's) has none.
 */
export function readGraphDependencies(tree: Tree, project: string): GraphDependencies | undefined {
  if (resolve(tree.root) !== resolve(workspaceRoot)) return undefined;
  let graph: ProjectGraph;
  try {
    graph = readCachedProjectGraph();
  } catch {
    return undefined;
  }
  const root = tree.exists('package.json') ? readJson<Record<string, Record<string, string> | undefined>>(tree, 'package.json') : {};
  return graphDependencies(graph, project, { ...root.devDependencies, ...root.dependencies });
}

export function graphDependencies(graph: ProjectGraph, project: string, rootRanges: Record<string, string>): GraphDependencies | undefined {
  if (!graph.nodes[project]) return undefined;
  const npm: Record<string, string> = {};
  const projects: string[] = [];
  for (const dep of graph.dependencies[project] ?? []) {
    const external = graph.externalNodes?.[dep.target];
    if (external && external.type === 'npm') {
      const name = external.data.packageName;
      npm[name] = rootRanges[name] ?? external.data.version;
    } else if (graph.nodes[dep.target] && dep.target !== project) projects.push(dep.target);
  }
  return { npm: Object.fromEntries(Object.entries(npm).sort(([a], [b]) => a.localeCompare(b))), projects: [...new Set(projects)].sort() };
}
