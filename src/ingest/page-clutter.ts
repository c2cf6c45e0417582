/**
 * Removing page clutter from the text of a web page as a browser copies it: menus, share bars,
 * cookie and newsletter boxes, "Read also" lists, comment sections, footers, photo credits.
 * Pure functions over lines; each removal carries its reason, so an admin can see exactly what
 * was taken out and why. The build's cleaner (clean.ts) applies the same rules to every article.
 *
 * Article paragraphs are never edited: a line is kept whole or removed whole. The one exception
 * is a credit at the end of a line ("… on Tuesday. (Photo: Ana Ruiz)", "… said. (Reporting by Ana
 * Ruiz; editing by Tom Hale)"), which is cut off and reported, because it is the publisher's
 * label, not the article's text. A reporting credit names who wrote the report: `add-article`
 * takes it as the byline when the page has no "By …" line, so sources still say it.
 *
 * Rules are written for the shape of page furniture (a short line of a known label, a run of
 * short capitalised lines), not for any one site, and every rule that could swallow article
 * text is bounded: boxes and lists end at the first line that reads as prose, and a comment
 * section or footer is cut only after the article has begun.
 */

/** One non-empty line of a pasted page, trimmed, with its 1-based line number in the paste. */
export interface PageLine {
  text: string;
  line: number;
  /** A blank line comes before it: the page's blocks are told apart by these. */
  afterBlank?: boolean;
}

/** A line (or the end of a line) taken out of the page, and why. */
export interface Removal {
  text: string;
  line: number;
  reason: string;
  /** Lines removed as one box, list or section share a block number. */
  block?: number;
}

/**
 * The numbers the rules use. Word counts count words with a letter or digit.
 */
export const PAGE_CLUTTER_SETTINGS = Object.freeze({
  /** A menu item is a capitalised line of at most this many words ("Business & Economy"). */
  menuItemMaxWords: 3,
  /** This many menu items in a row are a menu; fewer may be an article's subheading. */
  menuRunLines: 3,
  /**
   * A caption needs this many words, once its credit is cut, to state something: the same
   * bound the index's cleaner uses (src/ingest/clean.ts) for captions and headings.
   */
  minCaptionWords: 6,
  /** Longest line a "Read also" list may hold as one of its links. */
  linkMaxWords: 25,
  /** A box's button ("Accept all", "No thanks") is at most this many words. */
  buttonMaxWords: 3,
  /** A line ending as a sentence with this many words is article prose. */
  proseMinWords: 8,
  /** A comment section or footer is cut only once this many prose lines have been kept. */
  articleStartedAfter: 2,
  /** A footer marker with this many prose lines after it is not a footer. */
  footerMaxProseAfter: 1,
  /** A cookie, newsletter or appeal box holds at most this many lines after its marker. */
  boxMaxLines: 8,
  /** A share bar is a line of at most this many words, every one a share word. */
  shareBarMaxWords: 12,
  /** A byline line ("By Ana Ruiz and Tom Hale, Valley Herald | 10 Oct 2025") is this short. */
  maxBylineWords: 16,
});

/** What follows a line that opens something: box lines, list links, or the rest of the page. */
type Opens = 'cookie box' | 'newsletter box' | 'support appeal' | 'link list' | 'comment section' | 'footer';

/** A whole-line rule: the reason it reports and, for markers, what the line opens. */
interface LineRule {
  reason: string;
  test: (text: string) => boolean;
  opens?: Opens;
}

const line = (re: RegExp) => (text: string) => re.test(text);

const PHOTO_AGENCIES = String.raw`reuters|afp|ap|associated press|getty images|getty|epa|epa-efe|shutterstock|tass|xinhua|anadolu(?: agency)?|dpa|efe|sputnik|ria novosti|public domain|pexels|unsplash|wikimedia commons`;

const SOCIAL = 'telegram|whatsapp|x|twitter|facebook|instagram|google news|youtube|tiktok|linkedin|threads|bluesky|vk';

/** Buttons of a cookie or newsletter box. */
const BUTTON = /^(accept|reject|agree|decline|allow|deny|manage|customi[sz]e|options|more options|settings|ok|okay|got it|i agree|i accept|close|dismiss|continue|save|confirm|learn more|no,? thanks|yes|submit|sign ?up|subscribe|email|e-mail|your email)\b/i;

