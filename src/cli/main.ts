/**
 * The command line: `node src/cli/main.ts <command> [options]` (the npm scripts run it). The
 * only place that reads `.env`, `process.argv` and sets the exit code; the commands themselves
 * get their streams and environment as data, so tests run them in-process.
 */
import { config as loadDotenv } from 'dotenv';
import { rootCommand } from './commands/index.js';
import { runMain } from './run-main.js';

// Quiet: stdout carries only what the command prints (answers, JSON).
loadDotenv({ quiet: true });
process.exitCode = await runMain({
  root: rootCommand,
  rawArgs: process.argv.slice(2),
  io: { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env },
});
