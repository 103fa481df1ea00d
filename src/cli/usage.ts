import { COMMANDS, DEFAULT_COMMAND, GLOBAL_OPTIONS, type CommandSpec, type OptionSpec } from './commands';

/** The usage of the bin, or of one command. */
export function formatUsage(command?: CommandSpec): string {
  if (!command) {
    const width = Math.max(...COMMANDS.map((c) => c.name.length));
    return [
      'Usage: build-system [command] [options]',
      '',
      'Commands:',
      ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}${c.name === DEFAULT_COMMAND ? ' (the default)' : ''}`),
      '',
      'Options:',
      ...optionLines(GLOBAL_OPTIONS),
      '',
      'Run `build-system <command> --help` for the options of a command.',
      '',
    ].join('\n');
  }
  const options = [...command.options, ...GLOBAL_OPTIONS.filter((o) => o.name === 'help' || (o.name === 'json' && command.json))];
  const synopsis = [command.args, ...options.filter((o) => o.name !== 'help').map((o) => `[${synopsisFlag(o)}]`)];
  return [
    `Usage: build-system ${[command.name, ...synopsis].filter(Boolean).join(' ')}`,
    '',
    command.description,
    '',
    'Options:',
    ...optionLines(options),
    '',
  ].join('\n');
}

function optionLines(options: OptionSpec[]): string[] {
  const labels = options.map(optionLabel);
  const width = Math.max(...labels.map((l) => l.length));
  return options.map((o, i) => `  ${labels[i].padEnd(width)}  ${o.description}`);
}

/** `-c, --configuration <environment>` */
function optionLabel(o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.valueName ? ` <${o.valueName}>` : ''}`;
}

/** `-c <environment>` */
function synopsisFlag(o: OptionSpec): string {
  return `${o.short ? `-${o.short}` : `--${o.name}`}${o.valueName ? ` <${o.valueName}>` : ''}`;
}
