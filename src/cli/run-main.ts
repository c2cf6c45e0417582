import { renderUsage, runCommand, type CommandDef } from 'citty';
import { InputError, isExpectedError } from '../core/errors.js';
import type { CliIo } from './io.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Runs the command line `rawArgs` against a command tree and returns the exit code, never
 * exiting: `--help` prints the usage of the command named (0); an expected error prints one
 * line, `error: …` (1); anything else is a bug and prints its stack (2). An unknown command or
 * option is an expected error, with the usage.
 */
export async function runMain(options: { root: CommandDef; rawArgs: string[]; io: CliIo }): Promise<number> {
  const { root, rawArgs, io } = options;
  try {
    const { command, parents, rest } = await resolve(root, rawArgs);
    if (rest.includes('--help') || rest.includes('-h')) {
      const usage = await renderUsage(command, parents.at(-1));
      // Colours for a person at a terminal; plain text when piped or captured.
      io.stdout.write(`${io.stdout.isTTY ? usage : usage.replace(ANSI, '')}\n`);
      return 0;
    }
    await checkOptions({ command, rest, usage: () => renderUsage(command, parents.at(-1)) });
    const { result } = await runCommand(command, { rawArgs: rest, data: { io } });
    return typeof result === 'number' ? result : 0;
  } catch (error) {
    if (isExpectedError(error)) {
      io.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    io.stderr.write(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}

/** Follows subcommand names down the tree; what is left is the command's own arguments. */
async function resolve(root: CommandDef, rawArgs: string[]): Promise<{ command: CommandDef; parents: CommandDef[]; rest: string[] }> {
  let command = root;
  const parents: CommandDef[] = [];
  let rest = rawArgs;
  for (;;) {
    const subCommands = await value(command.subCommands);
    if (!subCommands) return { command, parents, rest };
    const name = rest[0];
    if (name === undefined || name.startsWith('-')) {
      if (rest.includes('--help') || rest.includes('-h') || command.run) return { command, parents, rest };
      throw new InputError(`a command is needed: ${Object.keys(subCommands).join(', ')} (add --help to any of them)`);
    }
    const next = subCommands[name];
    if (!next) throw new InputError(`unknown command "${name}"; the commands are ${Object.keys(subCommands).join(', ')}`);
    const resolved = await value(next);
    if (!resolved) throw new InputError(`the command "${name}" is not available in this build`);
    parents.push(command);
    command = resolved;
    rest = rest.slice(1);
  }
}

/** Refuses options the command does not declare (citty would pass them on silently). */
async function checkOptions(options: { command: CommandDef; rest: string[]; usage: () => Promise<string> }): Promise<void> {
  const declared = (await value(options.command.args)) ?? {};
  const known = new Set<string>();
  for (const [name, arg] of Object.entries(declared)) {
    if (arg.type === 'positional') continue;
    known.add(name);
    for (const alias of ['alias' in arg ? (arg.alias ?? []) : []].flat()) known.add(alias);
    if (arg.type === 'boolean') known.add(`no-${name}`);
  }
  for (const token of options.rest) {
    if (token === '--') break;
    const match = /^--?([^=]+)/.exec(token);
    if (!match || /^-\d/.test(token)) continue;
    if (!known.has(match[1] ?? '')) {
      const usage = (await options.usage()).replace(ANSI, '').split('\n').find((line) => line.startsWith('USAGE')) ?? '';
      throw new InputError(`unknown option ${token}${usage ? `; usage: ${usage.replace(/^USAGE\s*/, '')}` : ''}`);
    }
  }
}

async function value<T>(resolvable: T | Promise<T> | (() => T | Promise<T>) | undefined): Promise<T | undefined> {
  return typeof resolvable === 'function' ? await (resolvable as () => T | Promise<T>)() : await resolvable;
}
