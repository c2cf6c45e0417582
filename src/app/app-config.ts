import { parseBotConfig, type BotConfig } from '../bot/config.js';
import { parseEngineConfig, type EngineConfig, type Env } from './engine-config.js';
import { ConfigError } from '../core/errors.js';
import { parseServerConfig, type ServerConfig } from './server-config.js';

/** Everything the bot process is configured with. */
export interface AppConfig {
  engine: Readonly<EngineConfig>;
  bot: Readonly<BotConfig>;
  server: Readonly<ServerConfig>;
}

/**
 * Every configuration of the bot at once, so one line names every bad variable. Cheap and
 * without side effects: `npm start` runs it before compiling anything.
 */
export function parseAppConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const attempt = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message.replace(/^invalid configuration: /, ''));
      return undefined;
    }
  };
  const engine = attempt(() => parseEngineConfig(env));
  const bot = attempt(() => parseBotConfig(env));
  const server = attempt(() => parseServerConfig(env));
  if (!engine || !bot || !server) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return { engine, bot, server };
}
