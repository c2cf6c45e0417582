import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_QUESTION_CHARS, DEFAULT_QUESTIONS_PER_MINUTE, parseBotConfig } from '../../src/app/config.js';
import { ConfigError } from '../../src/core/errors.js';

describe('parseBotConfig', () => {
  it('reads a complete configuration and freezes it', () => {
    const config = parseBotConfig({
      BOT_TOKEN: ' 123456:AAE-x_y ',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      ADMIN_IDS: '12, 34 ,',
      RATE_LIMIT: '5',
      MAX_QUESTION_CHARS: '200',
    });
    expect(config).toEqual({ token: '123456:AAE-x_y', apiRoot: 'http://127.0.0.1:8081', adminIds: [12, 34], questionsPerMinute: 5, maxQuestionChars: 200 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.adminIds)).toBe(true);
  });

  it('uses defaults for the optional variables', () => {
    expect(parseBotConfig({ BOT_TOKEN: '1:a' })).toEqual({
      token: '1:a',
      apiRoot: undefined,
      adminIds: [],
      questionsPerMinute: DEFAULT_QUESTIONS_PER_MINUTE,
      maxQuestionChars: DEFAULT_MAX_QUESTION_CHARS,
    });
  });

  it.each([
    { env: {}, names: ['BOT_TOKEN is required'] },
    { env: { BOT_TOKEN: 'abc' }, names: ['BOT_TOKEN must look like'] },
    { env: { BOT_TOKEN: '1:a', TELEGRAM_API_ROOT: 'ftp://x' }, names: ['TELEGRAM_API_ROOT must be an http(s) URL'] },
    { env: { BOT_TOKEN: '1:a', ADMIN_IDS: '12,bob' }, names: ['ADMIN_IDS must be comma-separated', '"bob"'] },
    { env: { BOT_TOKEN: '1:a', RATE_LIMIT: '0' }, names: ['RATE_LIMIT must be a whole number'] },
    { env: { BOT_TOKEN: '1:a', MAX_QUESTION_CHARS: '5000' }, names: ['MAX_QUESTION_CHARS must be a whole number'] },
    { env: { BOT_TOKEN: 'x', RATE_LIMIT: 'many', ADMIN_IDS: 'me' }, names: ['BOT_TOKEN', 'RATE_LIMIT', 'ADMIN_IDS'] },
  ])('reports every problem in one line: $names', ({ env, names }) => {
    let error: unknown;
    try {
      parseBotConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    for (const name of names) expect(message).toContain(name);
  });

  it('never echoes a malformed token', () => {
    expect(() => parseBotConfig({ BOT_TOKEN: 'secret-ish-value' })).toThrow(/^(?!.*secret-ish-value).*$/);
  });
});
