import { createHash } from 'node:crypto';

/** Keeping secrets and people out of logs and error lines: shared by every front end. */

/** Anything that looks like a Telegram bot token: `<bot id>:<secret>`, also with the colon URL-encoded. */
const TOKEN_SHAPE = /\d{6,}(?::|%3[Aa])[A-Za-z0-9_-]{30,}/g;

/** What a token or secret is replaced with in every log line. */
export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not scrubbed: replacing a short string would mangle whole logs. */
const MIN_SECRET_LENGTH = 8;

/**
 * Returns a function that replaces every token-shaped string and every given secret in a text.
 * Secrets are matched as written, as they appear inside a JSON string and URL-encoded.
 */
export function createScrubber(secrets: readonly (string | undefined)[] = []): (text: string) => string {
  const literals = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    literals.add(secret);
    literals.add(JSON.stringify(secret).slice(1, -1));
    // As a request path or query carries it: a server's error text may quote the URL.
    literals.add(encodeURIComponent(secret));
    // A bot token's secret half on its own (the bot id before the colon is public).
    const half = /^\d+:(.+)$/.exec(secret)?.[1];
    if (half && half.length >= MIN_SECRET_LENGTH) literals.add(half);
  }
  // Longest first, so that a secret containing another is removed whole.
  const ordered = [...literals].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text.replace(TOKEN_SHAPE, REDACTED);
    for (const literal of ordered) out = out.split(literal).join(REDACTED);
    return out;
  };
}

/**
 * A short, salted, one-way id for a Telegram user: logs can tell users apart without
 * naming them. The same salt gives the same hash across restarts.
 */
export function hashUserId(id: number | string, salt: string): string {
  return createHash('sha256').update(salt).update(':').update(String(id)).digest('hex').slice(0, 12);
}
