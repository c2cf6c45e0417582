import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { explainStartupError } from '../../src/app/intake.js';
import { ConfigError } from '../../src/core/errors.js';

const refusal = (code: number, description: string) => new GrammyError(`Call to 'getMe' failed!`, { ok: false, error_code: code, description }, 'getMe', {});

describe('explainStartupError', () => {
  it.each([
    { error: refusal(401, 'Unauthorized'), expected: /^the Bot API server rejected BOT_TOKEN \(401 Unauthorized\); copy the token again from @BotFather/ },
    { error: refusal(404, 'Not Found'), expected: /rejected BOT_TOKEN \(404 Not Found\).*TELEGRAM_API_ROOT/ },
    { error: refusal(409, 'Conflict: terminated by other getUpdates request'), expected: /^another process is already receiving updates for this bot/ },
  ])('turns $error.error_code into a one-line ConfigError', ({ error, expected }) => {
    const explained = explainStartupError(error);
    expect(explained).toBeInstanceOf(ConfigError);
    expect((explained as ConfigError).message).toMatch(expected);
    expect((explained as ConfigError).cause).toBe(error);
  });

  it('leaves other errors alone', () => {
    const other = refusal(500, 'Internal');
    expect(explainStartupError(other)).toBe(other);
    const plain = new Error('socket hang up');
    expect(explainStartupError(plain)).toBe(plain);
  });
});
