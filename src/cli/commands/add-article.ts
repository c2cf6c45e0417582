import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineCommand } from 'citty';
import { parseEngineConfig } from '../../app/config.js';
import { CorpusError, InputError } from '../../core/errors.js';
import { articleId, renderArticleFile } from '../../ingest/article-file.js';
import { draftArticle } from '../../ingest/draft-article.js';
import { findDuplicates } from '../../ingest/duplicates.js';
import { MAX_FIELD_CHARS, parseArticle, unsafeCharacter, type Article } from '../../ingest/front-matter.js';
import { loadCorpus, MAX_ARTICLE_BYTES, textProblem } from '../../ingest/load.js';
import type { Removal } from '../../ingest/page-clutter.js';
import { prepareArticle } from '../../ingest/prepare.js';
import type { CliIo } from '../io.js';
import { ioOf } from '../io.js';

/** The largest page accepted: a page is the article and its clutter, so a few articles' worth. */
const MAX_PAGE_BYTES = 4 * MAX_ARTICLE_BYTES;

/** A removed line is shown up to this many characters. */
const SHOWN_CHARS = 100;

/**
 * `add-article`: turns a page's text, as a browser copies it, into a corpus article. Drafts the
 * title, date and byline the admin does not give, removes the page's clutter (each removal
 * reported on stderr with its reason), refuses a page that holds no article or one already in
 * the corpus, and writes CORPUS_DIR/<id>.md without ever overwriting a file. The written path
 * is the last line of stdout.
 */
