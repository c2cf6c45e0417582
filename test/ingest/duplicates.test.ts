import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findDuplicates } from '../../src/ingest/duplicates.js';
import { prepareArticle, prepareCorpus } from '../../src/ingest/prepare.js';
import { CorpusError } from '../../src/core/errors.js';
import { renderAnswerText } from '../../src/render/text.js';
import { renderSnippetMessage } from '../../src/render/snippet-html.js';
import { answered, snippet, source, VOICE_EN } from '../support/bot-harness.js';
import { createRng } from '../../tools/fuzz.js';
import { tempDir } from '../support/engine.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function corpusCopy(): Promise<string> {
  const { dir, cleanup } = await tempDir('dup-corpus-');
  cleanups.push(cleanup);
  await cp(SEED_CORPUS, dir, { recursive: true });
  return dir;
}

async function refusal(dir: string): Promise<string> {
  const error = await prepareCorpus({ dir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CorpusError);
  return (error as Error).message;
}

const THEPRINT = 'theprint-reuters-2025-putin-urges-trade';

describe('#3 the same article twice under two file names', () => {
  it('an identical copy is refused with both file names', async () => {
    const dir = await corpusCopy();
    await cp(join(dir, `${THEPRINT}.md`), join(dir, 'theprint-copy.md'));
    expect(await refusal(dir)).toBe(`theprint-copy.md and ${THEPRINT}.md hold the same article text; remove one of them`);
  });

  it('a near-identical copy (another outlet name, an edited sentence, page clutter) is refused with both file names', async () => {
    const dir = await corpusCopy();
    const text = await readFile(join(dir, `${THEPRINT}.md`), 'utf8');
    const edited = text
      .replace('outlet: "ThePrint (Reuters)"', 'outlet: "Reuters wire"')
      .replace('there was therefore good potential for growth', 'there was good potential for further growth')
      .concat('\nMost Popular\n\nFollow us on WhatsApp for more news.\n');
    await writeFile(join(dir, 'reuters-wire-copy.md'), edited);
    expect(await refusal(dir)).toMatch(new RegExp(`^reuters-wire-copy\\.md and ${THEPRINT}\\.md hold the same article \\((9\\d|100)% of the shorter one's text is in the other\\); remove one of them$`));
  });

  it('the real corpus, where outlets report the same event in their own words, is not refused', async () => {
    await expect(prepareCorpus({ dir: SEED_CORPUS })).resolves.toHaveLength(5);
  });

  it('in a corpus too large to compare every pair, a near copy is still found', async () => {
    const rng = createRng(12);
    const vocabulary = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}`);
    const sentence = () => `${Array.from({ length: 12 }, () => rng.pick(vocabulary)).join(' ')}.`;
    const article = (id: string, body: string) =>
      prepareArticle({ article: { id, title: id, outlet: id, date: null, byline: null, url: null, event: 'E', body, hash: id } });
    const bodies = Array.from({ length: 400 }, () => Array.from({ length: 20 }, sentence).join(' ').replace(/(^|\. )w/g, '$1W'));
    const articles = bodies.map((body, i) => article(`a${i}`, body));
    const copy = `${bodies[123]?.replace(/\. W[^.]*\.$/, '. Changed ending here.') ?? ''}`;
    articles.push(article('copy-of-a123', copy));
    expect(findDuplicates(articles).map(({ first, second }) => [first, second])).toEqual([['a123', 'copy-of-a123']]);
  });
});

describe('#3 an outlet never corroborates its own article', () => {
  const own = snippet({
    corroboratedBy: [
      { source: source({ id: 'copy', outlet: 'ThePrint (Reuters)' }), quote: 'Trade reached $45bn last year.', differs: false },
      { source: source({ id: 'c1', outlet: 'CNewsLive' }), quote: 'Trade reached $45bn last year.', differs: false },
      { source: source({ id: 'c2', outlet: 'cnewslive ' }), quote: 'Trade reached $45bn last year.', differs: false },
    ],
  });

  it('Telegram replies list each other outlet once and never the quoted one', () => {
    const html = renderSnippetMessage(own, { voice: VOICE_EN });
    expect(html).toContain('Also reported by <a href="https://example.com/a1">CNewsLive</a>, 9 October 2025.');
    expect(html.match(/ThePrint/g)).toHaveLength(1);
  });

  it('terminal answers do the same', () => {
    const text = renderAnswerText(answered([own]));
    expect(text).toMatch(/^ {3}Also reported by CNewsLive, 2025-10-09\.$/m);
    expect(text).not.toMatch(/Also reported by .*ThePrint/);
  });
});
