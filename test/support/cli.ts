import { Readable } from 'node:stream';
import { rootCommand } from '../../src/cli/commands/index.js';
import { runMain } from '../../src/cli/run-main.js';
import type { RunResult } from './spawn.js';
import { SEED_CORPUS } from './seed-corpus.js';

/**
 * Runs a command line in this process, as `npm run <command> -- …` would: the same command
 * tree and error handling, with captured output and the given environment only (CORPUS_DIR
 * is the seed fixture unless given).
 */
export async function runCli(options: { args: string[]; env?: Record<string, string>; input?: string }): Promise<RunResult> {
  const { args, env = {}, input = '' } = options;
  let stdout = '';
  let stderr = '';
  const code = await runMain({
    root: rootCommand,
    rawArgs: args,
    io: {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: Readable.from([input]),
      env: { LOG_LEVEL: 'warn', CORPUS_DIR: SEED_CORPUS, ...env },
    },
  });
  return { code, stdout, stderr };
}
