/**
 * `npm start`: the Telegram bot, by long polling or (with WEBHOOK_URL) by webhook. The
 * composition root: the only place that reads the environment, builds the dependencies,
 * starts the bot and handles signals.
 */
import { config as loadDotenv } from 'dotenv';
import type { Logger } from 'pino';
import { parseAppConfig } from './config.js';
import { createBot } from '../bot/create-bot.js';
import { createEngineHolder, type EngineHolder, type ReloadResult } from './serving/engine-holder.js';
import { loadEngineInWorker, type WorkerEngine } from './serving/worker-engine.js';
import { isExpectedError } from '../core/errors.js';
import { createHealth } from '../http/health.js';
import { startHttpServer } from '../http/server.js';
import { createScrubber } from '../core/redact.js';
import { createLogger } from './logger.js';
import { startIntake, type Intake } from './intake.js';
import { installShutdown } from './shutdown.js';
import { openSharedState, type SharedState } from './replicas/shared-state.js';
import { chooseBackend } from '../backend/backend.js';
import { urlSecrets } from '../store/postgres/connect.js';
import type { Reachability } from '../store/postgres/reachability.js';

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
  const config = parseAppConfig(process.env);
  // Where the index lives (files or PostgreSQL): chosen once, here.
  const backend = chooseBackend(config.engine);
  // Readable lines for a person at a terminal in development; JSON in production and when piped.
  const logger = createLogger({
    level: config.engine.logLevel,
    pretty: process.env.NODE_ENV !== 'production' && process.stderr.isTTY === true,
    secrets: [config.bot.token, config.server.webhook?.secret, ...backend.secrets],
  });

  // SIGHUP's default action ends the process, so it is handled from the first moment. Before
  // the index is loaded there is nothing to reload yet: the request is kept for after start-up.
  let engines: EngineHolder | undefined;
  let reloadAfterStart = false;
  process.on('SIGHUP', () => {
    if (!engines) {
      reloadAfterStart = true;
      logger.info('SIGHUP during start-up: the index is reloaded once the bot has started');
      return;
    }
    void engines.reload().then((result) => logReload(logger, result));
  });

  // /healthz answers "starting" while the model and the index load.
  const health = createHealth();
  const { port, host } = config.server;
  const http = port !== undefined ? await startHttpServer({ port, host, routes: [health.route] }) : undefined;
  if (http) logger.info({ port: http.port, host, mode: config.server.mode }, 'http server listening (/healthz)');

  // Installed before anything slow, so that a signal during start-up also ends cleanly.
  let intake: Intake | undefined;
  let initial: WorkerEngine | undefined;
  let shared: SharedState | undefined;
  let database: Reachability | undefined;
  let stopWatching = () => {};
  installShutdown({
    logger,
    timeoutMs: config.server.shutdownTimeoutMs,
    stopIntake: async () => {
      health.markStopping();
      stopWatching();
      await intake?.stop();
    },
    busy: () => intake?.pending() ?? 0,
    cleanup: async () => {
      // A failed confirmation only means Telegram may deliver the last updates once more.
      await intake?.confirm().catch((error: unknown) => logger.warn({ err: error }, 'could not confirm the last updates to Telegram'));
      if (http) {
        http.server.closeAllConnections();
        await http.close();
      }
      await database?.stop();
      await (engines ?? initial)?.dispose();
      await shared?.close();
    },
  });

  // The engine (model and index) lives in a worker thread: loading one, at start or on reload,
  // never blocks this thread, which talks to Telegram and answers /healthz.
  const loadEngine = () =>
    loadEngineInWorker({
      config: config.engine,
      onExit: (code) => {
        logger.error({ code }, 'the answer engine stopped unexpectedly; loading it again');
        void engines?.reload().then((result) => logReload(logger, result));
      },
    });
  logger.info({ model: config.engine.embeddingModel, index: backend.describe }, 'loading model and index');
  // With a database, replicas share it: the live index, rate limits, webhook updates and follow-up context.
  const { databaseUrl } = config.engine;
  shared = databaseUrl ? await openSharedState({ url: databaseUrl, botId: config.bot.token.split(':')[0] ?? '', logger }) : undefined;
  initial = await loadEngine();
  // With a database the shared state already listens for new builds; files are watched.
  const holder = createEngineHolder({ initial, load: loadEngine, live: shared?.live ?? backend.live() });
  logger.info({ build: initial.build, articles: initial.engine.info.articles, chunks: initial.engine.info.chunks }, 'index loaded');

  const bot = createBot({
    token: config.bot.token,
    apiRoot: config.bot.apiRoot,
    engines: holder,
    adminIds: config.bot.adminIds,
    logger,
    questionsPerMinute: config.bot.questionsPerMinute,
    maxQuestionChars: config.bot.maxQuestionChars,
    ...(shared ? { createLimiter: shared.createLimiter, conversations: shared.conversations } : {}),
  });
  intake = await startIntake({
    bot,
    logger,
    webhook: config.server.webhook,
    http,
    onFatal: (error) => exitWithError(error),
    ...(shared ? { ledger: shared.ledger } : {}),
  });
  health.markReady(() => holder.current.info);
  // With a database, every answer needs it: while it does not answer, /healthz says so (503,
  // "database unreachable") and the log names the outage, so that replicas that can answer
  // nothing get no users and an operator looks at the database, not at the index.
  if (backend.watchReachability) {
    database = backend.watchReachability((reachable, error) => {
      if (reachable) {
        health.markAvailable();
        logger.info('database reachable again; answering');
      } else {
        health.markUnavailable('database unreachable');
        logger.error({ reason: error instanceof Error ? error.message : String(error) }, 'database unreachable: questions cannot be answered until it is back');
      }
    });
  }

  stopWatching = holder.watch({
    onReload: (result) => logReload(logger, result),
    onWatchError: (error) => {
      // Not a rejected index: the folder watch broke, or the database connection that hears of
      // new builds dropped (it reconnects by itself). Whether the database itself is gone is
      // for the reachability check to say, now.
      logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'the watch on the live index failed; the index served is unchanged');
      database?.check();
    },
  });
  engines = holder;
  if (reloadAfterStart) void holder.reload().then((result) => logReload(logger, result));
}

/**
 * Expected errors print one line and exit 1; anything else is a bug: stack and exit 2. Either
 * way the bot token and the webhook secret are scrubbed first: an error from the Bot API may
 * quote the request path, which holds the token. They are read from the environment as given,
 * so even a configuration that failed to parse is covered.
 */
function exitWithError(error: unknown): never {
  const scrub = createScrubber([process.env.BOT_TOKEN?.trim(), process.env.WEBHOOK_SECRET?.trim(), ...urlSecrets(process.env.DATABASE_URL?.trim())]);
  if (isExpectedError(error)) {
    process.stderr.write(`error: ${scrub(error.message)}\n`);
    process.exit(1);
  }
  process.stderr.write(`unexpected error: ${scrub(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
  process.exit(2);
}

await main().catch(exitWithError);
