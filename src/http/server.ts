import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Handles a request and returns true, or returns false to let the next route try. */
export type Route = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface HttpServerHandle {
  /** The port actually bound (useful with port 0). */
  port: number;
  server: Server;
  /** Adds a route after start, e.g. the webhook once the bot exists. */
  addRoute(route: Route): void;
  /**
   * Stops accepting requests: new ones get 503 (Telegram then retries the update later),
   * requests in progress finish, idle connections close. Resolves when the server is closed.
   */
  close(): Promise<void>;
}

/**
 * Starts a small HTTP server that tries each route in order and answers 404 when none
 * takes the request.
 * @param options.host @default '0.0.0.0'
 */
export async function startHttpServer(options: { port: number; host?: string; routes: readonly Route[] }): Promise<HttpServerHandle> {
  const { port, host = '0.0.0.0' } = options;
  const routes = [...options.routes];
  let closing = false;
  const server = createServer((req, res) => {
    if (closing) {
      res.writeHead(503, { 'Content-Type': 'application/json', Connection: 'close' }).end('{"status":"stopping"}');
      return;
    }
    for (const route of routes) if (route(req, res)) return;
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"not found"}');
  });
  // A slow or idle client must not hold the process open at shutdown.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    port: bound,
    server,
    addRoute(route) {
      routes.push(route);
    },
    close() {
      closing = true;
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}

/** Sends a JSON body with a status code. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}
