/**
 * Checks the bot's configuration (environment and .env) and nothing else: `npm start` runs it
 * first, so a missing BOT_TOKEN is reported at once, not after compiling and indexing.
 * Usage: npm run check-config
 */
import { parseAppConfig } from '../src/app/config.js';
import { runCli } from '../src/cli/run.js';

await runCli(async () => {
  parseAppConfig(process.env);
});
