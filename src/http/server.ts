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
 * How long a client may take, and how much it may hold. Telegram and health checks send a whole
 * request at once, so anything slower is a stuck or hostile client (slow-loris) holding a
 * socket and a file descriptor that /healthz and Telegram's next POST need.
 */
export interface HttpLimits {
  /** To send the request line and headers. @default 5000 */
  headersTimeoutMs: number;
  /** To send the whole request, body included. @default 15000 */
  requestTimeoutMs: number;
  /** A socket with no traffic at all is closed after this long. @default 30000 */
  idleTimeoutMs: number;
  /** Between requests on a kept-alive connection. @default 5000 */
  keepAliveTimeoutMs: number;
  /** How often the timeouts above are checked (Node's default is 30 s). @default 1000 */
  checkIntervalMs: number;
  /** Header bytes per request. @default 16384 */
  maxHeaderBytes: number;
  /** Open connections; more are closed at once, keeping file descriptors for everything else. @default 1000 */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = Object.freeze({
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 15_000,
  idleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
  maxHeaderBytes: 16 * 1024,
  maxConnections: 1_000,
});

/**
 * Starts a small HTTP server that tries each route in order and answers 404 when none
 * takes the request.
 * @param options.host @default '0.0.0.0'
 * @param options.limits @default DEFAULT_HTTP_LIMITS
 */
export async function startHttpServer(options: { port: number; host?: string; routes: readonly Route[]; limits?: Partial<HttpLimits> }): Promise<HttpServerHandle> {
  const { port, host = '0.0.0.0' } = options;
  const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  const routes = [...options.routes];
  let closing = false;
  const server = createServer({ connectionsCheckingInterval: limits.checkIntervalMs, maxHeaderSize: limits.maxHeaderBytes }, (req, res) => {
    if (closing) {
      res.writeHead(503, { 'Content-Type': 'application/json', Connection: 'close' }).end('{"status":"stopping"}');
      return;
    }
    for (const route of routes) if (route(req, res)) return;
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"not found"}');
  });
  // A slow or idle client must not hold a socket for long, nor the process open at shutdown.
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  server.setTimeout(limits.idleTimeoutMs, (socket) => socket.destroy());
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
