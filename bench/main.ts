/**
 * The development command line: `tsx bench/main.ts <bench|soak> [options]` (`npm run bench`,
 * `npm run soak`). Its own entry point, beside the product's (src/cli/main.ts): these commands
 * drive the bot through test doubles and dev dependencies, and neither the build nor the image
 * has them.
 */
import { defineCommand } from 'citty';
import { config as loadDotenv } from 'dotenv';
import { runMain } from '../src/cli/run-main.js';
import { benchCommand, soakCommand } from './commands.js';

export const devRootCommand = defineCommand({
  meta: { name: 'dushanbe-quotes-dev', description: 'Benchmarks and the load test of the bot' },
  subCommands: { bench: benchCommand, soak: soakCommand },
});

loadDotenv({ quiet: true });
process.exitCode = await runMain({
  root: devRootCommand,
  rawArgs: process.argv.slice(2),
  io: { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env },
});
