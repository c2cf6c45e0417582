/**
 * Child process of the bot-layer benchmark: runs the Telegram emulator on 127.0.0.1 and the
 * simulated users, so their HTTP and bookkeeping work does not share the bot's event loop (in
 * production they are Telegram's servers and people's phones). Driven over stdin/stdout by
 * `measureBotLayer`: prints READY and its port, waits for GO, runs the rounds, prints one ROUND line per
 * round, then waits for STOP (the bot is stopped before the emulator).
 */
import { createInterface } from 'node:readline';
// The package's main export is typed as a namespace under NodeNext; the class module is not.
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { latencySummary } from './stats.js';

interface UsersRequest {
  token: string;
  users: number;
  /** Questions each user asks per round, one after the other. */
  questions: string[];
  rounds: number;
}

const request = JSON.parse(process.argv[2] ?? '{}') as UsersRequest;
const server = new TelegramServer({ port: 0, host: '127.0.0.1', storeTimeout: 600 });
installWaitingRoutes(server);
await server.start();
// Port 0 lets the system pick a free port; the emulator's clients need the real one in apiURL.
const address = (Reflect.get(server, 'server') as { address(): { port: number } | string | null }).address();
const port = typeof address === 'object' && address ? address.port : 0;
server.config.apiURL = `http://127.0.0.1:${port}`;

/** chat id -> resolver of the reply that user is waiting for. */
const waiting = new Map<number, () => void>();
server.on('AddedBotMessage', () => {
  const last = server.storage.botMessages[server.storage.botMessages.length - 1];
  const chat = Number(last?.message.chat_id);
  const resolve = waiting.get(chat);
  if (resolve) {
    waiting.delete(chat);
    resolve();
  }
});

const lines = createInterface({ input: process.stdin });
const next = (): Promise<string> => new Promise((resolve) => lines.once('line', resolve));
process.stdout.write(`READY ${port}\n`);
if ((await next()) === 'GO') {
  for (let round = 0; round < request.rounds; round++) {
    const latencies: number[] = [];
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: request.users }, async (_, u) => {
        const id = 100_000 + u;
        const client = server.getClient(request.token, { userId: id, chatId: id, firstName: `User${u}`, timeout: 60_000 });
        for (let q = 0; q < request.questions.length; q++) {
          const question = request.questions[(u + q) % request.questions.length] ?? '';
          const asked = performance.now();
          const replied = new Promise<void>((resolve) => waiting.set(id, resolve));
          await client.sendMessage(client.makeMessage(question));
          await replied;
          latencies.push(performance.now() - asked);
        }
      }),
    );
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    process.stdout.write(`ROUND ${JSON.stringify({ answers: latencies.length, wallMs, cpuMs, latency: latencySummary(latencies) })}\n`);
    server.storage.botMessages.length = 0;
    server.storage.userMessages.length = 0;
  }
  process.stdout.write('ROUNDS-DONE\n');
  await next();
}
lines.close();
await server.stop();

/**
 * The emulator answers getUpdates at once, so an idle bot would poll in a tight loop and
 * steal the CPU being measured. This holds an empty getUpdates until a user message arrives
 * (or up to one second), as Telegram's long polling does. It also accepts sendChatAction,
 * which Telegram accepts and the emulator lacks, so the bot's "typing…" costs what it costs.
 */
function installWaitingRoutes(telegram: TelegramServer): void {
  type Handler = (req: { path: string }, res: { json(body: unknown): void }, nextHandler: () => void) => undefined;
  // The emulator keeps its express app private; this is the one place that reaches into it.
  const app = (telegram as unknown as { webServer: { use(fn: Handler): void; _router: { stack: unknown[] } } }).webServer;
  app.use((req, res, nextHandler) => {
    const match = /^\/bot([^/]+)\/(getUpdates|sendChatAction)$/.exec(req.path);
    if (!match) return void nextHandler();
    if (match[2] === 'sendChatAction') {
      res.json({ ok: true, result: true });
      return undefined;
    }
    const token = match[1] ?? '';
    const pending = (): boolean => telegram.storage.userMessages.some((u: { botToken: string; isRead: boolean }) => u.botToken === token && !u.isRead);
    if (pending()) return void nextHandler();
    const timer = setTimeout(done, 1000);
    function done(): void {
      clearTimeout(timer);
      telegram.off('AddedUserMessage', done);
      nextHandler();
    }
    telegram.on('AddedUserMessage', done);
    return undefined;
  });
  // Move the new layer before the emulator's own routes (after express's query and init layers).
  const stack = app._router.stack;
  const layer = stack.pop();
  stack.splice(2, 0, layer);
}
