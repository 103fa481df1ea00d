import type { TaskGraph } from '@nx/devkit';

/**
 * One entry of `TaskGraph.dependencies`: a task id on Nx 23, a `TaskGraphEdge` on Nx 24
 * (nrwl/nx#37224). Typed here so the sources compile against either major's types.
 */
export type TaskDependencyEdge = string | { id: string; waitFor?: 'started' | 'ready'; inputs?: false };

/**
 * The tasks `taskId` must wait for before it starts. On Nx 24 `waitFor` and `inputs` only qualify
 * continuous dependencies (`continuousDependencies`, a server a task talks to): a discrete
 * dependency, the only kind a build has, always means "finished", whatever the edge says.
 */
export function dependencyIds(taskGraph: Pick<TaskGraph, 'dependencies'>, taskId: string): string[] {
  const edges = (taskGraph.dependencies[taskId] ?? []) as readonly TaskDependencyEdge[];
  return edges.map((edge) => (typeof edge === 'string' ? edge : edge.id));
}
