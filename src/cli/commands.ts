/** What the `build-system` bin accepts: its commands and options, as usage and the parser read them. */
export interface OptionSpec {
  name: string;
  short?: string;
  /** Set for options that take a value: its placeholder in the usage. */
  valueName?: string;
  description: string;
}

export interface CommandSpec {
  name: 'list' | 'help';
  /** Positional arguments after the command name, for the usage line. */
  args?: string;
  /** One line, in the list of commands. */
  summary: string;
  /** What `build-system <command> --help` says. */
  description: string;
  options: OptionSpec[];
  /** Prints data, so takes --json. */
  json: boolean;
}

/** Accepted before or after any command. */
export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: 'json', description: 'print JSON instead of text' },
  { name: 'help', short: 'h', description: 'show help' },
  { name: 'version', description: 'print the version of @repo/build-system' },
];

export const COMMANDS: CommandSpec[] = [
  {
    name: 'list',
    summary: 'every buildable package with its resolved options',
    description:
      'Every buildable package with its builder (and what "auto" picks on this machine), its environments,\n' +
      'and each resolved option with where its value came from. Exits 1 when a config has an error.',
    options: [
      { name: 'configuration', short: 'c', valueName: 'environment', description: 'resolve for this environment (default: development, or ci when CI is set)' },
    ],
    json: true,
  },
  { name: 'help', args: '[command]', summary: 'show help for a command', description: 'Show the usage, or that of one command.', options: [], json: false },
];

/** Runs when no command is named. */
export const DEFAULT_COMMAND = 'list';
