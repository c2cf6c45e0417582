import { config as loadDotenv } from 'dotenv';
import { isExpectedError } from '../core/errors.js';

/**
 * Runs a command-line program: loads `.env` (without printing, so stdout stays clean), then
 * turns an expected error into one line on stderr and exit code 1, and anything else into a
 * stack trace and exit code 2.
 */
export async function runCli(main: () => Promise<number | void>): Promise<void> {
  loadDotenv({ quiet: true });
  try {
    const code = await main();
    process.exitCode = code ?? 0;
  } catch (error) {
    if (isExpectedError(error)) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    }
  }
}
