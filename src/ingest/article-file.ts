import type { Article } from './front-matter.js';

/** How long a drafted article id may grow, in characters, and its outlet part. */
export const ARTICLE_ID_LIMITS = Object.freeze({ maxChars: 80, maxOutletChars: 24 });

/**
 * Letters NFKD does not take apart, and Russian (the bot's other language), in ASCII. Other
 * scripts drop out of the id, which then falls back to the outlet and the date.
 */
const ASCII: Readonly<Record<string, string>> = Object.freeze({
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i',
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts',
  ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
});

/**
 * Lower-case ASCII letters and digits joined by single hyphens, at most `maxChars` long, cut
 * at a word boundary: "Valley Herald — Dam opens, at last!" → "valley-herald-dam-opens-at-last".
 */
export function slugify(text: string, maxChars: number): string {
  const ascii = [...text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()].map((c) => ASCII[c] ?? c).join('');
  const slug = ascii.replace(/&/g, ' and ').replace(/['’]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (slug.length <= maxChars) return slug;
  const cut = slug.slice(0, maxChars + 1);
  const boundary = cut.lastIndexOf('-');
  return (boundary > 0 ? cut.slice(0, boundary) : slug.slice(0, maxChars)).replace(/-+$/, '');
}

/**
 * The file name (without .md) for a new article: outlet, year and headline, as the corpus's own
 * files are named ("bne-2025-putin-calls-for-central-asia-trade"), made unique against `taken`
 * (lower-case names already in the folder) with -2, -3, …
 */
export function articleId(options: { outlet: string; title: string; date: string | null; taken: ReadonlySet<string> }): string {
  const { outlet, title, date, taken } = options;
  const limits = ARTICLE_ID_LIMITS;
  const head = [slugify(outlet, limits.maxOutletChars), date?.slice(0, 4) ?? ''].filter((p) => p !== '').join('-');
  const headline = slugify(title, Math.max(8, limits.maxChars - head.length - 4));
  const base = [head, headline].filter((p) => p !== '').join('-') || 'article';
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/**
 * An article as a corpus file: the front matter, values as JSON strings (which front-matter.ts
 * reads as double-quoted strings) or null, then the body as it is.
 */
export function renderArticleFile(article: Omit<Article, 'id'>): string {
  const value = (v: string | null) => (v === null ? 'null' : JSON.stringify(v));
  return [
    '---',
    `title: ${value(article.title)}`,
    `outlet: ${value(article.outlet)}`,
    `date: ${article.date ?? 'null'}`,
    `byline: ${value(article.byline)}`,
    `url: ${value(article.url)}`,
    `event: ${value(article.event)}`,
    '---',
    article.body.replace(/\s+$/, ''),
  ].join('\n') + '\n';
}
