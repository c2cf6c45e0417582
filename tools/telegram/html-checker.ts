/**
 * A strict parser for the HTML subset Telegram accepts with `parse_mode: 'HTML'`, written from
 * the Bot API's "HTML style" rules, so tests reject what Telegram would reject:
 * - only these tags: b, strong, i, em, u, ins, s, strike, del, span class="tg-spoiler",
 *   tg-spoiler, a href, code (class="language-…" inside pre), pre, blockquote (optionally
 *   expandable), tg-emoji emoji-id;
 * - tags closed in order; no blockquote in a blockquote, no link in a link, nothing but a
 *   language code block inside pre and nothing inside code;
 * - every `<`, `>` and `&` that is not part of a tag or entity is escaped; named entities only
 *   &lt; &gt; &amp; &quot;, numeric ones any.
 */
export interface TelegramHtmlResult {
  errors: string[];
  /** The text a reader sees: tags removed, entities decoded. */
  text: string;
  /** Every tag as written, e.g. `<a href="…">`, `</b>`. */
  tags: string[];
}

const ATTRIBUTES: Record<string, readonly string[]> = {
  b: [],
  strong: [],
  i: [],
  em: [],
  u: [],
  ins: [],
  s: [],
  strike: [],
  del: [],
  span: ['class'],
  'tg-spoiler': [],
  a: ['href'],
  code: ['class'],
  pre: [],
  blockquote: ['expandable'],
  'tg-emoji': ['emoji-id'],
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** Telegram's limit on a message's text after entities are parsed. */
export const TELEGRAM_TEXT_LIMIT = 4096;

const TAG = /^<(\/?)([a-z][a-z0-9-]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/;
const ENTITY = /^&(?:(lt|gt|amp|quot)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/;

function decodeEntities(value: string, errors: string[], where: string): string {
  let out = '';
  for (let i = 0; i < value.length; ) {
    const ch = value[i] as string;
    if (ch !== '&') {
      out += ch;
      i++;
      continue;
    }
    const m = ENTITY.exec(value.slice(i, i + 12));
    if (!m) {
      errors.push(`${where}: bare & at ${i}: ${JSON.stringify(value.slice(i, i + 12))}`);
      out += ch;
      i++;
      continue;
    }
    const code = m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? parseInt(m[3], 16) : undefined;
    if (code !== undefined && (code > 0x10ffff || code === 0)) errors.push(`${where}: entity out of range ${m[0]}`);
    out += m[1] !== undefined ? (NAMED_ENTITIES[m[1]] ?? '') : String.fromCodePoint(Math.min(code ?? 0x3f, 0x10ffff));
    i += m[0].length;
  }
  return out;
}

/** Parses `html` as Telegram would; `errors` is empty when Telegram accepts it. */
export function parseTelegramHtml(html: string): TelegramHtmlResult {
  const errors: string[] = [];
  const tags: string[] = [];
  const stack: Array<{ name: string; attributes: Record<string, string> }> = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const ch = html[i] as string;
    if (ch === '<') {
      const m = TAG.exec(html.slice(i, i + 2000));
      if (!m) {
        errors.push(`raw < at ${i}: ${JSON.stringify(html.slice(i, i + 20))}`);
        i++;
        continue;
      }
      const [whole, closing, name = '', rawAttributes = ''] = m;
      tags.push(whole);
      i += whole.length;
      const allowed = ATTRIBUTES[name];
      if (!allowed) {
        errors.push(`tag not allowed: ${whole}`);
        continue;
      }
      if (closing) {
        if (rawAttributes.trim() !== '') errors.push(`closing tag with attributes: ${whole}`);
        const open = stack.pop();
        if (open?.name !== name) errors.push(`unbalanced ${whole}: open is ${open ? `<${open.name}>` : 'nothing'}`);
        continue;
      }
      const attributes: Record<string, string> = {};
      for (const a of rawAttributes.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
        const key = a[1] ?? '';
        if (!allowed.includes(key)) errors.push(`attribute ${key} not allowed on <${name}>`);
        attributes[key] = decodeEntities(a[2] ?? '', errors, `attribute ${key} of <${name}>`);
      }
      if (name === 'span' && attributes.class !== 'tg-spoiler') errors.push(`<span> must be class="tg-spoiler": ${whole}`);
      if (name === 'a' && !/^(https?:\/\/|tg:\/\/|mailto:)/i.test(attributes.href ?? '')) errors.push(`link without a safe href: ${whole}`);
      if (name === 'tg-emoji' && !/^\d+$/.test(attributes['emoji-id'] ?? '')) errors.push(`tg-emoji needs a numeric emoji-id: ${whole}`);
      const parent = stack.at(-1);
      if (parent?.name === 'code') errors.push(`<${name}> inside <code>`);
      if (parent?.name === 'pre' && !(name === 'code' && /^language-[\w+-]+$/.test(attributes.class ?? ''))) errors.push(`<${name}> inside <pre>`);
      if (name === 'code' && attributes.class !== undefined && parent?.name !== 'pre') errors.push('code class outside pre');
      if (name === 'blockquote' && stack.some((t) => t.name === 'blockquote')) errors.push('nested <blockquote>');
      if (name === 'a' && stack.some((t) => t.name === 'a')) errors.push('nested <a>');
      stack.push({ name, attributes });
      continue;
    }
    if (ch === '>') {
      errors.push(`raw > at ${i}`);
      text += ch;
      i++;
      continue;
    }
    if (ch === '&') {
      const m = ENTITY.exec(html.slice(i, i + 12));
      if (!m) {
        errors.push(`bare & at ${i}: ${JSON.stringify(html.slice(i, i + 12))}`);
        text += ch;
        i++;
        continue;
      }
      text += decodeEntities(m[0], errors, 'text');
      i += m[0].length;
      continue;
    }
    text += ch;
    i++;
  }
  for (const open of stack.reverse()) errors.push(`<${open.name}> never closed`);
  if (text.length > TELEGRAM_TEXT_LIMIT) errors.push(`text of ${text.length} characters (limit ${TELEGRAM_TEXT_LIMIT})`);
  if (text.trim() === '') errors.push('empty message text');
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) errors.push('lone surrogate (not valid UTF-8)');
  return { errors, text, tags };
}

/**
 * Tag-like pieces of user text that must never reach a reply as markup: a tag with content
 * (`<b>x</b>`), or any tag the bot itself never writes.
 */
export function markupFragments(userText: string): string[] {
  const withContent = [...userText.matchAll(/<([a-z][\w-]*)[^<>]*>[^<>]+<\/\1\s*>/gi)].map((m) => m[0]);
  const lone = [...userText.matchAll(/<\/?[a-z!][^<>]*>/gi)].map((m) => m[0]).filter((t) => !/^<\/?(b|i|a|code|blockquote)>$/i.test(t));
  return [...new Set([...withContent, ...lone])];
}
