#!/usr/bin/env node
/**
 * `npx build-system list [--json] [-c <environment>]`: every buildable package with its builder,
 * environments and resolved options, each with where its value came from.
 */
import { parseArgs } from 'node:util';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      configuration: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0] ?? 'list';
  if (values.help || command !== 'list') {
    process.stdout.write('Usage: build-system list [--json] [-c <environment>]\n');
    return values.help ? 0 : 1;
  }
  const { workspaceRoot } = await import('@nx/devkit');
  const { listBuildableProjects, formatBuildableTable } = await import('./nx/list-buildable');
  const projects = await listBuildableProjects({ workspaceRoot, configuration: values.configuration });
  process.stdout.write(values.json ? `${JSON.stringify(projects, null, 2)}\n` : formatBuildableTable(projects));
  return projects.some((p) => p.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
    process.exit(1);
  },
);