export const addArticleCommand = defineCommand({
  meta: { name: 'add-article', description: 'Add an article to the corpus from a page copied from the browser' },
  args: {
    file: { type: 'positional', required: false, description: 'the page text as the browser copies it (select all, copy, save as UTF-8), or - for standard input', valueHint: 'FILE' },
    outlet: { type: 'string', description: 'the publisher, as replies name it (required)', valueHint: 'NAME' },
    event: { type: 'string', description: 'the news event the article covers, as /help lists it, e.g. "October 2025 visit" (required)', valueHint: 'LABEL' },
    date: { type: 'string', description: "the publication day (default: read from the page's date line, else null)", valueHint: 'YYYY-MM-DD' },
    title: { type: 'string', description: "the headline (default: the page's headline)", valueHint: 'TEXT' },
    byline: { type: 'string', description: 'the writer (default: the page\'s "By …" line, else null)', valueHint: 'TEXT' },
    url: { type: 'string', description: "the page's address (default: null; never guessed)", valueHint: 'URL' },
    corpus: { type: 'string', description: 'the corpus folder (default: CORPUS_DIR)', valueHint: 'DIR' },
    'dry-run': { type: 'boolean', description: 'print the article file instead of writing it' },
  },
  async run(context) {
    const io = ioOf(context);
    const { args } = context;
    const corpusDir = args.corpus ?? parseEngineConfig(io.env).corpusDir;
    const file = args.file;
    const problem = await usageProblem({ file, extra: args._.slice(1), args, corpusEvents: () => corpusEvents(corpusDir) });
    if (problem) {
      io.stderr.write(`error: ${problem} (usage: add-article FILE --outlet NAME --event LABEL [options]; --help lists them)\n`);
      return 2;
    }
    const text = decodePage(await readPage({ file: file ?? '-', io }));
    const draft = draftArticle({
      text,
      outlet: (args.outlet ?? '').trim(),
      event: (args.event ?? '').trim(),
      ...(args.title !== undefined ? { title: args.title.trim() } : {}),
      ...(args.date !== undefined ? { date: args.date } : {}),
      ...(args.byline !== undefined ? { byline: args.byline.trim() } : {}),
      ...(args.url !== undefined ? { url: args.url } : {}),
    });
    const rendered = renderArticleFile(draft.article);
    if (Buffer.byteLength(rendered) > MAX_ARTICLE_BYTES) {
      throw new InputError(`the article is ${Buffer.byteLength(rendered).toLocaleString('en')} bytes once cleaned, over the corpus limit of ${MAX_ARTICLE_BYTES.toLocaleString('en')}; is this one article?`);
    }
    const names = await readdir(corpusDir).catch(() => [] as string[]);
    const existing = names.some((n) => /\.md$/i.test(n) && !n.startsWith('.')) ? await loadCorpus({ dir: corpusDir }).catch(oneLine) : [];
    const copy = findCopy({ article: draft.article, corpus: existing });
    if (copy) throw new InputError(`this article is already in the corpus: ${join(corpusDir, `${copy.id}.md`)} ${copy.overlap === 1 ? 'holds the same text' : `holds nearly the same paragraphs (${Math.floor(copy.overlap * 100)}% of the shorter one's text is in the other)`}; nothing written`);
    const taken = new Set(names.filter((n) => /\.md$/i.test(n)).map((n) => n.slice(0, -3).toLowerCase()));
    const id = articleId({ outlet: draft.article.outlet, title: draft.article.title, date: draft.article.date, taken });
    // What is written must load: the same parser the build uses reads it back first.
    parseArticle({ id, text: rendered });

    for (const line of describeRemovals(draft.removed)) io.stderr.write(`${line}\n`);
    for (const note of draft.notes) io.stderr.write(`${note}\n`);
    if (args['dry-run']) {
      io.stdout.write(rendered);
      io.stderr.write(`dry run: would write ${join(corpusDir, `${id}.md`)}\n`);
      return 0;
    }
    const path = await writeNew({ dir: corpusDir, id, text: rendered, taken });
    io.stderr.write('check the file, then rebuild the index: npm run build-index\n');
    io.stdout.write(`${path}\n`);
    return 0;
  },
});

/** A corpus with problems stops the command in one line (the loader gives one per bad file). */
function oneLine(error: unknown): never {
  if (error instanceof CorpusError) {
    throw new CorpusError(`the corpus cannot be checked for a copy of this article: ${error.message.split('\n').join('; ')}; fix it first (npm run build-index names the same problems)`, { cause: error });
  }
  throw error;
}

/** The first thing wrong with the command line, or undefined. */
async function usageProblem(options: {
  file: string | undefined;
  extra: unknown[];
  args: { outlet?: string; event?: string; date?: string; title?: string; byline?: string; url?: string };
  corpusEvents: () => Promise<string[]>;
}): Promise<string | undefined> {
  const { file, extra, args } = options;
  if (file === undefined || file === '') return 'name the page file (or - for standard input)';
  if (extra.length > 0) return `one page at a time; got also ${extra.map(String).join(' ')}`;
  if (args.outlet === undefined || args.outlet.trim() === '') return '--outlet is required: the publisher, as replies name it';
  if (args.event === undefined || args.event.trim() === '') {
    const events = await options.corpusEvents();
    return `--event is required: the news event the article covers, as /help lists it${events.length > 0 ? ` (the corpus has ${events.map((e) => JSON.stringify(e)).join(', ')})` : ''}`;
  }
  if (args.date !== undefined && !isCalendarDay(args.date)) return `--date must be a real day as YYYY-MM-DD, got "${args.date}"`;
  if (args.url !== undefined && !/^https?:\/\/\S+$/.test(args.url)) return `--url must start with http:// or https://, got "${args.url}"`;
  for (const key of ['outlet', 'event', 'title', 'byline', 'url'] as const) {
    const value = args[key];
    if (value === undefined) continue;
    const unsafe = unsafeCharacter(value);
    if (unsafe) return `--${key} holds ${unsafe}; remove it`;
    if (value.length > MAX_FIELD_CHARS[key]) return `--${key} is ${value.length} characters long; at most ${MAX_FIELD_CHARS[key]}`;
    if (value.trim() === '') return `--${key} is empty`;
  }
  return undefined;
}

/** The event labels the corpus already uses, for the message that asks for one. */
async function corpusEvents(dir: string): Promise<string[]> {
  try {
    return [...new Set((await loadCorpus({ dir })).map((a) => a.event))];
  } catch {
    return [];
  }
}

function isCalendarDay(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The page's bytes from the file, or from standard input for "-". */
async function readPage(options: { file: string; io: CliIo }): Promise<Buffer> {
  const { file, io } = options;
  if (file !== '-') {
    return readFile(file).catch((cause: NodeJS.ErrnoException) => {
      throw new InputError(`cannot read ${file}: ${cause.code ?? String(cause)}`, { cause });
    });
  }
  if (io.stdin.isTTY) io.stderr.write('paste the page, then press Ctrl-D on a line of its own\n');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += bytes.length;
    if (size > MAX_PAGE_BYTES) throw new InputError(`standard input is over ${MAX_PAGE_BYTES.toLocaleString('en')} bytes; paste one article's page`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** The page as text; binary input (NUL bytes, invalid UTF-8, control characters) is refused. */
export function decodePage(bytes: Buffer): string {
  if (bytes.length > MAX_PAGE_BYTES) throw new InputError(`the page is ${bytes.length.toLocaleString('en')} bytes, over ${MAX_PAGE_BYTES.toLocaleString('en')}; paste one article's page`);
  const problem = textProblem(bytes);
  // A NUL byte anywhere means a binary file, whatever comes before it.
  const nul = bytes.indexOf(0);
  if (nul !== -1) throw new InputError(`the input is binary (a NUL byte at offset ${nul}), not a page's text; copy the page's text and save it as UTF-8`);
  if (problem?.kind === 'invalid-utf8') throw new InputError("the input is not valid UTF-8 text; save the page's text as UTF-8");
  const text = bytes.toString('utf8');
  if (text.trim() === '' || text.replace(/^\uFEFF/, '').trim() === '') throw new InputError('the input is empty: paste the page text into the file (or pipe it to standard input with -)');
  if (problem?.kind === 'control') throw new InputError(`the input holds a control character ${problem.code} on line ${problem.line}, which the corpus does not accept; remove it`);
  return text;
}

/** The corpus article that holds the same text as the draft, if any (src/ingest/duplicates.ts). */
function findCopy(options: { article: Omit<Article, 'id'>; corpus: ReadonlyArray<Article & { hash: string }> }): { id: string; overlap: number } | undefined {
  // "-" cannot start a corpus id, so the draft's id never meets one.
  const draft = prepareArticle({ article: { ...options.article, id: '-new', hash: '' } });
  for (const existing of options.corpus) {
    const [pair] = findDuplicates([draft, prepareArticle({ article: existing })]);
    if (pair) return { id: existing.id, overlap: pair.overlap };
  }
  return undefined;
}

/**
 * One line per removed line, and one per box, list or section ("removed (comment section,
 * lines 40–52): Comments … (+11 more lines)").
 */
export function describeRemovals(removed: readonly Removal[]): string[] {
  const shown = (text: string) => (text.length <= SHOWN_CHARS ? text : `${text.slice(0, SHOWN_CHARS - 1)}…`);
  const out: string[] = [];
  for (let i = 0; i < removed.length; ) {
    const first = removed[i];
    if (!first) break;
    let j = i + 1;
    while (first.block !== undefined && removed[j]?.block === first.block) j++;
    const last = removed[j - 1] ?? first;
    out.push(j - i === 1 ? `removed (${first.reason}): ${shown(first.text)}` : `removed (${first.reason}, lines ${first.line}–${last.line}): ${shown(first.text)} (+${j - i - 1} more lines)`);
    i = j;
  }
  return out;
}

/** Writes `<id>.md` only if no file has that name (a race takes the next free name). */
async function writeNew(options: { dir: string; id: string; text: string; taken: Set<string> }): Promise<string> {
  const { dir, text, taken } = options;
  await mkdir(dir, { recursive: true });
  let id = options.id;
  for (;;) {
    const path = join(dir, `${id}.md`);
    try {
      await writeFile(path, text, { flag: 'wx' });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new InputError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
      taken.add(id);
      id = nextFree({ id: options.id, taken });
    }
  }
}

function nextFree(options: { id: string; taken: ReadonlySet<string> }): string {
  for (let n = 2; ; n++) if (!options.taken.has(`${options.id}-${n}`)) return `${options.id}-${n}`;
}
