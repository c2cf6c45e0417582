import { describe, expect, it } from 'vitest';
import { chunkArticle } from '../../src/ingest/chunk.js';
import { cleanArticle } from '../../src/ingest/clean.js';
import { loadCorpus } from '../../src/ingest/load.js';
import { prepareArticle } from '../../src/ingest/prepare.js';
import { MAX_SENTENCE_CHARS, splitSentences } from '../../src/ingest/sentences.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

const split = (text: string): string[] => splitSentences({ text }).map((s) => text.slice(s.start, s.end));

describe('splitSentences', () => {
  it.each([
    ['two plain sentences', 'Trade grew. Putin was pleased.', ['Trade grew.', 'Putin was pleased.']],
    ['an initial is not an end', 'Alongside Tajik President E. Rahmon, Putin spoke. He left.', ['Alongside Tajik President E. Rahmon, Putin spoke.', 'He left.']],
    ['a decimal figure', 'Trade reached US$1.13 billion. It grew.', ['Trade reached US$1.13 billion.', 'It grew.']],
    ['a question and an exclamation', 'Why? Because! Then more.', ['Why?', 'Because!', 'Then more.']],
    ['closing quote after the stop', 'He called it a “reliable ally.” Then he left.', ['He called it a “reliable ally.”', 'Then he left.']],
    ['a full stop inside a quotation', 'He said “This is good. It must go on.” Then he left.', ['He said “This is good. It must go on.”', 'Then he left.']],
    ['abbreviations', 'Mr. Putin met Dr. Rahmon. They talked.', ['Mr. Putin met Dr. Rahmon.', 'They talked.']],
    ['lower case after a stop is not a new sentence', 'The U.S. and others met.', ['The U.S. and others met.']],
    ['"U.S." before a name', 'Sanctions by the U.S. Treasury hit banks. Moscow objected.', ['Sanctions by the U.S. Treasury hit banks.', 'Moscow objected.']],
    ['straight quotes around two sentences', '"Trade grew. It will grow more," he said. Next year is key.', ['"Trade grew. It will grow more," he said.', 'Next year is key.']],
    ['a quotation inside a quotation', 'He said: “They told us ‘wait.’ We waited.” Then we left.', ['He said: “They told us ‘wait.’ We waited.”', 'Then we left.']],
    ['mixed marks, one straight quotation closed', 'The “plan” was called "final. Really." Critics disagreed.', ['The “plan” was called "final. Really."', 'Critics disagreed.']],
    ['non-breaking space between sentences', 'Rahmon was in Moscow.\u00a0Putin will travel.', ['Rahmon was in Moscow.', 'Putin will travel.']],
  ])('%s', (_name, text, expected) => {
    expect(split(text)).toEqual(expected);
  });

  it('shifts offsets into the body', () => {
    const body = 'xxxxOne. Two.';
    const sentences = splitSentences({ text: body.slice(4), offset: 4 });
    expect(sentences.map((s) => body.slice(s.start, s.end))).toEqual(['One.', 'Two.']);
  });
});

