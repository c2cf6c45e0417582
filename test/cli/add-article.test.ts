import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/ingest/front-matter.js';
import { loadCorpus } from '../../src/ingest/load.js';
import { prepareCorpus } from '../../src/ingest/prepare.js';
import { runCli } from '../support/cli.js';
import { rawPages } from '../support/raw-pages.js';

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

/** A fresh, empty CORPUS_DIR. */
async function corpusDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'add-article-'));
  made.push(dir);
  return dir;
}

const pages = rawPages();
const page = (name: string) => {
  const found = pages.find((p) => p.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
};

/** `npm run add-article -- …` in-process, with CORPUS_DIR set to `dir`. */
function addArticle(options: { dir: string; args: string[]; input?: string }) {
  return runCli({ args: ['add-article', ...options.args], env: { CORPUS_DIR: options.dir }, ...(options.input !== undefined ? { input: options.input } : {}) });
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

describe('npm run add-article', () => {
  it('is listed with its options by --help', async () => {
    const { code, stdout } = await runCli({ args: ['add-article', '--help'] });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^USAGE dushanbe-quotes add-article \[OPTIONS\] \[FILE\]/m);
    for (const option of ['--outlet', '--event', '--date', '--title', '--byline', '--url', '--dry-run']) expect(stdout).toContain(option);
  });

  it.each(pages.map((p) => [p.name, p] as const))('%s: writes an article that the corpus loader reads back as drafted', async (_name, fixture) => {
    const dir = await corpusDir();
    const { code, stdout, stderr } = await addArticle({ dir, args: [fixture.file, '--outlet', fixture.expected.outlet, '--event', 'Autumn 2025'] });
    expect(code, stderr).toBe(0);
    const path = lastLine(stdout);
    expect(path.startsWith(join(dir, ''))).toBe(true);
    expect(path).toMatch(/\/[a-z0-9][a-z0-9-]*\.md$/);
    const [article, ...others] = await loadCorpus({ dir });
    expect(others).toEqual([]);
    expect(join(dir, `${article?.id}.md`)).toBe(path);
    expect(article).toMatchObject({ title: fixture.expected.title, outlet: fixture.expected.outlet, date: fixture.expected.date, byline: fixture.expected.byline, url: null, event: 'Autumn 2025' });
    expect(article?.body.trimEnd().split('\n\n')).toEqual(fixture.expected.body);
    for (const line of fixture.expected.clutter) expect(article?.body.split('\n')).not.toContain(line);
    // What was removed is on stderr, one reason a line.
    expect(stderr).toMatch(/^removed \([^)]+\): /m);
    expect(stderr).toContain(`title: ${JSON.stringify(fixture.expected.title)}`);
  });

  it('all fixtures in one corpus make a corpus that prepares for indexing (no duplicates among them)', async () => {
    const dir = await corpusDir();
    for (const fixture of pages) {
      const { code, stderr } = await addArticle({ dir, args: [fixture.file, '--outlet', fixture.expected.outlet, '--event', 'Autumn 2025'] });
      expect(code, stderr).toBe(0);
    }
    const prepared = await prepareCorpus({ dir });
    expect(prepared).toHaveLength(pages.length);
    for (const p of prepared) expect(p.chunks.length).toBeGreaterThan(0);
  });

  it('reads standard input for -, and prints the path as the last line of stdout', async () => {
    const dir = await corpusDir();
    const fixture = page('dotted-date-hospital');
    const { code, stdout } = await addArticle({ dir, args: ['-', '--outlet', 'Khatlon Today', '--event', 'Autumn 2025'], input: fixture.text });
    expect(code).toBe(0);
    expect(stdout.split('\n').filter((l) => l !== '')).toEqual([join(dir, 'khatlon-today-2025-new-cardiology-wing-opens-at-bokhtar-regional-hospital.md')]);
    expect(await readdir(dir)).toEqual(['khatlon-today-2025-new-cardiology-wing-opens-at-bokhtar-regional-hospital.md']);
  });

  it('--dry-run prints the file and writes nothing', async () => {
    const dir = await corpusDir();
    const fixture = page('regional-dam-opening');
    const { code, stdout, stderr } = await addArticle({ dir, args: [fixture.file, '--outlet', 'Valley Herald', '--event', 'Autumn 2025', '--dry-run'] });
    expect(code).toBe(0);
    expect(stdout.startsWith('---\ntitle: "Kessel dam opens after eleven years of delays"\noutlet: "Valley Herald"\ndate: 2025-10-10\nbyline: "Marta Reyes"\nurl: null\nevent: "Autumn 2025"\n---\n')).toBe(true);
    expect(parseArticle({ id: 'dry', text: stdout }).body.trimEnd().split('\n\n')).toEqual(fixture.expected.body);
    expect(stderr).toContain('dry run: would write');
    expect(await readdir(dir)).toEqual([]);
  });

  it('what is given wins over what is drafted', async () => {
    const dir = await corpusDir();
    const fixture = page('government-science-prize');
    const args = [fixture.file, '--outlet', 'Ministry of Education and Science', '--event', 'Science prizes', '--title', 'Three young scientists win the national prize', '--date', '2025-10-11', '--byline', 'Press service', '--url', 'https://example.org/news/prize'];
    const { code } = await addArticle({ dir, args });
    expect(code).toBe(0);
    const [article] = await loadCorpus({ dir });
    expect(article).toMatchObject({ title: 'Three young scientists win the national prize', date: '2025-10-11', byline: 'Press service', url: 'https://example.org/news/prize', event: 'Science prizes' });
    expect(article?.id).toBe('ministry-of-education-2025-three-young-scientists-win-the-national-prize');
    // The page's own headline is still the body's first line, and still the only copy.
    expect(article?.body.trimEnd().split('\n\n')).toEqual(fixture.expected.body);
  });

  it('never overwrites: a name already taken gets the next free one', async () => {
    const dir = await corpusDir();
    const fixture = page('cookie-wall-port');
    const first = await addArticle({ dir, args: [fixture.file, '--outlet', 'Northern Ledger', '--event', 'Autumn 2025', '--dry-run'] });
    const taken = lastLine(first.stderr).replace(/^dry run: would write /, '');
    const other = '---\ntitle: "Another article"\noutlet: "Northern Ledger"\ndate: null\nbyline: null\nurl: null\nevent: "Autumn 2025"\n---\nA different article, with its own words and nothing in common with the port story at all.\n';
    await writeFile(taken, other);
    const { code, stdout } = await addArticle({ dir, args: [fixture.file, '--outlet', 'Northern Ledger', '--event', 'Autumn 2025'] });
    expect(code).toBe(0);
    expect(lastLine(stdout)).toBe(taken.replace(/\.md$/, '-2.md'));
    expect(await readFile(taken, 'utf8')).toBe(other);
  });
});

