/**
 * Child process entry for `builderOptions.config` (see config-in-child.ts): builds one package
 * with its own rollup config in the package folder, the working directory `rollup -c` would have.
 * argv[2] is a JSON file with the serialisable AdapterInput; every log line and the outcome go to
 * stdout as one line each behind MESSAGE_PREFIX (anything else on stdout is the config's own output).
 */
import { readFileSync } from 'node:fs';
import type { AdapterInput } from '../types';
import { MESSAGE_PREFIX } from './config-in-child';

async function main(): Promise<void> {
  const send = (message: unknown) => process.stdout.write(`${MESSAGE_PREFIX}${JSON.stringify(message)}\n`);
  const input = JSON.parse(readFileSync(process.argv[2], 'utf8')) as AdapterInput;
  const { rollupAdapter } = await import('./index');
  // The parent stops this process (its whole group) on cancel or timeout: no signal of our own.
  const outcome = await rollupAdapter.build(
    { ...input, env: process.env, dts: false, inChild: true, log: (text, stream) => send({ log: text, stream }), phase: undefined } as AdapterInput,
    new AbortController().signal,
  );
  send({ outcome });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