describe('chunkArticle', () => {
  const sentence = (n: number): string => `Sentence number ${n} talks about trade between Russia and Central Asia.`;
  const paragraphs = [1, 2, 3, 4, 5].map((p) => [0, 1, 2].map((i) => sentence(p * 10 + i)).join(' '));
  const body = paragraphs.join('\n\n');
  const { blocks } = cleanArticle({ body, title: 'Unrelated title' });

  it.each([
    [200, 1],
    [400, 1],
    [600, 0],
  ])('maxChars %i, overlap %i: chunks fit, cover every sentence, and slice the body verbatim', (maxChars, overlapSentences) => {
    const chunks = chunkArticle({ body, blocks, settings: { maxChars, overlapSentences } });
    const covered = new Set<number>();
    for (const chunk of chunks) {
      if (chunk.sentences.length > 1) expect(chunk.end - chunk.start).toBeLessThanOrEqual(maxChars);
      for (const s of chunk.sentences) {
        expect(s.start).toBeGreaterThanOrEqual(chunk.start);
        expect(s.end).toBeLessThanOrEqual(chunk.end);
        expect(body.slice(s.start, s.end)).toMatch(/^Sentence number \d+ .*\.$/);
        covered.add(s.start);
      }
    }
    expect(covered.size).toBe(15);
  });

  it('repeats the last sentence of a split paragraph at the start of the next chunk', () => {
    const long = [1, 2, 3, 4, 5, 6].map(sentence).join(' ');
    const chunks = chunkArticle({ body: long, blocks: cleanArticle({ body: long, title: 'x' }).blocks, settings: { maxChars: 250, overlapSentences: 1 } });
    expect(chunks.length).toBeGreaterThan(1);
    for (let i = 1; i < chunks.length; i++) {
      expect(chunks[i]?.sentences[0]).toEqual(chunks[i - 1]?.sentences.at(-1));
    }
  });

  it('never joins paragraphs across a dropped clutter line', () => {
    const text = 'First fact is here.\n\nAdd as a preferred source on Google\n\nSecond fact is here.';
    const chunks = chunkArticle({ body: text, blocks: cleanArticle({ body: text, title: 'x' }).blocks });
    expect(chunks.map((c) => text.slice(c.start, c.end))).toEqual(['First fact is here.', 'Second fact is here.']);
  });
});

describe('every sentence of the real corpus traces back to its article', async () => {
  const articles = await loadCorpus({ dir: SEED_CORPUS });
  it.each(articles.map((a) => [a.id, a] as const))('%s', (_id, article) => {
    const prepared = prepareArticle({ article });
    expect(prepared.sentences.length).toBeGreaterThan(5);
    for (const s of prepared.sentences) {
      const text = article.body.slice(s.start, s.end);
      expect(text.trim()).toBe(text);
      expect(text.length).toBeGreaterThan(10);
    }
  });
});

describe('#7 big input: sentence splitting is linear', () => {
  const paragraph = (opening: string) => `${opening}${'Trade grew by a tenth. Putin met E. Rahmon in Dushanbe. '.repeat(7200)}`;

  it.each([
    { name: 'one unmatched opening quote', text: paragraph('“') },
    { name: 'one unmatched straight quote', text: paragraph('"') },
    { name: 'initials only', text: 'A. '.repeat(140_000) },
  ])('a 400 KB paragraph with $name splits in well under a second', ({ text }) => {
    expect(text.length).toBeGreaterThan(400_000);
    const started = performance.now();
    const sentences = splitSentences({ text });
    const ms = performance.now() - started;
    expect(sentences.length).toBeGreaterThan(0);
    expect(ms).toBeLessThan(1000);
  });

  it('a quotation opened and never closed (it runs on into the next paragraph) protects nothing: its sentences split', () => {
    const text = '“The line will carry ore and cotton. The contractor is the Zebra Rail company from Kazan. Work starts in May.';
    expect(split(text)).toEqual(['“The line will carry ore and cotton.', 'The contractor is the Zebra Rail company from Kazan.', 'Work starts in May.']);
    expect(split('He said “Trade grew. It will grow. Then it stopped. Later he left.')).toEqual(['He said “Trade grew.', 'It will grow.', 'Then it stopped.', 'Later he left.']);
    expect(split('He said “Trade grew.” Then he left. He came back.')).toEqual(['He said “Trade grew.”', 'Then he left.', 'He came back.']);
  });

  it('no sentence of a paragraph without boundaries is longer than MAX_SENTENCE_CHARS, and together they are the paragraph', () => {
    const clauses = Array.from({ length: 4000 }, (_, i) => `item ${i} of the list, shipped by rail`).join('; ');
    const unbroken = 'word '.repeat(90_000).trim();
    for (const text of [clauses, unbroken, paragraph('“')]) {
      const sentences = splitSentences({ text });
      expect(Math.max(...sentences.map((x) => x.end - x.start))).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
      expect(sentences.map((x) => text.slice(x.start, x.end)).join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' ').trim());
    }
    // A list is cut after a clause, not inside a word.
    expect(split(clauses).every((x) => x.endsWith(';') || x.endsWith('rail'))).toBe(true);
  });
});
