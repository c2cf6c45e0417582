import { defineCommand } from 'citty';
import { parseAppConfig } from '../../app/config.js';
import { ioOf } from '../io.js';

/**
 * `check-config`: checks the bot's configuration (environment and .env) and nothing else.
 * `npm start` runs it first, so a missing BOT_TOKEN is reported at once, not after compiling.
 */
export const checkConfigCommand = defineCommand({
  meta: { name: 'check-config', description: "Check the bot's configuration: one line naming each bad variable" },
  run(context) {
    parseAppConfig(ioOf(context).env);
    return 0;
  },
});
