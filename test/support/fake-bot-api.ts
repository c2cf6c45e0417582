import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update, UserFromGetMe } from 'grammy/types';

/** What the fake server does to one request instead of answering it. */
export type FaultKind = '429' | '429-long' | '500' | 'reset' | 'timeout';

export interface Fault {
  method: string;
  kind: FaultKind;
  /** How many requests in a row get this fault. */
  times: number;
}

/**
 * A tiny Bot API on 127.0.0.1 that fails requests on purpose: Telegram's 429 with
 * retry_after, a 500, a connection reset, or a request held and then dropped (what a proxy
 * timeout looks like to the bot). Faults happen below every grammY transformer, so the bot's
 * own retry logic (auto-retry) is what is tested.
 */
export async function startFakeBotApi(options: { botInfo: UserFromGetMe; faults?: Fault[]; pollWaitMs?: number }) {
  const { botInfo, pollWaitMs = 100 } = options;
  const faults = (options.faults ?? []).map((f) => ({ ...f }));
  const attempts = new Map<string, number>();
  const delivered: Array<{ method: string; payload: Record<string, unknown> }> = [];
  const updates: Update[] = [];
  const waiting = new Set<() => void>();
  let nextUpdateId = 1;
  let nextMessageId = 1;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (raw === '') return {};
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  };

  const pendingUpdates = (offset: number) => updates.filter((u) => u.update_id >= offset);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = /^\/bot[^/]+\/(\w+)/.exec(req.url ?? '')?.[1] ?? '';
    const payload = await readBody(req);
    attempts.set(method, (attempts.get(method) ?? 0) + 1);
    const fault = faults.find((f) => f.method === method && f.times > 0);
    if (fault) {
      fault.times--;
      switch (fault.kind) {
        case '429':
          return send(res, 429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
        case '429-long':
          return send(res, 429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 120', parameters: { retry_after: 120 } });
        case '500':
          return send(res, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
        case 'reset':
          req.socket.destroy();
          return;
        case 'timeout':
          setTimeout(() => req.socket.destroy(), 1000);
          return;
      }
    }
    switch (method) {
      case 'getMe':
        return send(res, 200, { ok: true, result: botInfo });
      case 'getUpdates': {
        const offset = Number(payload.offset ?? 0);
        if (pendingUpdates(offset).length === 0) {
          // Long polling, briefly: wait for an update or the timeout, or the bot giving up.
          await new Promise<void>((resolve) => {
            const wake = () => {
              clearTimeout(timer);
              waiting.delete(wake);
              resolve();
            };
            const timer = setTimeout(wake, pollWaitMs);
            waiting.add(wake);
            res.once('close', wake);
          });
        }
        if (res.destroyed) return;
        // Confirmed updates are forgotten, as Telegram does.
        for (let i = updates.length - 1; i >= 0; i--) if ((updates[i]?.update_id ?? 0) < offset) updates.splice(i, 1);
        return send(res, 200, { ok: true, result: pendingUpdates(offset) });
      }
      case 'sendMessage': {
        delivered.push({ method, payload });
        const chatId = Number(payload.chat_id);
        const result = { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: chatId < 0 ? 'group' : 'private', title: 'chat', first_name: 'chat' }, text: payload.text };
        return send(res, 200, { ok: true, result });
      }
      default:
        delivered.push({ method, payload });
        return send(res, 200, { ok: true, result: true });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    /** Requests per method, failed ones included. */
    attempts: (method: string) => attempts.get(method) ?? 0,
    /** Calls the server accepted, in order. */
    delivered,
    sentTo: (chatId: number) => delivered.filter((d) => d.method === 'sendMessage' && Number(d.payload.chat_id) === chatId),
    /** Queues an update for getUpdates. */
    push(update: Omit<Update, 'update_id'>): void {
      updates.push({ update_id: nextUpdateId++, ...update } as Update);
      for (const wake of [...waiting]) wake();
    },
    addFault(fault: Fault): void {
      faults.push({ ...fault });
    },
    async stop(): Promise<void> {
      for (const wake of [...waiting]) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
