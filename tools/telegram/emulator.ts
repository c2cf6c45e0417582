import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
// The package's main export is typed as a namespace under NodeNext; the class module is not.
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';

/** The bot username the emulator's getMe reports. */
export const EMULATOR_BOT = { id: 666, username: 'TestNameBot', first_name: 'Test First name' } as const;

const USER_EVENTS = ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery'] as const;
const BOT_EVENTS = ['AddedBotMessage', 'EditedMessageText', 'EditedMessageReplyMarkup'] as const;

/**
 * A port on 127.0.0.1 that nothing listens on, for a server started a moment (or a process
 * start) later. It is taken below the system's ephemeral range: a port the system hands out
 * for `listen(0)` is handed out again, to any outgoing connection of a test running beside
 * this one, before the later server binds it (seen in CI as EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  const below = await ephemeralLow();
  const from = Math.min(10_000, below - 1_000);
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = from + Math.floor(Math.random() * (below - from));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port on 127.0.0.1 between ${from} and ${below}`);
}

/** The lowest port the system hands out on its own (Linux's range; 32768 where unknown). */
async function ephemeralLow(): Promise<number> {
  const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '');
  const low = Number(range.trim().split(/\s+/)[0]);
  return Number.isInteger(low) && low > 2_048 ? low : 32_768;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Starts telegram-test-api on 127.0.0.1 with one addition: an empty getUpdates waits (up to
 * `pollWaitMs`) for a user update instead of answering at once, as Telegram's long polling
 * does; without it an idle bot polls in a tight loop.
 */
export async function startEmulator(options: { pollWaitMs?: number } = {}) {
  const { pollWaitMs = 1000 } = options;
  const port = await freePort();
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
  // The emulator offers no hook before its own routes; its request handler is replaced
  // before start() hands it to http.createServer.
  const inner = Reflect.get(server, 'webServer') as (req: IncomingMessage, res: ServerResponse) => void;
  const hasUpdates = (token: string) => server.storage.userMessages.some((u) => u.botToken === token && !u.isRead);
  const waiting = (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/bot([^/]+)\/getUpdates/.exec(req.url ?? '');
    const token = match?.[1] ? decodeURIComponent(match[1]) : undefined;
    if (token === undefined || hasUpdates(token)) {
      inner(req, res);
      return;
    }
    let settled = false;
    const settle = (forward: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const event of USER_EVENTS) server.off(event, onUpdate);
      res.off('close', onClose);
      if (forward) inner(req, res);
    };
    const onUpdate = () => settle(true);
    // The bot stopped polling (its request was aborted): nothing to answer.
    const onClose = () => settle(false);
    const timer = setTimeout(() => settle(true), pollWaitMs);
    for (const event of USER_EVENTS) server.on(event, onUpdate);
    res.on('close', onClose);
  };
  // start() reads the app's settings for a debug line.
  Reflect.set(server, 'webServer', Object.assign(waiting, { settings: Reflect.get(inner, 'settings') as unknown }));
  await server.start();
  return {
    server,
    apiRoot: server.config.apiURL,
    /** What the bot sent (or edited) into one chat, oldest first. */
    botMessages: (chatId: number) => server.storage.botMessages.filter((m) => String(m.message.chat_id) === String(chatId)),
    /** A finder for the bot's first message in a chat that replies to `messageId`. */
    replyTo: (chatId: number, messageId: number) => () =>
      server.storage.botMessages.find((m) => String(m.message.chat_id) === String(chatId) && m.message.reply_parameters?.message_id === messageId),
    /** The id the emulator gave the latest user message in a chat. */
    lastUserMessageId: (chatId: number): number => {
      const update = server.storage.userMessages.filter((u) => 'message' in u && u.message.chat.id === chatId).at(-1);
      if (!update) throw new Error(`no user message in chat ${chatId}`);
      return update.messageId;
    },
    /**
     * Resolves with the first value `find` returns once the bot has sent or edited something,
     * or rejects after `timeoutMs` naming what was awaited.
     */
    waitFor: <T>(label: string, find: () => T | undefined, timeoutMs = 20_000): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const check = () => {
          const found = find();
          if (found === undefined) return;
          done();
          resolve(found);
        };
        const done = () => {
          clearTimeout(timer);
          for (const event of BOT_EVENTS) server.off(event, check);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${label}`));
        }, timeoutMs);
        for (const event of BOT_EVENTS) server.on(event, check);
        check();
      }),
    stop: () => server.stop(),
  };
}

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;
