import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { parseServerConfig } from '../../src/app/config.js';

const SECRET = 'a'.repeat(32);

describe('parseServerConfig', () => {
  it.each([
    { name: 'polling without ports: no HTTP server', env: {}, expected: { mode: 'polling', port: undefined, webhook: undefined } },
    { name: 'polling with PORT', env: { PORT: '3000' }, expected: { mode: 'polling', port: 3000 } },
    { name: 'polling: HEALTH_PORT wins over PORT', env: { PORT: '3000', HEALTH_PORT: '9090' }, expected: { mode: 'polling', port: 9090 } },
    {
      name: 'webhook with the default port',
      env: { WEBHOOK_URL: 'https://bot.example.com/telegram', WEBHOOK_SECRET: SECRET },
      expected: { mode: 'webhook', port: 8080, webhook: { url: 'https://bot.example.com/telegram', path: '/telegram', secret: SECRET } },
    },
    {
      name: 'webhook on PORT, plain http allowed on the local machine',
      env: { WEBHOOK_URL: 'http://127.0.0.1:8443/hook', WEBHOOK_SECRET: SECRET, PORT: '8443' },
      expected: { mode: 'webhook', port: 8443, webhook: { url: 'http://127.0.0.1:8443/hook', path: '/hook', secret: SECRET } },
    },
    { name: 'defaults', env: {}, expected: { host: '0.0.0.0', shutdownTimeoutMs: 8000 } },
    { name: 'HTTP_HOST and SHUTDOWN_TIMEOUT_MS', env: { HTTP_HOST: '127.0.0.1', SHUTDOWN_TIMEOUT_MS: '2500' }, expected: { host: '127.0.0.1', shutdownTimeoutMs: 2500 } },
  ])('$name', ({ env, expected }) => {
    expect(parseServerConfig(env)).toMatchObject(expected);
  });

  it.each([
    { env: { WEBHOOK_URL: 'https://bot.example.com/telegram' }, message: 'WEBHOOK_SECRET is required with WEBHOOK_URL' },
    { env: { WEBHOOK_URL: 'https://bot.example.com/t', WEBHOOK_SECRET: 'short' }, message: 'WEBHOOK_SECRET must be 16 to 256' },
    { env: { WEBHOOK_URL: 'https://bot.example.com/t', WEBHOOK_SECRET: `${SECRET}!` }, message: 'WEBHOOK_SECRET must be 16 to 256' },
    { env: { WEBHOOK_URL: 'http://bot.example.com/t', WEBHOOK_SECRET: SECRET }, message: 'WEBHOOK_URL must use https' },
    { env: { WEBHOOK_URL: 'not a url', WEBHOOK_SECRET: SECRET }, message: 'WEBHOOK_URL must be the public https address' },
    { env: { WEBHOOK_URL: 'https://bot.example.com/healthz', WEBHOOK_SECRET: SECRET }, message: 'must not end in /healthz' },
    { env: { WEBHOOK_URL: 'https://b.example.com/t', WEBHOOK_SECRET: SECRET, HEALTH_PORT: '9000' }, message: 'HEALTH_PORT is for polling mode' },
    { env: { PORT: 'eighty' }, message: 'PORT must be a TCP port number' },
    { env: { HEALTH_PORT: '70000' }, message: 'HEALTH_PORT must be a TCP port number' },
    { env: { SHUTDOWN_TIMEOUT_MS: '5s' }, message: 'SHUTDOWN_TIMEOUT_MS must be milliseconds' },
  ])('rejects $env with one clear line', ({ env, message }) => {
    let error: unknown;
    try {
      parseServerConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as Error).message;
    expect(text).toContain(message);
    expect(text).not.toContain('\n');
    if ('WEBHOOK_SECRET' in env && env.WEBHOOK_SECRET) expect(text).not.toContain(env.WEBHOOK_SECRET);
  });

  it('names every bad variable at once', () => {
    expect(() => parseServerConfig({ PORT: 'x', WEBHOOK_URL: 'https://b.example.com/t' })).toThrow(/PORT must be.*WEBHOOK_SECRET is required/);
  });
});
