import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_LIMITS, startHttpServer, type HttpServerHandle } from '../../src/http/server.js';

let child: ChildProcessWithoutNullStreams | undefined;
let handle: HttpServerHandle | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  child = undefined;
  await handle?.close();
  handle = undefined;
});

/** A client that opens a request and sends one more header line every 500 ms, never finishing. */
function slowLoris(port: number): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.setNoDelay(true);
  socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write('X-Slow: 1\r\n');
  }, 500);
  socket.once('close', () => clearInterval(timer));
  sockets.push(socket);
  return socket;
}

/** One GET /healthz on a new connection (no kept-alive socket to slip through on). */
function healthOk(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode === 200));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

describe('#13 slow-loris connections', () => {
  it('at the file-descriptor limit starve /healthz for seconds at most', async () => {
    child = spawn('sh', ['-c', 'ulimit -n 64 && exec "$0" --import tsx test/support/http-child.ts', process.execPath]);
    const port = await new Promise<number>((resolve, reject) => {
      child?.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      child?.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    expect(await healthOk(port)).toBe(true);
    // More connections than the process has descriptors left: /healthz is refused for a while.
    // Every slow client is connected first, so a probe cannot slip in ahead of them on a busy machine.
    await Promise.all(Array.from({ length: 80 }, () => new Promise((resolve) => slowLoris(port).once('connect', resolve).once('close', resolve))));
    const started = Date.now();
    let refused = false;
    while (!refused && Date.now() - started < 3000) refused = !(await healthOk(port));
    expect(refused).toBe(true);
    while (!(await healthOk(port))) {
      if (Date.now() - started > 20_000) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The slow clients are dropped once their headers are late: about 6 s, where Node's
    // defaults (and the 10 s header timeout before) left /healthz refused for 20 s and more.
    const starvedMs = Date.now() - started;
    expect(starvedMs).toBeLessThan(DEFAULT_HTTP_LIMITS.headersTimeoutMs + 3000);
  }, 30_000);

  it('bounds headers, whole requests, idle and kept-alive sockets, and connections', async () => {
    handle = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [] });
    expect(handle.server).toMatchObject({ headersTimeout: 5_000, requestTimeout: 15_000, keepAliveTimeout: 5_000, maxConnections: 1_000, timeout: 30_000 });
  });
});
