import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bot, Context } from 'grammy';
import type { Update } from 'grammy/types';
import { sendJson, type Route } from './server.js';

/** The header Telegram sends with every webhook request when a secret token is registered. */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * The largest webhook body accepted: 1 MiB. A Telegram update is a few kilobytes (a message is
 * at most 4,096 characters); a larger body is refused (413) while it arrives, never buffered.
 */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** Update ids remembered to recognise a second delivery of the same update. @default 10000 */
export const REMEMBERED_UPDATES = 10_000;

/**
 * The updates already taken, to answer each once: Telegram delivers an update again when the
 * bot's answer came late. In this process by default; replicas share one (see
 * app/replicas/pg-update-ledger.ts), since a second delivery may reach another replica.
 */
export interface UpdateLedger {
  /** True when this process may handle the update: no one took it before. */
  claim(updateId: number): boolean | Promise<boolean>;
  /** Told once the update has been handled. */
  finish?(updateId: number): void | Promise<void>;
}

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
  /** @default MAX_WEBHOOK_BODY_BYTES */
  maxBodyBytes?: number;
  /** @default REMEMBERED_UPDATES */
  rememberUpdates?: number;
  /** @default the last `rememberUpdates` ids, in this process */
  ledger?: UpdateLedger;
  /** Called when handling an update fails outside the bot's own error boundary. */
  onError?: (error: unknown) => void;
  /**
   * Counts each accepted update until its handler has finished, however early the request was
   * answered, so that shutdown waits for every answer.
   */
  tracker?: { track<T>(updateId: number | undefined, work: () => Promise<T>): Promise<T> };
}

/**
 * Serves Telegram's webhook requests on `path`. A request without the right secret header is
 * answered 401 and never reaches the bot; other methods get 405, a body over the limit 413, a
 * body that is not an update 400. An update delivered a second time (same `update_id`, as
 * Telegram does when an earlier answer came late) is acknowledged and not handled again.
 */
export function createWebhookRoute<C extends Context>(options: WebhookRouteOptions<C>): Route {
  const { bot, path, secretToken, answerWithinMs = 8_000, maxBodyBytes = MAX_WEBHOOK_BODY_BYTES, rememberUpdates = REMEMBERED_UPDATES, onError, tracker } = options;
  const expected = digest(secretToken);
  const ledger = options.ledger ?? recentUpdates(rememberUpdates);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody({ req, res, maxBytes: maxBodyBytes });
    if (body === undefined) return;
    const update = parseUpdate(body);
    if (!update) {
      sendJson(res, 400, { error: 'not a Telegram update' });
      return;
    }
    if (!(await ledger.claim(update.update_id))) {
      sendJson(res, 200, { ok: true, duplicate: true });
      return;
    }
    const work = async () => {
      await bot.handleUpdate(update);
      await ledger.finish?.(update.update_id);
    };
    const handled = (tracker ? tracker.track(update.update_id, work) : work()).catch((error: unknown) => onError?.(error));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, answerWithinMs)));
    await Promise.race([handled, late]);
    clearTimeout(timer);
    sendJson(res, 200, { ok: true });
  };

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
    handle(req, res).catch((error: unknown) => {
      onError?.(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
    return true;
  };
}

/**
 * The request body, or undefined once it has been refused: 413 as soon as the declared or the
 * received length passes the limit, and the connection is closed rather than drained.
 */
function readBody(options: { req: IncomingMessage; res: ServerResponse; maxBytes: number }): Promise<Buffer | undefined> {
  const { req, res, maxBytes } = options;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (body: Buffer | undefined) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(body);
    };
    const refuse = () => {
      req.pause();
      res.writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' }).end(`{"error":"body over ${maxBytes} bytes"}`, () => req.socket.destroy());
      settle(undefined);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) refuse();
      else chunks.push(chunk);
    };
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
      refuse();
      return;
    }
    req.on('data', onData);
    req.once('end', () => settle(Buffer.concat(chunks)));
    // A client that goes away mid-body: nothing to answer.
    req.once('close', () => settle(undefined));
    req.once('error', () => settle(undefined));
  });
}

function parseUpdate(body: Buffer): Update | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as Partial<Update> | null;
    return value !== null && typeof value === 'object' && Number.isSafeInteger(value.update_id) ? (value as Update) : undefined;
  } catch {
    return undefined;
  }
}

/** The last `size` update ids: `claim` is false for an id already among them. */
export function recentUpdates(size: number = REMEMBERED_UPDATES): UpdateLedger & { claim(id: number): boolean } {
  const ids = new Set<number>();
  return {
    claim(id) {
      if (ids.has(id)) return false;
      ids.add(id);
      // A Set iterates in insertion order: the first one is the oldest.
      if (ids.size > size) ids.delete(ids.values().next().value as number);
      return true;
    },
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