/** Words of a cookie or privacy notice. */
const COOKIE_WORDS = /\b(cookies?|consent|personal data|privacy|partners|vendors|preferences|advertising|your device|legitimate interest|tracking|accept|reject|withdraw)\b/i;

/** Words of an appeal for readers' money. */
const APPEAL_WORDS = /\b(support|subscri\w*|donat\w*|journalism|readers like you|contribut\w*|paid|membership|members?)\b/i;

/** Words of a newsletter box. */
const NEWSLETTER_WORDS = /\b(newsletters?|inbox|subscri\w*|unsubscri\w*|sign(ing)?[ -]?up|e-?mail|privacy (policy|notice)|spam)\b/i;

/**
 * Whole-line rules, tried in order. The patterns match the whole line (so an article sentence
 * that mentions cookies or newsletters is not one of them), case-insensitively.
 */
const LINE_RULES: readonly LineRule[] = [
  { reason: 'navigation', test: line(/^(skip to (main )?(content|navigation)|skip navigation|official (web)?site|(version|mode) for the visually impaired|visually impaired( version)?|back to (the )?(list|news)|menu|main menu|open menu|close menu|toggle navigation|navigation|home|homepage|log ?in|sign ?in|log ?out|register|my account|account|donate|back to top|sections|all sections|e-?paper|live tv|watch live|subscribe|subscribe now|go to page|next article|previous article|next|previous)$/i) },
  { reason: 'search box', test: line(/^(search|search…|search\.\.\.|search for:?|search the site|search this site|search news|type to search|type (your )?(keywords?|search)( here)?( and (press|hit) enter)?|enter (your )?(keywords?|search terms?)|search query|submit search)$/i) },
  { reason: 'cookie notice', opens: 'cookie box', test: line(/^(we value your privacy|we care about your privacy|your privacy( choices| matters| settings)?|privacy (settings|preferences|choices)|before you continue( to [\p{L} ]+)?|manage (cookies|consent|preferences)|cookie (settings|preferences|consent)|this (site|website) uses cookies\.?)$/iu) },
  // A notice speaks to the reader ("we use cookies", "you agree"); a report on cookie law does not.
  { reason: 'cookie notice', opens: 'cookie box', test: (t) => /\bcookies?\b/i.test(t) && (/\b(we|this (site|website)|our (site|website)|our partners)\b[^.]*\b(use|uses|using|store|access)\b/i.test(t) || /\b(you|your)\b/i.test(t)) },
  { reason: 'newsletter box', opens: 'newsletter box', test: (t) => wordCount(t) <= 14 && /^(subscribe|sign up|get|join|never miss|don'?t miss|stay (informed|updated|up to date)|want more|enjoyed this|like this|receive)\b/i.test(t) && /\b(newsletters?|inbox|briefing|digest|subscribe)\b/i.test(t) },
  { reason: 'newsletter box', opens: 'newsletter box', test: line(/^(newsletters?|our newsletters?|the (daily|weekly|morning|evening) (briefing|newsletter|digest))$/i) },
  { reason: 'link list', opens: 'link list', test: line(/^[►▶→»•*-]?\s*(read (also|more|next)|also read|see also|more on (this|the) (topic|story|subject|issue)|more from [\p{L}' ]{1,30}|related( articles?| stories| news| coverage| content| posts?| reading| topics)?|you (may|might) also (like|be interested in)|recommended( for you| stories| reading| articles)?|most (read|popular|viewed|shared|commented)|popular( now| stories| posts| articles)?|trending( now| stories)?|latest( news| stories| articles)?|top stories|more stories|more news|editor'?s picks|don'?t miss|what to read next|keep reading|further reading|in other news|tags|topics|categories)\s*:?$/iu) },
  { reason: 'link to another article', test: (t) => /^[►▶→»•*-]?\s*(read (also|more|next)|also read|see also|related|more on this( topic| story)?|must read|watch|listen|recommended|opinion)\s*[:|–—-]\s*\S/i.test(t) && !endsAsSentence(t) },
  { reason: 'tags', test: line(/^(tags?|topics?|keywords?|filed under|categories|category)\s*:\s*\S/i) },
  {
    reason: 'follow us',
    test: (t) =>
      wordCount(t) <= 15 &&
      (/^(follow|find|like) us\s*(on\b|at\b|:|$)/i.test(t) ||
        /^(follow|join|subscribe to) (our|the) .{0,40}\b(channels?|pages?|accounts?|feeds?)\b/i.test(t) ||
        new RegExp(`^follow [\\p{L}.' -]{1,40} on (${SOCIAL})\\b`, 'iu').test(t)),
  },
  { reason: 'advertisement', test: line(/^[-–—(]?\s*(advertisement|advertising|ad|ads|sponsored( content)?|promoted( content)?|partner content|paid (post|content)|story continues below( this)? (advertisement|ad)|article continues (below|after (this )?(advertisement|ad))|continue reading (below|the main story)|scroll to continue( with content)?|reklama|реклама)\s*[-–—)]?$/iu) },
  // A blog's comment heading: "5 thoughts on “<headline>”", "One response to “…”".
  { reason: 'comment section', opens: 'comment section', test: (t) => wordCount(t) <= 30 && /^(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(thoughts?|comments?|responses?|replies|reactions?)\s+(on|to)\s+["“”'‘«]/i.test(t) },
  { reason: 'comment section', opens: 'comment section', test: line(/^(comments|comment|leave a (comment|reply)|post a comment|add (a|your) comment|write a comment|(log|sign) in to (comment|reply|join the (discussion|conversation))|join the (discussion|conversation)|show comments|view comments|readers'? comments|discussion|\d[\d,.]*\s+comments?|комментарии)\s*:?$/iu) },
  { reason: 'comment counter', test: line(/^(comments?\s*[:(]?\s*\d[\d,.]*\)?|no comments( yet)?\.?|be the first to comment\.?|\d[\d,.]*\s+(replies|responses))$/i) },
  { reason: 'view counter', test: line(/^(👁\s*)?\d[\d.,\s]*[km]?\s*(views?|reads?|readers|просмотр\p{L}*)$|^(views?|reads?|просмотры)\s*:?\s*\d[\d.,\s]*[km]?$/iu) },
  // A paywall's lines: "You've read 3 of your 3 free articles", "Get unlimited access …".
  {
    reason: 'paywall',
    test: (t) =>
      wordCount(t) <= 25 &&
      (/^you('ve| have) (read|reached|used) (\d+|all)( of (your|\d+))?( \d+)? free (articles?|stories|reads)\b/i.test(t) ||
        /^(get|unlock|enjoy|start) (unlimited|full|complete|digital|unrestricted) access\b/i.test(t) ||
        /^(subscribe|sign in|log in|register) (now )?to (continue|keep) reading\b/i.test(t) ||
        /^already (a subscriber|a member|have an account|registered)\b/i.test(t)),
  },
  { reason: 'reading time', test: line(/^(\d+\s*(min|mins|minutes?)(\s*(read|reading( time)?|listen))?|reading time\s*:?\s*\d+\s*(min|mins|minutes?)\.?)$/i) },
  { reason: 'timestamp', test: line(/^(\d+\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|months?)\s+ago|just now)$/i) },
  { reason: 'support appeal', opens: 'support appeal', test: line(/^(support (our|independent|quality) journalism|support us|become a (member|supporter|subscriber)|donate (now|today)|make a contribution)\s*[.!:]?$/i) },
  { reason: 'publisher disclaimer', test: line(/^disclaimer:\s/i) },
  { reason: 'page tool', test: line(/^(add as a preferred source on google|follow us\s*:?|(text|font) size\s*:?(\s*a[+-]?)*|listen( to (this|the) (article|story))?(\s*[·|-]?\s*\d+\s*(min|mins|minutes?))?|play( video)?|watch( video)?|video|audio|loading(…|\.\.\.)?|enlarge( this)? image|expand( image)?|toggle caption|hide caption|show caption|view (image|gallery|slideshow)|(image|photo) \d+ (of|\/) \d+|\d+\s*\/\s*\d+|open (image|gallery)|fullscreen|zoom|text size|font size|a\s*a\s*a|a-\s*a\s*a\+|print( this)?( article| page| version)?|printable version|save( (this )?article)?|bookmark|gift (this )?article)$/i) },
  { reason: 'like button', test: line(/^(like this:?|like|likes?|\d[\d,.]*\s+likes?|like loading(…|\.\.\.)?)$/i) },
  { reason: 'feedback widget', test: line(/^(was this (page|article|information|story) (helpful|useful)\??|did you find this (page|article|information) (helpful|useful)\??|rate this (article|page)|report an? (error|mistake|typo)|found an? (error|mistake|typo)\?.*)$/i) },
  { reason: 'footer', opens: 'footer', test: (t) => /all rights reserved/i.test(t) || /^(©|\(c\)|copyright\b\s*©?)\s*(\d{4}\s*[–-]\s*)?\d{4}\b/i.test(t) },
  { reason: 'copyright line', test: line(/^(©|\(c\)|copyright\b)/i) },
  { reason: 'footer link', test: line(/^(privacy( policy| notice)?|terms( of (use|service))?|terms (and|&) conditions|cookie policy|contact( us)?|about( us)?|imprint|impressum|accessibility|sitemap|careers|jobs|advertise( with us)?|rss( feeds?)?|editorial (policy|standards|guidelines)|code of conduct|faq|help|corrections)$/i) },
  {
    reason: 'photo credit',
    test: (t) => {
      const m = PHOTO_LABEL.exec(t);
      const rest = m ? t.slice(m[0].length) : '';
      // A credit names someone ("Ana Ruiz/Valley Herald", "press service of the ministry"); a
      // caption after the label ("Photo: workers inspect the spillway on Tuesday.") states something.
      return m !== null && (namesOnly(rest) || (!endsAsSentence(rest) && wordCount(rest) <= PAGE_CLUTTER_SETTINGS.minCaptionWords + 2));
    },
  },
  { reason: 'photo credit', test: line(new RegExp(String.raw`^\(?\s*(${PHOTO_AGENCIES})(\s+photo)?\s*(\/[^)]*)?\)?$`, 'i')) },
  { reason: 'share bar', test: isShareBar },
  { reason: 'reporting credit', test: isReportingCredit },
];

/** "(Reporting by …; editing by …)", "(Additional reporting by …)": the wire's credit line. */
const REPORTING_CREDIT = String.raw`\(\s*(additional )?(reporting|writing|editing|compiled|written|edited|produced) by\b[^()]*\)`;
const REPORTING_CREDIT_LINE = new RegExp(`^${REPORTING_CREDIT}$`, 'i');

/** A reporting credit after a paragraph's last sentence: "… said. (Reporting by …)". */
export const TRAILING_REPORTING_CREDIT = new RegExp(String.raw`(?<=[.!?…]["'”’)]?)\s*${REPORTING_CREDIT}\s*$`, 'i');

/** A whole line that is a reporting credit. */
export function isReportingCredit(text: string): boolean {
  return REPORTING_CREDIT_LINE.test(text);
}

/** The label a photo credit starts with: "Photo:", "Photo by", "Image ©", "Credit:". */
const PHOTO_LABEL = /^((photo|photograph|image|picture|illustration|graphic|foto|cover image|main image|top image|фото)s?( credit)?\s*(:|by\b|—|–)|credit\s*:|(photo|image)\s*(©|\(c\)))/iu;

/**
 * Text that only names people and agencies ("Ana Ruiz/Valley Herald", "courtesy of the
 * ministry"): at most one word in lower case besides linking words. A caption that states
 * something has verbs and nouns in lower case ("workers inspect the spillway").
 */
function namesOnly(text: string): boolean {
  const words = text.split(/[\s/]+/).filter((w) => /\p{L}/u.test(w));
  const lower = words.filter((w) => /^\p{Ll}/u.test(w) && !/^(for|via|and|the|of|by|from|courtesy|de|van|von|al|with)$/i.test(w));
  return words.length <= 12 && lower.length <= 1;
}

/** Credits at the end of a kept line, cut off with their reason. */
const TRAILING_CREDITS: ReadonlyArray<readonly [string, RegExp]> = [
  ['reporting credit', TRAILING_REPORTING_CREDIT],
  ['photo credit', /\s*\((photo|photograph|image|picture|foto|credit)s?\s*(:|by)\s*[^()]*\)\s*$/i],
  ['photo credit', /\s*\(\s*[\p{L}&.' -]{1,40}\s+photo\s*\/[^()]*\)\s*$/iu],
  ['photo credit', new RegExp(String.raw`\s*[/|]\s*(${PHOTO_AGENCIES})(\s+photo)?\s*$`, 'i')],
  ['photo credit', /(?<=[.!?…]["'”’)]?)\s+(photo|photograph|image|picture|credit)s?\s*(:|by\b)\s*[^.!?]{1,80}$/i],
  ['photo credit', /\s*\|\s*(photo|image|credit)s?\s*(:|by\b)\s*[^|]{1,80}$/i],
];

/**
 * Splits pasted text into its non-empty lines, trimmed, with their line numbers. CR LF and lone
 * CR end lines as LF does; a byte-order mark is dropped.
 */
export function splitPageLines(text: string): PageLine[] {
  const lines: PageLine[] = [];
  let blank = false;
  (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r\n|\r|\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '') blank = lines.length > 0;
    else {
      lines.push({ text: trimmed, line: index + 1, ...(blank ? { afterBlank: true } : {}) });
      blank = false;
    }
  });
  return lines;
}

/**
 * Removes page clutter from a page's lines. Three passes: whole-line rules and what their
 * markers open (a cookie or newsletter box runs over its buttons and notice text; a "Read also"
 * list over its links, up to the next line of prose; a comment section or a footer over the
 * rest of the page, once the article has begun); credits at the end of kept lines; runs of
 * menu items.
 * @param options.outlet the site's name: a line that is just the name is the site's logo
 */
export function removePageClutter(options: { lines: readonly PageLine[]; outlet?: string }): { kept: PageLine[]; removed: Removal[] } {
  const removed: Removal[] = [];
  const afterRules = applyLineRules({ lines: options.lines, outlet: options.outlet ?? '', removed });
  const afterCredits = afterRules.flatMap((l) => cutTrailingCredits({ line: l, removed }));
  const kept = removeMenus({ lines: afterCredits, removed });
  removed.sort((a, b) => a.line - b.line);
  return { kept, removed };
}

function applyLineRules(options: { lines: readonly PageLine[]; outlet: string; removed: Removal[] }): PageLine[] {
  const { lines, outlet, removed } = options;
  const settings = PAGE_CLUTTER_SETTINGS;
  const outletKey = squash(outlet);
  const kept: PageLine[] = [];
  // `spaced`: the page puts blank lines between a list's links, so a blank line does not end it.
  let open: { kind: Opens; block: number; items: number; spaced: boolean } | undefined;
  let blocks = 0;
  let prose = 0;
  lines.forEach((l, index) => {
    const { text } = l;
    // A new marker ends a box or list (not a comment section or footer: those run to the end).
    const marker = open && (open.kind === 'comment section' || open.kind === 'footer') ? undefined : LINE_RULES.find((r) => r.opens && r.opens !== open?.kind && r.test(text));
    if (open?.kind === 'link list' && open.items === 0) open.spaced = l.afterBlank === true;
    const listEnded =
      (open?.kind === 'link list' && open.items > 0 && !open.spaced && l.afterBlank === true) ||
      (open !== undefined && open.kind !== 'link list' && open.kind !== 'comment section' && open.kind !== 'footer' && open.items >= settings.boxMaxLines);
    if (open && !marker && !listEnded && continues({ kind: open.kind, text })) {
      open.items++;
      removed.push({ text, line: l.line, reason: OPENS_REASON[open.kind], block: open.block });
      return;
    }
    open = undefined;
    if (outletKey !== '' && squash(text) === outletKey) {
      removed.push({ text, line: l.line, reason: 'site name' });
      return;
    }
    // A share bar's buttons, one a line: "X" after "Facebook" is one of them.
    const previous = removed.at(-1);
    if (previous?.reason === 'share bar' && previous.line === l.line - 1 && isShareButtons(text)) {
      removed.push({ text, line: l.line, reason: 'share bar' });
      return;
    }
    const rule = LINE_RULES.find((r) => r.test(text));
    if (!rule) {
      kept.push(l);
      if (isProse(text)) prose++;
      return;
    }
    let opens = rule.opens;
    // A comment link or a copyright line above the article is furniture, not the page's end;
    // a footer marker with the article going on after it was a photo's copyright.
    if ((opens === 'comment section' || opens === 'footer') && prose < settings.articleStartedAfter) opens = undefined;
    if (opens === 'footer' && lines.slice(index + 1).filter((next) => isProse(next.text)).length > settings.footerMaxProseAfter) opens = undefined;
    if (opens) {
      open = { kind: opens, block: ++blocks, items: 0, spaced: false };
      removed.push({ text, line: l.line, reason: OPENS_REASON[opens], block: open.block });
      return;
    }
    removed.push({ text, line: l.line, reason: demoted(rule.reason, text) });
  });
  return kept;
}

/** The reason a marker reports when it opens nothing (above the article, or the article goes on). */
function demoted(reason: string, text: string): string {
  if (reason === 'comment section') return /^\d/.test(text) ? 'comment counter' : 'comment link';
  if (reason === 'footer') return 'copyright line';
  return reason;
}

/** What each opened box, list or section reports for its lines. */
const OPENS_REASON: Readonly<Record<Opens, string>> = Object.freeze({
  'cookie box': 'cookie notice',
  'newsletter box': 'newsletter box',
  'support appeal': 'support appeal',
  'link list': 'related links',
  'comment section': 'comment section',
  footer: 'footer',
});

/** Whether a line belongs to the box, list or section the previous marker opened. */
function continues(options: { kind: Opens; text: string }): boolean {
  const { kind, text } = options;
  const settings = PAGE_CLUTTER_SETTINGS;
  const words = wordCount(text);
  const button = words <= settings.buttonMaxWords && BUTTON.test(text);
  switch (kind) {
    case 'comment section':
    case 'footer':
      return true;
    case 'cookie box':
      return button || COOKIE_WORDS.test(text) || (words <= settings.buttonMaxWords && /\b(cookies?|privacy|consent|partners)\b/i.test(text));
    case 'newsletter box':
      return button || (NEWSLETTER_WORDS.test(text) && words <= 40);
    case 'support appeal':
      return button || (APPEAL_WORDS.test(text) && words <= 60);
    case 'link list':
      // Links are headlines: no final full stop. Their dates and counters go with them.
      return (words <= settings.linkMaxWords && !/[.…]["'”’»)\]]*$/.test(text)) || /^\d[\d.,:\s/-]*$/.test(text);
  }
}

/** Cuts credits off the end of a kept line; a caption left with too little to say goes whole. */
function cutTrailingCredits(options: { line: PageLine; removed: Removal[] }): PageLine[] {
  const { line: l, removed } = options;
  let text = l.text;
  const cuts: Removal[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const [reason, re] of TRAILING_CREDITS) {
      const match = re.exec(text);
      if (!match || match.index === 0) continue;
      cuts.push({ text: match[0].trim(), line: l.line, reason: `${reason}, cut from the end of its line` });
      text = text.slice(0, match.index);
      changed = true;
    }
  }
  if (cuts.length === 0) return [l];
  if (cuts.some((c) => c.reason.startsWith('photo credit')) && wordCount(text) < PAGE_CLUTTER_SETTINGS.minCaptionWords) {
    removed.push({ text: l.text, line: l.line, reason: 'photo caption that states nothing' });
    return [];
  }
  removed.push(...cuts.reverse());
  return [{ ...l, text }];
}

/** Runs of menu items: short capitalised lines that are not sentences, labels or bylines. */
function removeMenus(options: { lines: readonly PageLine[]; removed: Removal[] }): PageLine[] {
  const { lines, removed } = options;
  const kept: PageLine[] = [];
  let run: PageLine[] = [];
  const flush = () => {
    if (run.length >= PAGE_CLUTTER_SETTINGS.menuRunLines) removed.push(...run.map((l) => ({ text: l.text, line: l.line, reason: 'menu' })));
    else kept.push(...run);
    run = [];
  };
  for (const l of lines) {
    const joined = joinedMenu(l.text);
    if (joined) {
      flush();
      removed.push({ text: l.text, line: l.line, reason: joined });
      continue;
    }
    if (isMenuItem(l.text)) {
      run.push(l);
      continue;
    }
    flush();
    kept.push(l);
  }
  flush();
  kept.sort((a, b) => a.line - b.line);
  return kept;
}

/** A whole menu on one line ("Home | World | Sport") or a breadcrumb ("News › Region"). */
function joinedMenu(text: string): 'menu' | 'breadcrumb' | undefined {
  const items = text.split(/\s+[|•·›»>/]\s+|\s*[|•·›»]\s*/).filter((s) => s !== '');
  if (items.length < 2 || !items.every((item) => isMenuItem(item))) return undefined;
  return /[›»>/]/.test(text) ? 'breadcrumb' : 'menu';
}

/** A menu item: a short capitalised line that is no sentence, label or byline. */
export function isMenuItem(text: string): boolean {
  return (
    wordCount(text) <= PAGE_CLUTTER_SETTINGS.menuItemMaxWords &&
    text.length <= 40 &&
    /^[\p{Lu}\p{Lt}]/u.test(text) &&
    // Labels ("Updated: …") and dates are not menu items.
    !/[:.!?…]$|:\s|\d/.test(text) &&
    !/^by\s/i.test(text)
  );
}

const SHARE_WORD = /^(share|shares|shared|tweet|copy|link|copied|email|e-mail|mail|print|facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|vk|viber|messenger|flipboard|threads|bluesky|on|this|article|story|page|post|via|to|the)$/i;
const SHARE_CORE = /^(share|shares|tweet|copy|facebook|twitter|linkedin|whatsapp|telegram|reddit|pinterest|vk|viber|messenger|flipboard|bluesky|email|e-mail)$/i;

/** Share words only ("X", "Copy link"), as the buttons after a share bar's first line are. */
function isShareButtons(text: string): boolean {
  return shareTokens(text) !== undefined;
}

/** A line of share buttons: "Share", "Share this article", "Facebook | X | Copy link", "1.2K shares". */
export function isShareBar(text: string): boolean {
  return shareTokens(text)?.some((t) => SHARE_CORE.test(t)) === true;
}

/** The line's words when every one is a share word or a count, and there are few enough. */
function shareTokens(text: string): string[] | undefined {
  const tokens = text.split(/[\s|·•,/]+/).map((t) => t.replace(/[^\p{L}\p{N}.-]/gu, '')).filter((t) => t !== '');
  if (tokens.length === 0 || tokens.length > PAGE_CLUTTER_SETTINGS.shareBarMaxWords) return undefined;
  return tokens.every((t) => SHARE_WORD.test(t) || /^\d[\d.,]*[km]?$/i.test(t)) ? tokens : undefined;
}

/** Words with a letter or digit. */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Ends like a sentence: terminal punctuation, maybe inside closing quotes or brackets. */
export function endsAsSentence(text: string): boolean {
  return /[.!?…]["'”’»)\]]*$/.test(text);
}

/** A line of article prose: a sentence of several words. */
export function isProse(text: string): boolean {
  return endsAsSentence(text) && wordCount(text) >= PAGE_CLUTTER_SETTINGS.proseMinWords;
}

/** "By …", "Written by …", "Author: …": the start of the line that names the writer. */
export const BYLINE = /^(by|written by|words by|story by|text by|author:|автор:)\s*(?=[\p{Lu}\p{Lt}])/iu;

/**
 * A line that names the writer: "By Ana Ruiz", "By Ana Ruiz | 10 Oct 2025 | 4 min read".
 * add-article reads the byline from it; the build's cleaner does not quote it.
 */
export function isBylineLine(text: string): boolean {
  return BYLINE.test(text) && wordCount(text) <= PAGE_CLUTTER_SETTINGS.maxBylineWords && !isProse(text);
}

/** Letters and digits only, lower case: compares copies of a line that differ in punctuation. */
export function squash(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
