import type { Context, MiddlewareFn } from 'grammy';
import type { Logger } from 'pino';

/** Counts the updates being handled, so that shutdown can wait for their answers. */
export interface InFlightTracker {
  /** grammY middleware: the update counts as in flight while the rest of the chain runs. */
  middleware: MiddlewareFn<Context>;
  /** Runs `work` as one in-flight update (for code outside a middleware chain). */
  track<T>(updateId: number | undefined, work: () => Promise<T>): Promise<T>;
  /** Updates being handled now. */
  readonly count: number;
  /** Highest update id seen: confirming it with getUpdates keeps Telegram from resending it. */
  readonly lastUpdateId: number | undefined;
}

export function createInFlightTracker(): InFlightTracker {
  let count = 0;
  let lastUpdateId: number | undefined;
  const track = async <T>(updateId: number | undefined, work: () => Promise<T>): Promise<T> => {
    count++;
    if (updateId !== undefined && (lastUpdateId === undefined || updateId > lastUpdateId)) lastUpdateId = updateId;
    try {
      return await work();
    } finally {
      count--;
    }
  };
  return {
    middleware: (ctx, next) => track(ctx.update.update_id, next),
    track,
    get count() {
      return count;
    },
    get lastUpdateId() {
      return lastUpdateId;
    },
  };
}

/** The part of `process` shutdown needs; a test passes an EventEmitter and a fake exit. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface ShutdownOptions {
  logger: Logger;
  /** Stops taking updates: the runner's `stop()`, the webhook server's `close()`. */
  stopIntake: () => Promise<void> | void;
  /** Work still to finish; shutdown waits until it is zero or the time is up. */
  busy: () => number;
  /** Runs after the wait: confirm the last update, close the health server, dispose the model. */
  cleanup?: () => Promise<void> | void;
  /** Longest wait for answers in flight. @default 10000 */
  timeoutMs?: number;
  /** @default ['SIGINT', 'SIGTERM'] */
  signals?: readonly NodeJS.Signals[];
  /** @default process */
  source?: SignalSource;
  /** @default process.exit */
  exit?: (code: number) => void;
}

/**
 * Installs graceful shutdown. On the first SIGINT or SIGTERM: stop taking updates, wait (at most
 * `timeoutMs`) until nothing is busy, clean up, exit 0. Exits 1 when answers were still running
 * at the deadline or a step failed; a second signal exits 1 at once.
 * @returns `shutdown` to trigger the same sequence from code (e.g. after a fatal error)
 */
export function installShutdown(options: ShutdownOptions): { shutdown: (reason: string) => Promise<number> } {
  const { logger, stopIntake, busy, cleanup, timeoutMs = 10_000, signals = ['SIGINT', 'SIGTERM'], source = process } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<number> | undefined;

  const shutdown = (reason: string): Promise<number> => {
    running ??= (async () => {
      const started = Date.now();
      logger.info({ reason, inFlight: busy() }, 'shutting down: no new updates, finishing answers in flight');
      let code = 0;
      try {
        await stopIntake();
      } catch (error) {
        code = 1;
        logger.error({ err: error }, 'stopping intake failed');
      }
      const finished = await waitUntilIdle({ busy, timeoutMs });
      if (!finished) {
        code = 1;
        logger.warn({ inFlight: busy(), timeoutMs }, 'answers still running at the shutdown deadline');
      }
      try {
        await cleanup?.();
      } catch (error) {
        code = 1;
        logger.error({ err: error }, 'cleanup at shutdown failed');
      }
      logger.info({ code, ms: Date.now() - started }, 'stopped');
      exit(code);
      return code;
    })();
    return running;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (running) {
      logger.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    void shutdown(signal);
  };
  for (const signal of signals) source.on(signal, onSignal);
  return { shutdown };
}

/** Resolves true once `busy()` is zero, false if `timeoutMs` passes first. */
export async function waitUntilIdle(options: { busy: () => number; timeoutMs: number; pollMs?: number }): Promise<boolean> {
  const { busy, timeoutMs, pollMs = 20 } = options;
  const deadline = Date.now() + timeoutMs;
  while (busy() > 0) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
  }
  return true;
}
