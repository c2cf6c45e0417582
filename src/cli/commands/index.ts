import { defineCommand } from 'citty';
import { addArticleCommand } from './add-article.js';
import { askCommand } from './ask.js';
import { buildIndexCommand } from './build-index.js';
import { chatCommand } from './chat.js';
import { checkConfigCommand } from './check-config.js';
import { evalCommand } from './eval.js';
import { fetchModelCommand } from './fetch-model.js';

/**
 * Every command of the CLI, declared as data; `npm run <name>` runs the one of that name. The
 * development commands (`bench`, `soak`) have their own entry point, bench/main.ts.
 */
export const rootCommand = defineCommand({
  meta: { name: 'dushanbe-quotes', description: 'Answers questions about a corpus of news articles with verbatim, attributed quotes' },
  subCommands: {
    ask: askCommand,
    chat: chatCommand,
    eval: evalCommand,
    'build-index': buildIndexCommand,
    'fetch-model': fetchModelCommand,
    'check-config': checkConfigCommand,
    'add-article': addArticleCommand,
  },
});
