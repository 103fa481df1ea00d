#!/usr/bin/env node
/**
 * The `build-system` bin (usage in cli/usage.ts). Exit codes: 0 done, 1 the command failed (list: a
 * config has an error), 2 the command line is wrong: one line saying what, then the usage.
 */
import { isBuildSystemError } from './errors';
import { runListCommand } from './cli/list-command';
import { parseCommandLine } from './cli/parse-command-line';
import { formatUsage } from './cli/usage';

async function main(argv: string[]): Promise<number> {
  const invocation = parseCommandLine(argv);
  switch (invocation.kind) {
    case 'usage-error':
      process.stderr.write(`build-system: ${invocation.message}\n\n${formatUsage(invocation.command)}`);
      return 2;
    case 'help':
      process.stdout.write(formatUsage(invocation.command));
      return 0;
    case 'version': {
      const { name, version } = require('../package.json') as { name: string; version: string };
      process.stdout.write(invocation.json ? `${JSON.stringify({ name, version })}\n` : `${version}\n`);
      return 0;
    }
    case 'run':
      return runListCommand({ json: invocation.json, configuration: invocation.values.configuration });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    // A stack only helps when asked for, as Nx does.
    const text = isBuildSystemError(e) ? e.format() : process.env.NX_VERBOSE_LOGGING === 'true' ? String((e as Error)?.stack ?? e) : `build-system: ${(e as Error)?.message ?? e}`;
    process.stderr.write(`${text}\n`);
    process.exit(1);
  },
);
