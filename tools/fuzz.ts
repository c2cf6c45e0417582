import { seededRandom } from '../src/core/random.js';
/**
 * Seeded generator of hostile questions for the robustness tests of the engine and the bot.
 * The same seed always gives the same inputs, so a failure names a reproducible case.
 */

/** A small, fast, seeded PRNG (mulberry32). */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Integer in [min, max]. */
  between(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function createRng(seed: number): Rng {
  const next = seededRandom(seed);
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(items.length)] as T;
    },
    chance: (p) => next() < p,
  };
}

export type FuzzKind =
  | 'real'
  | 'real-with-noise'
  | 'random-unicode'
  | 'rtl'
  | 'zero-width'
  | 'control'
  | 'emoji-only'
  | 'long'
  | 'html-injection'
  | 'markdown-injection'
  | 'empty'
  | 'whitespace'
  | 'punctuation-only'
  | 'ask-empty'
  | 'ask-other-bot'
  | 'ask-command'
  | 'lone-surrogate';

export interface FuzzCase {
  kind: FuzzKind;
  text: string;
  /**
   * True when the text has no word in it at all (empty, blanks, punctuation, emoji, invisible
   * characters): the engine must decline it as empty.
   */
  wordless: boolean;
}

const KINDS: readonly FuzzKind[] = [
  'real',
  'real-with-noise',
  'random-unicode',
  'rtl',
  'zero-width',
  'control',
  'emoji-only',
  'long',
  'html-injection',
  'markdown-injection',
  'empty',
  'whitespace',
  'punctuation-only',
  'ask-empty',
  'ask-other-bot',
  'ask-command',
  'lone-surrogate',
];

/** Every kind the generator makes; `generateFuzzCases` cycles through them. */
export const FUZZ_KINDS = KINDS;

/** The longest generated text (Telegram's own message limit is 4096; the CLI has none). */
export const FUZZ_LONG_CHARS = 10_000;

const REAL_QUESTIONS = [
  'How much trade did Russia do with Central Asia?',
  'What did Putin say in Dushanbe?',
  'When did Putin visit Tajikistan?',
  'What about the Russian military base?',
  'What did Rahmon say about migration?',
  'Who attended the summit in October 2025?',
  'centrl asia trad volume',
  'What about the 201st base?',
  'Putin Rahmon talks 2022',
  'What is the weather on Mars?',
];

const HTML_PAYLOADS = [
  '<b>bold</b>',
  '</blockquote>',
  '<blockquote>',
  '&amp;',
  '&lt;b&gt;',
  '&#60;script&#62;',
  '&',
  '&;',
  '&notanentity;',
  '<a href="javascript:alert(1)">x</a>',
  '<a href=javascript:alert(1)>click</a>',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<i>',
  '</i></b></pre>',
  '<pre><code class="language-js">',
  '<tg-spoiler>',
  '<span class="tg-spoiler">',
  '<!-- comment -->',
  '<![CDATA[x]]>',
  '"><svg/onload=alert(1)>',
  "'; DROP TABLE users; --",
  '<',
  '>',
  '<<>>',
];

const MARKDOWN_PAYLOADS = [
  '**bold**',
  '__underline__',
  '*x',
  '_y',
  '`code`',
  '```js\nalert(1)\n```',
  '[link](javascript:alert(1))',
  '[a](tg://user?id=1)',
  '||spoiler||',
  '~~strike~~',
  '> quote',
  '\\',
  '\\*',
  '# heading',
];

const PUNCTUATION = [...'!?.,;:\'"()[]{}-–—…«»‹›“”‘’„¿¡·•§¶†‡※‼⁇、。「」『』【】〔〕・'];

/** Emoji without letters or digits in them (no keycaps, no regional letters). */
const EMOJI_RANGES: Array<[number, number]> = [
  [0x1f300, 0x1f5ff],
  [0x1f600, 0x1f64f],
  [0x1f680, 0x1f6c5],
  [0x1f900, 0x1f9ff],
];
const EMOJI_JOINERS = ['\u200d', '\ufe0f', '\u{1f3fb}', '\u{1f3ff}'];

const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\ufeff', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];

const RTL_TEXT = ['ما هو حجم التجارة', 'بوتين في دوشنبه', 'מה אמר פוטין', 'دوشنبه', 'سلام', 'שלום עולם'];

/** Code point ranges for random Unicode: scripts, symbols, astral planes, combining marks. */
const UNICODE_RANGES: Array<[number, number]> = [
  [0x20, 0x7e],
  [0xa0, 0x24f],
  [0x300, 0x36f],
  [0x370, 0x3ff],
  [0x400, 0x4ff],
  [0x590, 0x6ff],
  [0x900, 0x97f],
  [0xe00, 0xe7f],
  [0x1100, 0x11ff],
  [0x2000, 0x206f],
  [0x2100, 0x23ff],
  [0x3040, 0x30ff],
  [0x4e00, 0x4fff],
  [0xac00, 0xad00],
  [0xfe00, 0xfe0f],
  [0xff00, 0xffef],
  [0x1d400, 0x1d7ff],
  [0x1f300, 0x1faff],
  [0x20000, 0x200ff],
];

function codePointFrom(rng: Rng, ranges: Array<[number, number]>): string {
  const [lo, hi] = rng.pick(ranges);
  return String.fromCodePoint(rng.between(lo, hi));
}

