import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createScrubber, hashUserId, REDACTED } from '../../src/core/redact.js';

// Token-shaped (id:secret) and a configured secret that is not token-shaped.
const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ';
const CONFIGURED = 'webhook-secret-not-token-shaped';
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

function capture(pretty: boolean) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'trace', pretty, secrets: [TOKEN, CONFIGURED], destination: { write: (l: string) => lines.push(l) } });
  return { logger, lines };
}

function leakEverything(logger: ReturnType<typeof createLogger>, level: (typeof LEVELS)[number]) {
  const error = new Error(`request to https://api.telegram.org/bot${TOKEN}/getMe failed`);
  error.stack = `${error.message}\n    at call (/app/bot${TOKEN}/x.js:1:1)`;
  const child = logger.child({ module: 'test', url: `/bot${TOKEN}/sendMessage` });
  child[level]({ err: error, token: TOKEN, nested: { deep: [`token=${TOKEN}`], header: CONFIGURED } }, `message with ${TOKEN} and %s`, CONFIGURED);
  child[level](`plain message /bot${TOKEN}/getUpdates ${CONFIGURED}`);
  child[level](error);
}

describe('createLogger redaction', () => {
  it.each(LEVELS.flatMap((level) => [
    { level, pretty: false },
    { level, pretty: true },
  ]))('removes the token and configured secrets at $level (pretty: $pretty)', ({ level, pretty }) => {
    const { logger, lines } = capture(pretty);
    leakEverything(logger, level);
    const out = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain('AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ');
    expect(out).not.toContain(CONFIGURED);
    expect(out).toContain(REDACTED);
    // The rest of the line survives: the message and the URL around the token.
    expect(out).toContain('message with');
    expect(out).toContain(`/bot${REDACTED}/getUpdates`);
  });

  it('writes one JSON object a line in production mode', () => {
    const { logger, lines } = capture(false);
    logger.info({ latencyMs: 12 }, 'question answered');
    const parsed = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(parsed).toMatchObject({ msg: 'question answered', latencyMs: 12, level: 30 });
  });

  it('writes readable lines in development mode', () => {
    const { logger, lines } = capture(true);
    logger.info({ latencyMs: 12 }, 'question answered');
    const out = lines.join('');
    expect(out).toContain('INFO');
    expect(out).toContain('question answered');
    expect(() => JSON.parse(out)).toThrow();
  });
});

describe('createScrubber', () => {
  it.each([
    { text: `x ${TOKEN} y`, expected: `x ${REDACTED} y` },
    { text: 'a 12345:short ok', expected: 'a 12345:short ok' },
    { text: 'no secrets here', expected: 'no secrets here' },
  ])('scrubs "$text"', ({ text, expected }) => {
    expect(createScrubber([])(text)).toBe(expected);
  });

  it('ignores secrets too short to scrub safely', () => {
    expect(createScrubber(['abc'])('abc abc')).toBe('abc abc');
  });
});

describe('hashUserId', () => {
  it('is short, stable for one salt and different across salts', () => {
    const a = hashUserId(42, 'salt-one');
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(hashUserId(42, 'salt-one')).toBe(a);
    expect(hashUserId(42, 'salt-two')).not.toBe(a);
    expect(hashUserId(43, 'salt-one')).not.toBe(a);
    expect(a).not.toContain('42');
  });
});
