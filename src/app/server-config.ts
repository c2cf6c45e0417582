import type { Env } from './engine-config.js';
import { ConfigError } from '../core/errors.js';

/** How the bot receives updates and where it serves HTTP. */
export interface ServerConfig {
  /** `webhook` when WEBHOOK_URL is set, `polling` otherwise. */
  mode: 'polling' | 'webhook';
  /** Set in webhook mode only. */
  webhook: { url: string; path: string; secret: string } | undefined;
  /**
   * Port of the HTTP server: the webhook and /healthz in webhook mode (PORT, default 8080);
   * /healthz alone in polling mode (HEALTH_PORT, else PORT). Undefined: no HTTP server.
   */
  port: number | undefined;
  /** Address the HTTP server binds. @default '0.0.0.0' */
  host: string;
  /** Longest wait at shutdown for answers in flight. @default 8000 */
  shutdownTimeoutMs: number;
}

/** @default 8080, the webhook port when PORT is not set */
export const DEFAULT_WEBHOOK_PORT = 8080;
/** @default 8000 ms: under the 10 s that `docker stop` waits before it kills */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 8000;
const SECRET_SHAPE = /^[A-Za-z0-9_-]{16,256}$/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Reads the update-delivery and HTTP settings once. Every problem is collected into one
 * ConfigError line naming each variable and how to fix it. Secrets are never echoed.
 */
export function parseServerConfig(env: Env): Readonly<ServerConfig> {
  const problems: string[] = [];
  const port = parsePort({ env, name: 'PORT', problems });
  const healthPort = parsePort({ env, name: 'HEALTH_PORT', problems });
  const host = env.HTTP_HOST?.trim() || '0.0.0.0';
  const shutdownTimeoutMs = parseTimeout({ env, problems });

  const rawUrl = env.WEBHOOK_URL?.trim();
  let webhook: ServerConfig['webhook'];
  if (rawUrl) {
    const url = parseUrl(rawUrl);
    if (!url) {
      problems.push(`WEBHOOK_URL must be the public https address Telegram posts updates to, such as https://bot.example.com/telegram (got "${rawUrl}")`);
    } else if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
      problems.push(`WEBHOOK_URL must use https (Telegram posts only to https); got "${url.protocol}//${url.host}"`);
    } else if (url.pathname === '/healthz') {
      problems.push('WEBHOOK_URL must not end in /healthz: that path is the health check; use e.g. /telegram');
    }
    const secret = env.WEBHOOK_SECRET?.trim() ?? '';
    if (secret === '') {
      problems.push('WEBHOOK_SECRET is required with WEBHOOK_URL: set it to 16 to 256 letters, digits, _ or - (e.g. the output of `openssl rand -hex 32`)');
    } else if (!SECRET_SHAPE.test(secret)) {
      problems.push('WEBHOOK_SECRET must be 16 to 256 letters, digits, _ or - (Telegram allows no other characters); e.g. `openssl rand -hex 32`');
    }
    if (healthPort !== undefined && healthPort !== (port ?? DEFAULT_WEBHOOK_PORT)) {
      problems.push('HEALTH_PORT is for polling mode; with WEBHOOK_URL, /healthz is served on PORT next to the webhook: unset HEALTH_PORT');
    }
    if (url) webhook = { url: url.toString(), path: url.pathname, secret };
  }

  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return Object.freeze({
    mode: webhook ? 'webhook' : 'polling',
    webhook: webhook ? Object.freeze(webhook) : undefined,
    port: webhook ? (port ?? DEFAULT_WEBHOOK_PORT) : (healthPort ?? port),
    host,
    shutdownTimeoutMs,
  });
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

function parsePort(options: { env: Env; name: string; problems: string[] }): number | undefined {
  const { env, name, problems } = options;
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 0 && value <= 65535)) {
    problems.push(`${name} must be a TCP port number from 0 to 65535 (got "${raw}")`);
    return undefined;
  }
  return value;
}

function parseTimeout(options: { env: Env; problems: string[] }): number {
  const raw = options.env.SHUTDOWN_TIMEOUT_MS?.trim();
  if (!raw) return DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 100 && value <= 600_000)) {
    options.problems.push(`SHUTDOWN_TIMEOUT_MS must be milliseconds from 100 to 600000, or unset for ${DEFAULT_SHUTDOWN_TIMEOUT_MS} (got "${raw}")`);
    return DEFAULT_SHUTDOWN_TIMEOUT_MS;
  }
  return value;
}