function randomUnicode(rng: Rng, length: number): string {
  let out = '';
  while (out.length < length) out += codePointFrom(rng, UNICODE_RANGES);
  return out;
}

function controlChars(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    const code = rng.chance(0.8) ? rng.int(0x20) : rng.between(0x7f, 0x9f);
    out += String.fromCharCode(code);
  }
  return out;
}

function emojiOnly(rng: Rng): string {
  let out = '';
  const n = rng.between(1, 12);
  for (let i = 0; i < n; i++) {
    out += codePointFrom(rng, EMOJI_RANGES);
    if (rng.chance(0.3)) out += rng.pick(EMOJI_JOINERS);
    if (rng.chance(0.2)) out += ' ';
  }
  return out;
}

function sprinkle(rng: Rng, text: string, pieces: readonly string[], p: number): string {
  let out = '';
  for (const ch of text) {
    if (rng.chance(p)) out += rng.pick(pieces);
    out += ch;
  }
  return out;
}

function makeCase(rng: Rng, kind: FuzzKind): FuzzCase {
  const real = () => rng.pick(REAL_QUESTIONS);
  switch (kind) {
    case 'real':
      return { kind, text: real(), wordless: false };
    case 'real-with-noise':
      return { kind, text: sprinkle(rng, real(), [...ZERO_WIDTH, ...HTML_PAYLOADS, '😀', '\u0301'], 0.08), wordless: false };
    case 'random-unicode':
      return { kind, text: randomUnicode(rng, rng.between(1, 300)), wordless: false };
    case 'rtl':
      return { kind, text: `${rng.pick(RTL_TEXT)} ${rng.chance(0.5) ? real() : ''} ${rng.pick(['\u202e', '\u202b', ''])}${rng.pick(RTL_TEXT)}`, wordless: false };
    case 'zero-width': {
      const only = rng.chance(0.4);
      const text = only
        ? Array.from({ length: rng.between(1, 40) }, () => rng.pick(ZERO_WIDTH)).join('')
        : sprinkle(rng, real(), ZERO_WIDTH, 0.3);
      return { kind, text, wordless: only };
    }
    case 'control': {
      const only = rng.chance(0.4);
      const text = only ? controlChars(rng, rng.between(1, 50)) : sprinkle(rng, real(), [controlChars(rng, 1), '\0', '\r', '\u0085'], 0.2);
      return { kind, text, wordless: only };
    }
    case 'emoji-only':
      return { kind, text: emojiOnly(rng), wordless: true };
    case 'long': {
      const base = rng.pick([() => real(), () => randomUnicode(rng, 50), () => rng.pick(HTML_PAYLOADS), () => 'a']);
      let text = '';
      while (text.length < FUZZ_LONG_CHARS) text += `${base()} `;
      return { kind, text: text.slice(0, FUZZ_LONG_CHARS), wordless: false };
    }
    case 'html-injection': {
      const parts = Array.from({ length: rng.between(1, 6) }, () => rng.pick(HTML_PAYLOADS));
      if (rng.chance(0.6)) parts.splice(rng.int(parts.length + 1), 0, real());
      return { kind, text: parts.join(rng.pick(['', ' ', '\n'])), wordless: false };
    }
    case 'markdown-injection': {
      const parts = Array.from({ length: rng.between(1, 5) }, () => rng.pick(MARKDOWN_PAYLOADS));
      parts.splice(rng.int(parts.length + 1), 0, real());
      return { kind, text: parts.join(' '), wordless: false };
    }
    case 'empty':
      return { kind, text: '', wordless: true };
    case 'whitespace':
      return {
        kind,
        text: Array.from({ length: rng.between(1, 30) }, () => rng.pick([' ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\u2028', '\u2029'])).join(''),
        wordless: true,
      };
    case 'punctuation-only':
      return { kind, text: Array.from({ length: rng.between(1, 40) }, () => rng.pick(PUNCTUATION)).join(rng.chance(0.3) ? ' ' : ''), wordless: true };
    case 'ask-empty':
      return { kind, text: rng.pick(['/ask', '/ask ', '/ask   \n', '/ask@DushanbeQuotesBot', '/ask\u200b']), wordless: false };
    case 'ask-other-bot':
      return { kind, text: `/ask@OtherBot ${rng.chance(0.7) ? real() : ''}`, wordless: false };
    case 'ask-command':
      return { kind, text: `${rng.pick(['/ask', '/ASK', '/ask@DushanbeQuotesBot', '/start', '/help', '/sources', '/reload', '/unknown'])} ${rng.chance(0.8) ? real() : rng.pick(HTML_PAYLOADS)}`, wordless: false };
    case 'lone-surrogate':
      return { kind, text: `${real()} ${rng.pick(['\ud800', '\udfff', '\ud83d'])} ${rng.pick(['\udc00', 'x'])}`, wordless: false };
  }
}

/**
 * `count` cases from `seed`, cycling through every kind so each appears count/kinds times.
 * @default seed 20251009
 */
export function generateFuzzCases(options: { count: number; seed?: number }): FuzzCase[] {
  const rng = createRng(options.seed ?? 20251009);
  return Array.from({ length: options.count }, (_, i) => makeCase(rng, KINDS[i % KINDS.length] as FuzzKind));
}
