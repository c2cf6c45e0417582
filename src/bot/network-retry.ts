import { HttpError, type Transformer } from 'grammy';
import type { Logger } from 'pino';

/** Pauses between attempts to reach the Bot API; the last one repeats. @default 1, 2, 4, 8, 15, 30, 60 s */
export const NETWORK_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 60_000];

/**
 * Retries Bot API calls that fail in the network (refused, reset, timed out, DNS), with growing
 * pauses, until they go through or the call is aborted; each failure is logged at warn with
 * the method, the reason and the next pause, so an unreachable Telegram is never a silent hang.
 * The reason is an error code, never the request URL (it contains the token).
 */
export function retryNetworkErrors(options: { log: Logger; delaysMs?: readonly number[] }): Transformer {
  const { log, delaysMs = NETWORK_RETRY_DELAYS_MS } = options;
  return async (prev, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        if (!(error instanceof HttpError) || signal?.aborted) throw error;
        const delay = delaysMs[Math.min(attempt - 1, delaysMs.length - 1)] ?? 1_000;
        log.warn({ method, attempt, reason: networkReason(error), retryInSeconds: delay / 1000 }, 'cannot reach the Bot API; retrying');
        // grammY types its signal after a polyfill; on Node it is the platform's AbortSignal.
        await pause(delay, signal as AbortSignal | undefined);
      }
    }
  };
}

/** `ECONNREFUSED`, `502 Bad Gateway`…: what went wrong, without the URL the message carries. */
export function networkReason(error: HttpError): string {
  const inner = error.error as { code?: unknown; status?: unknown; statusText?: unknown; cause?: { code?: unknown } } | undefined;
  if (typeof inner?.code === 'string') return inner.code;
  if (typeof inner?.cause?.code === 'string') return inner.cause.code;
  if (typeof inner?.status === 'number') return `${inner.status} ${typeof inner.statusText === 'string' ? inner.statusText : ''}`.trim();
  return 'network error';
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('Bot API call aborted while waiting to retry'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
