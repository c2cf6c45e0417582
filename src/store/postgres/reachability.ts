import { createPgPool } from './connect.js';

/** How often the database is asked whether it answers, and how long an answer may take. */
export const REACHABILITY = Object.freeze({ intervalMs: 5_000, timeoutMs: 3_000 });

export interface Reachability {
  /** Asks now, rather than at the next interval (e.g. when another connection just dropped). */
  check(): void;
  stop(): Promise<void>;
}

/**
 * Watches whether the database answers: a `SELECT 1` on a connection of its own every
 * `intervalMs`, and at once on `check()`. `onChange` hears each change only (the first
 * failure, the first success after one), with the error that made it unreachable.
 */
export function watchReachability(options: {
  url: string;
  onChange: (reachable: boolean, error?: unknown) => void;
  intervalMs?: number;
  timeoutMs?: number;
}): Reachability {
  const { url, onChange, intervalMs = REACHABILITY.intervalMs, timeoutMs = REACHABILITY.timeoutMs } = options;
  const pool = createPgPool({ url, role: 'health', max: 1 });
  let reachable = true;
  let running: Promise<void> | undefined;
  let stopped = false;
  const probe = async (): Promise<void> => {
    let error: unknown;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        pool.query('SELECT 1'),
        new Promise((_, fail) => {
          timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          timer.unref();
        }),
      ]);
    } catch (caught) {
      error = caught;
    } finally {
      clearTimeout(timer);
    }
    const now = error === undefined;
    if (stopped || now === reachable) return;
    reachable = now;
    onChange(now, error);
  };
  const check = (): void => {
    if (stopped || running) return;
    running = probe().finally(() => {
      running = undefined;
    });
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  return {
    check,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}
