import { run } from '@grammyjs/runner';
import pino from 'pino';
import { createEngineHolder } from '../../src/app/serving/engine-holder.js';
import { createBot } from '../../src/bot/create-bot.js';
import { startEmulator } from '../../tools/telegram/emulator.js';
import { createTestEngine } from './engine.js';

/**
 * The real bot, polling the Telegram emulator over HTTP exactly as it polls Telegram, on a test
 * engine built from the corpus with the given model. `stop` stops the bot before the emulator,
 * so no poll is left hanging, then removes the index.
 */
export async function startEmulatedBot(options: { token: string; model?: NonNullable<Parameters<typeof createTestEngine>[0]>['model'] }) {
  const fixture = await createTestEngine({ model: options.model });
  const emulator = await startEmulator();
  const bot = createBot({
    token: options.token,
    apiRoot: emulator.apiRoot,
    engines: createEngineHolder({ initial: { engine: fixture.engine, build: fixture.build }, indexDir: fixture.indexDir, embedder: fixture.embedder }),
    adminIds: [],
    logger: pino({ level: 'silent' }),
    questionsPerMinute: 100,
    maxQuestionChars: 500,
  });
  const runner = run(bot);
  return {
    fixture,
    emulator,
    stop: async () => {
      if (runner.isRunning()) await runner.stop();
      await emulator.stop();
      await fixture.close();
    },
  };
}
