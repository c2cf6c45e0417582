import type { LoadedArticle } from './load.js';
import type { Sentence } from './sentences.js';
import { INGEST } from '../core/settings.js';

/** What duplicate detection reads of a prepared article: its file and its sentences. */
export interface ArticleText {
  article: Pick<LoadedArticle, 'id' | 'body'>;
  sentences: readonly Sentence[];
}

/** Two article files that hold the same article. */
export interface DuplicatePair {
  first: string;
  second: string;
  /** Share of the shorter article's word sequences that the other one also has, 0 to 1. */
  overlap: number;
}

/**
 * Share of shared word sequences from which two articles count as the same one: a republished
 * copy with a changed paragraph or extra clutter stays far above it, while two outlets' reports
 * of the same event (even from the same wire) stay far below; the real corpus's closest pair
 * shares 0.11.
 * @default 0.8
 */
export const DUPLICATE_OVERLAP = INGEST.duplicateOverlap;

/** Up to this many articles every pair is compared exactly; beyond, candidates come from a sample. */
const EXHAUSTIVE_UP_TO = 300;
/** Words per sequence compared. */
const SHINGLE = 5;
/** A sequence shared by more articles than this is boilerplate, not evidence of a copy. */
const MAX_POSTINGS = 50;

/**
 * Finds articles whose quotable text is identical or nearly so. Each article is reduced to its
 * set of five-word sequences. In a large corpus, candidate pairs come from an inverted index
 * over a fixed sample of them (so the work grows with the corpus, not with its square); each
 * candidate's overlap is then measured exactly.
 */
export function findDuplicates(articles: readonly ArticleText[], options: { threshold?: number } = {}): DuplicatePair[] {
  const { threshold = DUPLICATE_OVERLAP } = options;
  const profiles = articles.map((prepared) => profile(prepared));
  const pairs: DuplicatePair[] = [];
  const report = (i: number, j: number, overlap: number) => {
    pairs.push({ first: articles[i]?.article.id ?? '', second: articles[j]?.article.id ?? '', overlap });
  };
  // Identical text (also the only check for articles too short to have word sequences).
  const byText = new Map<string, number>();
  profiles.forEach((p, i) => {
    const seen = byText.get(p.text);
    if (seen !== undefined && p.text !== '') report(seen, i, 1);
    else byText.set(p.text, i);
  });
  if (articles.length <= EXHAUSTIVE_UP_TO) {
    for (let i = 0; i < profiles.length; i++) {
      for (let j = i + 1; j < profiles.length; j++) {
        const [p, q] = [profiles[i], profiles[j]];
        if (!p || !q || p.text === q.text) continue;
        const overlap = containment(p.shingles, q.shingles);
        if (overlap >= threshold) report(i, j, overlap);
      }
    }
    return pairs;
  }
  const postings = new Map<string, number[]>();
  profiles.forEach((p, i) => {
    for (const s of p.sample) {
      const list = postings.get(s) ?? [];
      if (list.length <= MAX_POSTINGS) list.push(i);
      postings.set(s, list);
    }
  });
  profiles.forEach((p, i) => {
    const shared = new Map<number, number>();
    for (const s of p.sample) {
      const list = postings.get(s) ?? [];
      if (list.length > MAX_POSTINGS) continue;
      for (const j of list) if (j > i) shared.set(j, (shared.get(j) ?? 0) + 1);
    }
    for (const [j, count] of shared) {
      const q = profiles[j];
      if (!q || p.text === q.text) continue;
      // A sample that barely overlaps cannot hide a near copy; measure only the plausible ones.
      if (count < threshold * 0.5 * Math.min(p.sample.length, q.sample.length)) continue;
      const overlap = containment(p.shingles, q.shingles);
      if (overlap >= threshold) report(i, j, overlap);
    }
  });
  return pairs;
}

interface Profile {
  /** The quotable text, normalised: equal texts are the same article. */
  text: string;
  shingles: Set<string>;
  /** The shingles whose hash falls in a fixed eighth: the same ones in every article. */
  sample: string[];
}

function profile(prepared: ArticleText): Profile {
  const { article, sentences } = prepared;
  const words: string[] = [];
  for (const s of sentences) {
    for (const w of article.body.slice(s.start, s.end).normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) words.push(w);
  }
  const shingles = new Set<string>();
  for (let i = 0; i + SHINGLE <= words.length; i++) shingles.add(words.slice(i, i + SHINGLE).join(' '));
  const sample = [...shingles].filter((s) => hash(s) % 8 === 0);
  return { text: words.join(' '), shingles, sample };
}

function containment(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let shared = 0;
  for (const s of small) if (large.has(s)) shared++;
  return shared / small.size;
}

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
