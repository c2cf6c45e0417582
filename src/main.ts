// bot wiring complete
/**
 * `npm start`: the Telegram bot with long polling. The composition root: the only place that
 * reads the environment, builds the dependencies, starts the bot and handles signals.
 */
import { config as loadDotenv } from 'dotenv';
import type { Logger } from 'pino';
import { parseBotConfig, type BotConfig } from './bot/config.js';
import { createBot } from './bot/create-bot.js';
import { startPolling } from './bot/start-polling.js';
import { parseEngineConfig, type EngineConfig, type Env } from './config.js';
import { createEngineFromConfig } from './engine/create.js';
import { createEngineHolder, type EngineHolder, type ReloadResult } from './engine/engine-holder.js';
import { ConfigError, isExpectedError } from './errors.js';
import { createLogger } from './logger.js';

/** Both configurations at once, so one line names every bad variable. */
function parseConfigs(env: Env): { engine: Readonly<EngineConfig>; bot: Readonly<BotConfig> } {
  const problems: string[] = [];
  const attempt = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message.replace(/^invalid configuration: /, ''));
      return undefined;
    }
  };
  const engine = attempt(() => parseEngineConfig(env));
  const bot = attempt(() => parseBotConfig(env));
  if (!engine || !bot) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return { engine, bot };
}

function logReload(logger: Logger, result: ReloadResult): void {
  if (result.status === 'failed') {
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    logger.error({ build: result.build, reason }, 'new index rejected; still serving the previous one');
  } else {
    logger.info({ status: result.status, build: result.build }, 'index reload');
  }
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = parseConfigs(process.env);
  const logger = createLogger({ level: config.engine.logLevel, pretty: process.stderr.isTTY, secrets: [config.bot.token] });
  logger.info({ model: config.engine.embeddingModel, indexDir: config.engine.indexDir }, 'loading model and index');
  const { engine, build, embedder } = await createEngineFromConfig({ config: config.engine });
  const engines: EngineHolder = createEngineHolder({ initial: { engine, build }, indexDir: config.engine.indexDir, embedder });
  logger.info({ build, articles: engine.info.articles, chunks: engine.info.chunks }, 'index loaded');

  const bot = createBot({
    token: config.bot.token,
    apiRoot: config.bot.apiRoot,
    engines,
    adminIds: config.bot.adminIds,
    logger,
    questionsPerMinute: config.bot.questionsPerMinute,
    maxQuestionChars: config.bot.maxQuestionChars,
  });
  const runner = await startPolling({ bot, logger, onFatal: (error) => exitWithError(error) });

  const stopWatching = engines.watch({ onReload: (result) => logReload(logger, result) });
  process.on('SIGHUP', () => void engines.reload().then((result) => logReload(logger, result)));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    stopWatching();
    if (runner.isRunning()) await runner.stop();
    await embedder.dispose();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/** Expected errors print one line and exit 1; anything else is a bug: stack and exit 2. */
function exitWithError(error: unknown): never {
  if (isExpectedError(error)) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
}

await main().catch(exitWithError);