describe('add-article refuses, with one line and nothing written', () => {
  async function refused(options: { dir: string; args: string[]; input?: string; code: number; message: RegExp }) {
    const before = await readdir(options.dir);
    const { code, stdout, stderr } = await addArticle(options);
    expect(code).toBe(options.code);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(options.message);
    expect(stdout).toBe('');
    expect(await readdir(options.dir)).toEqual(before);
  }

  it('an article already in the corpus, naming its file', async () => {
    const dir = await corpusDir();
    const fixture = page('wire-trade-fair');
    const args = [fixture.file, '--outlet', 'Meridian Wire', '--event', 'Autumn 2025'];
    const existing = lastLine((await addArticle({ dir, args })).stdout);
    await refused({ dir, args, code: 1, message: new RegExp(`^error: this article is already in the corpus: ${existing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} holds the same text; nothing written\\n$`) });
  });

  it('a near copy: the same paragraphs on another site, one sentence changed, other clutter', async () => {
    const dir = await corpusDir();
    const fixture = page('regional-dam-opening');
    const existing = lastLine((await addArticle({ dir, args: [fixture.file, '--outlet', 'Valley Herald', '--event', 'Autumn 2025'] })).stdout);
    const republished = `Lowland Courier\nNews\nRegion\nSport\nKessel dam finally opens\n${fixture.expected.body.slice(2).join('\n\n').replace('until 2027.', 'until 2028 at the earliest.')}\nShare\n© 2025 Lowland Courier\n`;
    await refused({ dir, args: ['-', '--outlet', 'Lowland Courier', '--event', 'Autumn 2025'], input: republished, code: 1, message: new RegExp(`already in the corpus: .*${existing.split('/').at(-1)} holds nearly the same paragraphs \\(\\d+% `) });
  });

  it('empty input', async () => {
    const dir = await corpusDir();
    const empty = join(dir, '..', `${dir.split('/').at(-1)}-empty.txt`);
    made.push(empty);
    await writeFile(empty, '');
    await refused({ dir, args: [empty, '--outlet', 'X', '--event', 'Y'], code: 1, message: /^error: the input is empty/ });
    await refused({ dir, args: ['-', '--outlet', 'X', '--event', 'Y'], input: ' \n\n\t\n', code: 1, message: /^error: the input is empty/ });
  });

  it.each([
    ['NUL bytes', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(16), Buffer.from(page('wire-trade-fair').text)]), /^error: the input is binary \(a NUL byte at offset 4\)/],
    ['invalid UTF-8', Buffer.concat([Buffer.from(page('wire-trade-fair').text), Buffer.from([0xff, 0xfe, 0x41])]), /^error: the input is not valid UTF-8 text/],
    ['a control character', Buffer.from(`${page('wire-trade-fair').text}\u0007`), /^error: the input holds a control character U\+0007 on line 4\d/],
  ])('binary input: %s', async (_name, bytes, message) => {
    const dir = await corpusDir();
    const file = join(dir, '..', `${dir.split('/').at(-1)}-page.bin`);
    made.push(file);
    await writeFile(file, bytes);
    await refused({ dir, args: [file, '--outlet', 'Meridian Wire', '--event', 'Autumn 2025'], code: 1, message });
  });

  it.each([
    ['a menu and one paragraph', `Valley Herald\nHome\nNews\nSport\nBridge opens on Monday\n${'The new bridge over the river will open to traffic on Monday morning, the council said, after three years of work and two delays.'}\nShare\n`],
    ['short sentences only', 'Bridge opens on Monday\nThe bridge opens on Monday.\nIt cost a lot.\nPeople are happy.\n'],
    ['a list of links', 'Latest news\nBridge opens on Monday\nFerry fares to rise\nCouncil approves budget\nStorm closes mountain pass\n'],
  ])('a page with no article: %s', async (_name, text) => {
    const dir = await corpusDir();
    await refused({ dir, args: ['-', '--outlet', 'Valley Herald', '--event', 'Autumn 2025'], input: text, code: 1, message: /^error: no article found: (no paragraph|only one paragraph) reads as article text/ });
  });

  it.each([
    [['--event', 'E'], /^error: --outlet is required/],
    [['--outlet', 'O'], /^error: --event is required: the news event the article covers, as \/help lists it \(the corpus has "Earlier event"\)/],
    [['--outlet', 'O', '--event', 'E', '--date', '2025-02-30'], /^error: --date must be a real day as YYYY-MM-DD, got "2025-02-30"/],
    [['--outlet', 'O', '--event', 'E', '--date', '10.10.2025'], /^error: --date must be a real day as YYYY-MM-DD/],
    [['--outlet', 'O', '--event', 'E', '--url', 'example.org/page'], /^error: --url must start with http:\/\/ or https:\/\//],
    [['--outlet', 'O\u202eX', '--event', 'E'], /^error: --outlet holds a bidirectional control \(U\+202E\)/],
    [['--outlet', 'O'.repeat(81), '--event', 'E'], /^error: --outlet is 81 characters long; at most 80/],
  ])('bad arguments %j: exit 2', async (args, message) => {
    const dir = await corpusDir();
    const earlier = '---\ntitle: "Earlier"\noutlet: "Earlier outlet"\ndate: null\nbyline: null\nurl: null\nevent: "Earlier event"\n---\nAn earlier article of the corpus, with a sentence of its own and no more.\n';
    await writeFile(join(dir, 'earlier.md'), earlier);
    await refused({ dir, args: [page('wire-trade-fair').file, ...args], code: 2, message });
  });

  it('a page whose headline cannot be told: ask for --title', async () => {
    const dir = await corpusDir();
    const text = page('wire-trade-fair').expected.body.slice(2).join('\n\n');
    await refused({ dir, args: ['-', '--outlet', 'Meridian Wire', '--event', 'Autumn 2025'], input: text, code: 1, message: /^error: no headline found .*; give the title with --title\n$/ });
    const { code } = await addArticle({ dir, args: ['-', '--outlet', 'Meridian Wire', '--event', 'Autumn 2025', '--title', 'Brno fair opens'], input: text });
    expect(code).toBe(0);
  });

  it('a corpus with a broken article, in one line that names it', async () => {
    const dir = await corpusDir();
    await writeFile(join(dir, 'broken.md'), 'no front matter here\n');
    await writeFile(join(dir, 'Upper.md'), '---\ntitle: "x"\n---\n');
    await refused({ dir, args: [page('wire-trade-fair').file, '--outlet', 'Meridian Wire', '--event', 'Autumn 2025'], code: 1, message: /^error: the corpus cannot be checked for a copy of this article: .*Upper\.md: .*; broken\.md: missing front matter/ });
  });

  it('no page named: exit 2', async () => {
    const dir = await corpusDir();
    await refused({ dir, args: ['--outlet', 'O', '--event', 'E'], code: 2, message: /^error: name the page file \(or - for standard input\)/ });
  });
});
