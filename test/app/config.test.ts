import { describe, expect, it } from 'vitest';
import { parseAppConfig, readConfig, VARIABLES } from '../../src/app/config.js';
import { ConfigError } from '../../src/core/errors.js';

describe('one declarative configuration', () => {
  it('a ConfigError carries every problem as data, and its one-line message names each', () => {
    let error: unknown;
    try {
      parseAppConfig({ RATE_LIMIT: 'lots', PORT: '99999', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.variable).sort()).toEqual(['BOT_TOKEN', 'LOG_LEVEL', 'PORT', 'RATE_LIMIT']);
    expect((error as Error).message).toBe(`invalid configuration: ${problems.map((p) => p.message).join('; ')}`);
    expect((error as Error).message).not.toContain('\n');
  });

  it('each part reads only its own variables: the CLI needs no bot token', () => {
    expect(readConfig({}, ['engine']).engine).toMatchObject({ embeddingModel: 'all-MiniLM-L6-v2-dushanbe', indexDir: 'index', corpusDir: 'corpus' });
    expect(() => readConfig({}, ['bot'])).toThrow(/BOT_TOKEN is required/);
  });

  it('problems that join two variables are found too, without repeating a variable already wrong', () => {
    const error = (() => {
      try {
        readConfig({ WEBHOOK_URL: 'https://bot.example.com/t', WEBHOOK_SECRET: 'short' }, ['server']);
      } catch (e) {
        return e as ConfigError;
      }
      return undefined;
    })();
    expect(error?.problems.map((p) => p.variable)).toEqual(['WEBHOOK_SECRET']);
  });

  it('every variable belongs to a part', () => {
    for (const variable of Object.values(VARIABLES)) expect(['engine', 'bot', 'server']).toContain(variable.part);
  });
});

describe('DATABASE_URL', () => {
  it.each([
    ['postgresql://quotes:s3cret-passw0rd@db.example:5432/quotes', true],
    ['postgres://localhost/quotes', true],
    ['postgresql://postgres:@/postgres?host=/tmp/pg-socket', true],
    ['mysql://user:s3cret-passw0rd@db.example/quotes', false],
    ['db.example:5432', false],
  ])('%s is accepted: %s', (value, accepted) => {
    const read = () => readConfig({ DATABASE_URL: value }, ['engine']).engine.databaseUrl;
    if (accepted) {
      expect(read()).toBe(value);
    } else {
      expect(read).toThrow(/DATABASE_URL must be a PostgreSQL connection URL/);
      // The value may hold a password: it is never echoed.
      expect(read).not.toThrow(/s3cret/);
    }
  });

  it('is unset by default: the index stays in INDEX_DIR', () => {
    expect(readConfig({}, ['engine']).engine.databaseUrl).toBeUndefined();
  });
});
