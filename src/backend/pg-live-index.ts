import pg from 'pg';
import { createPgPool } from '../store/postgres/connect.js';
import { LIVE_CHANNEL, readLiveName } from '../store/postgres/generations.js';
import type { LiveIndex } from './live-index.js';

/** Pauses before listening again after the connection is lost: 1 s, doubling up to 30 s. */
const RETRY_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

/**
 * The live generation of a PostgreSQL index. A build switches it in one transaction and sends
 * NOTIFY on commit; every replica LISTENs on one connection of its own, and hears of a
 * rebuild within milliseconds. When that connection drops, it connects again (with growing
 * pauses) and asks for a reload check at once, since a notification may have been missed.
 */
export function pgLiveIndex(options: { url: string; role?: string }): LiveIndex & { close(): Promise<void> } {
  const { url, role = 'listen' } = options;
  const pool = createPgPool({ url, role: `${role} live`, max: 1 });
  return {
    current: () => readLiveName(pool).catch(() => undefined),
    watch({ onChange, onError }) {
      let stopped = false;
      let client: pg.Client | undefined;
      let retry: NodeJS.Timeout | undefined;
      let failures = 0;
      const listen = async (): Promise<void> => {
        const next = new pg.Client({ connectionString: url, application_name: `quotes-bot ${role} pid ${process.pid}`, keepAlive: true });
        client = next;
        const lost = (error?: unknown): void => {
          if (stopped || client !== next) return;
          client = undefined;
          next.removeAllListeners();
          next.on('error', () => undefined);
          void next.end().catch(() => undefined);
          if (error !== undefined) onError(error);
          const pause = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)] ?? 30_000;
          failures++;
          retry = setTimeout(() => void listen(), pause);
          retry.unref();
        };
        next.on('error', (error) => lost(error));
        next.on('end', () => lost());
        next.on('notification', (message) => {
          if (message.channel === LIVE_CHANNEL) onChange();
        });
        try {
          await next.connect();
          await next.query(`LISTEN ${LIVE_CHANNEL}`);
          if (stopped) {
            await next.end();
            return;
          }
          // Connected (again): anything announced while no one listened is looked at now.
          if (failures > 0) onChange();
          failures = 0;
        } catch (error) {
          lost(error);
        }
      };
      void listen();
      return () => {
        stopped = true;
        clearTimeout(retry);
        const open = client;
        client = undefined;
        open?.removeAllListeners();
        open?.on('error', () => undefined);
        void open?.end().catch(() => undefined);
      };
    },
    close: () => pool.end(),
  };
}
