import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { webhookCallback, type Bot, type Context } from 'grammy';
import type { Update } from 'grammy/types';
import type { Route } from './server.js';

/** The header Telegram sends with every webhook request when a secret token is registered. */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface WebhookRouteOptions<C extends Context> {
  bot: Bot<C>;
  /** Path part of WEBHOOK_URL, e.g. "/telegram". */
  path: string;
  /** WEBHOOK_SECRET: Telegram sends it back in the secret header of every request. */
  secretToken: string;
  /**
   * After this long the request is answered 200 and the update goes on in the background, so
   * that Telegram does not resend it while a slow answer is still being written.
   * @default 8000
   */
  answerWithinMs?: number;
  /** Called when handling a request fails outside the bot's own error boundary. */
  onError?: (error: unknown) => void;
  /** Counts each accepted request while the bot handles it, for graceful shutdown. */
  tracker?: { track<T>(updateId: number | undefined, work: () => Promise<T>): Promise<T> };
}

/**
 * Serves Telegram's webhook requests on `path`. A request without the right secret header is
 * answered 401 and never reaches the bot; other methods get 405.
 */
export function createWebhookRoute<C extends Context>(options: WebhookRouteOptions<C>): Route {
  const { bot, path, secretToken, answerWithinMs = 8_000, onError, tracker } = options;
  const handle = webhookCallback(bot, 'http', { secretToken, onTimeout: 'return', timeoutMilliseconds: answerWithinMs });
  const expected = digest(secretToken);
  return (req, res) => {
    if ((req.url ?? '/').split('?')[0] !== path) return false;
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return true;
    }
    if (!timingSafeEqual(digest(secretHeader(req) ?? ''), expected)) {
      req.resume();
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"wrong or missing secret token"}');
      return true;
    }
    const work = () => handle(req, res);
    (tracker ? tracker.track(undefined, work) : work()).catch((error: unknown) => {
      onError?.(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
    return true;
  };
}

/**
 * Registers the webhook with Telegram, with the secret token Telegram must send back.
 * Updates that arrived while the bot was down are kept and delivered.
 */
export async function registerWebhook<C extends Context>(options: {
  bot: Bot<C>;
  url: string;
  secretToken: string;
  allowedUpdates?: ReadonlyArray<Exclude<keyof Update, 'update_id'>>;
}): Promise<void> {
  const { bot, url, secretToken, allowedUpdates } = options;
  await bot.api.setWebhook(url, {
    secret_token: secretToken,
    drop_pending_updates: false,
    ...(allowedUpdates ? { allowed_updates: allowedUpdates } : {}),
  });
}

function secretHeader(req: IncomingMessage): string | undefined {
  const value = req.headers[SECRET_HEADER];
  return Array.isArray(value) ? value[0] : value;
}

/** Hashing both sides gives equal lengths, so the comparison takes the same time for any input. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
