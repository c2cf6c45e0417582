import { defineCommand } from 'citty';
import { askCommand } from './ask.js';
import { buildIndexCommand } from './build-index.js';
import { chatCommand } from './chat.js';
import { checkConfigCommand } from './check-config.js';
import { evalCommand } from './eval.js';
import { fetchModelCommand } from './fetch-model.js';

/** A development command, loaded from bench/ only when run (it is not part of the build). */
const devCommand = (name: 'benchCommand' | 'soakCommand') => async () => {
  const path = '../../../bench/commands.js';
  const module = (await import(path)) as Record<typeof name, import('citty').CommandDef>;
  return module[name];
};

/** Every command of the CLI, declared as data; `npm run <name>` runs the one of that name. */
export const rootCommand = defineCommand({
  meta: { name: 'dushanbe-quotes', description: 'Answers questions about a corpus of news articles with verbatim, attributed quotes' },
  subCommands: {
    ask: askCommand,
    chat: chatCommand,
    eval: evalCommand,
    'build-index': buildIndexCommand,
    'fetch-model': fetchModelCommand,
    'check-config': checkConfigCommand,
    bench: devCommand('benchCommand'),
    soak: devCommand('soakCommand'),
  },
});
