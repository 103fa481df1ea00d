import { parseArgs } from 'node:util';
import { suggest } from '../errors';
import { COMMANDS, DEFAULT_COMMAND, GLOBAL_OPTIONS, type CommandSpec, type OptionSpec } from './commands';

/** What the command line asks for; a mistake in it is a value too, so the bin can say it in one line. */
export type Invocation =
  | { kind: 'run'; command: CommandSpec; json: boolean; values: Record<string, string> }
  | { kind: 'help'; command?: CommandSpec }
  | { kind: 'version'; json: boolean }
  | { kind: 'usage-error'; message: string; command?: CommandSpec };

export function parseCommandLine(argv: string[]): Invocation {
  // Not strict: Node's own errors come as stack traces, worded differently per Node version. Every
  // option of every command is declared so `-c <value>` is read as one option wherever it stands.
  const every = [...GLOBAL_OPTIONS, ...COMMANDS.flatMap((c) => c.options)];
  const { tokens } = parseArgs({
    args: argv,
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: Object.fromEntries(every.map((o) => [o.name, { type: o.valueName ? 'string' : 'boolean', ...(o.short ? { short: o.short } : {}) } as const])),
  });
  const positionals = tokens.flatMap((t) => (t.kind === 'positional' ? [t.value] : []));
  const named = positionals[0];
  const command = findCommand(named ?? DEFAULT_COMMAND);
  if (!command) {
    // Say the first mistake as typed: in `-C lst`, the option.
    const index = tokens.find((t) => t.kind === 'positional')!.index;
    const before = tokens.find((t) => t.kind === 'option' && t.index < index && !every.some((o) => o.name === t.name));
    if (before?.kind === 'option') return { kind: 'usage-error', message: unknownOption(argv[before.index], before.rawName, GLOBAL_OPTIONS) };
    return { kind: 'usage-error', message: unknownCommand(named) };
  }
  const shownUsage = named === undefined ? undefined : command;

  const allowed = [...GLOBAL_OPTIONS, ...command.options];
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = allowed.find((o) => o.name === token.name);
    if (!spec) return { kind: 'usage-error', message: unknownOption(argv[token.index], token.rawName, allowed), command: shownUsage };
    if (spec.valueName) {
      // `-c --json` is a forgotten value, not an environment named "--json"; `-c=-x` stays possible.
      if (!token.value || (!token.inlineValue && token.value.startsWith('-'))) {
        return { kind: 'usage-error', message: `option "${token.rawName}" needs a value: ${token.rawName} <${spec.valueName}>`, command: shownUsage };
      }
      values[spec.name] = token.value;
    } else {
      if (token.value !== undefined) return { kind: 'usage-error', message: `option "--${spec.name}" takes no value`, command: shownUsage };
      flags.add(spec.name);
    }
  }

  const topic = command.name === 'help' ? positionals[1] : undefined;
  const extra = positionals.slice(command.name === 'help' ? 2 : 1);
  if (extra.length) return { kind: 'usage-error', message: `unexpected argument "${extra[0]}" (${command.name} takes ${command.args ?? 'no arguments'})`, command };
  if (topic !== undefined && !findCommand(topic)) return { kind: 'usage-error', message: unknownCommand(topic) };

  if (flags.has('help')) return { kind: 'help', command: shownUsage };
  if (command.name === 'help') return { kind: 'help', command: topic === undefined ? undefined : findCommand(topic) };
  if (flags.has('version')) return { kind: 'version', json: flags.has('json') };
  return { kind: 'run', command, json: flags.has('json'), values };
}

function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function unknownCommand(name: string): string {
  return `unknown command "${name}"${didYouMean(suggest(name, COMMANDS.map((c) => c.name)))}`;
}

/** `arg` is the word as typed: `-json` reaches here as the short option `-j`, but is meant as `--json`. */
function unknownOption(arg: string, rawName: string, allowed: OptionSpec[]): string {
  const long = rawName.startsWith('--');
  const word = long ? rawName.slice(2) : /^-[^-]{2,}/.test(arg) ? arg.slice(1).split('=')[0] : undefined;
  const shown = word && !long ? `-${word}` : rawName;
  const hint = word
    ? suggest(word, allowed.map((o) => o.name))
    : allowed.find((o) => o.short && o.short.toLowerCase() === rawName.slice(1).toLowerCase())?.short;
  return `unknown option "${shown}"${didYouMean(hint && (word ? `--${hint}` : `-${hint}`))}`;
}

function didYouMean(hint: string | undefined): string {
  return hint ? ` — did you mean "${hint}"?` : '';
}
