import { afterEach, describe, expect, it } from 'vitest';
import type { EngineInfo } from '../../src/core/types.js';
import { createHealth } from '../../src/http/health.js';
import { startHttpServer, type HttpServerHandle } from '../../src/http/server.js';

const INFO: EngineInfo = { about: { description: { en: 'the news coverage of Putin’s visits to Dushanbe' }, topics: { en: 'trade, security, migration, the summit and the people involved' }, examples: { en: ["How much was Russia's trade with the five Central Asian states last year?"] } }, modelId: 'test-tiny-bert', dimensions: 256, builtAt: '2026-11-23T06:00:00.000Z', articles: 5, chunks: 40, sources: [] };

let handle: HttpServerHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

async function get(path: string) {
  const res = await fetch(`http://127.0.0.1:${handle?.port}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('/healthz', () => {
  it('says starting (503) until the engine is loaded, then ready (200) with what is loaded', async () => {
    const health = createHealth();
    handle = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [health.route] });
    expect(await get('/healthz')).toEqual({ status: 503, body: { status: 'starting' } });
    health.markReady(INFO);
    expect(await get('/healthz')).toEqual({
      status: 200,
      body: { status: 'ready', model: 'test-tiny-bert', builtAt: '2026-11-23T06:00:00.000Z', articles: 5, chunks: 40 },
    });
    health.markStopping();
    expect(await get('/healthz')).toEqual({ status: 503, body: { status: 'stopping' } });
  });

  it('reports the engine serving now when given a getter (after an index reload)', async () => {
    const health = createHealth();
    let info = INFO;
    health.markReady(() => info);
    handle = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [health.route] });
    info = { ...INFO, builtAt: '2026-11-23T07:00:00.000Z', chunks: 41 };
    expect((await get('/healthz')).body).toMatchObject({ status: 'ready', builtAt: '2026-11-23T07:00:00.000Z', chunks: 41 });
  });

  it('says unavailable (503) with the reason while what it answers from is out of reach, and ready again after', async () => {
    const health = createHealth();
    health.markReady(INFO);
    handle = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [health.route] });
    health.markUnavailable('database unreachable');
    expect(await get('/healthz')).toEqual({ status: 503, body: { status: 'unavailable', reason: 'database unreachable' } });
    health.markAvailable();
    expect(await get('/healthz')).toMatchObject({ status: 200, body: { status: 'ready' } });
    // Shutting down wins over an outage.
    health.markUnavailable('database unreachable');
    health.markStopping();
    expect(await get('/healthz')).toEqual({ status: 503, body: { status: 'stopping' } });
  });

  it('answers 404 on other paths and ignores a query string on its own', async () => {
    const health = createHealth();
    health.markReady(INFO);
    handle = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [health.route] });
    expect((await get('/other')).status).toBe(404);
    expect((await get('/healthz?probe=1')).status).toBe(200);
  });

  it('stops listening once closed', async () => {
    const health = createHealth();
    health.markReady(INFO);
    const server = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [health.route] });
    await server.close();
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
  });
});
