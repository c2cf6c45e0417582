import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonical, parseQuestions, type EvalQuestion } from '../../src/eval/metrics.js';

/** The original training questions (as the project was given them) and their style tags. */
export const ORIGINAL_QUESTIONS = 'test/fixtures/train-questions.jsonl';
const ORIGINAL_TAGS = 'test/fixtures/train-questions.tags.json';
/** The team's reader data: questions (one JSON object a line) and practice articles. */
export const READER_DATA = 'tools/reader/data';
const SEED_2022 = 'unnamed-2022-putin-central-asia-tour-tajikistan';

/** A training question with where it comes from and what it is about. */
export interface ReaderQuestion {
  question: EvalQuestion;
  /** Style tags (see tools/reader/data/README.md). */
  tags: string[];
  /** The story it is about: 'seed-2025' (the four 2025 articles), 'seed-2022', or a practice article's id. */
  story: string;
  /**
   * The article it is about: the one holding its first evidence, the one a trap was written
   * on, or (for an original unanswerable question, which names none) one of the five dealt by
   * its id.
   */
  article: string;
  /** One of the original training questions. */
  original: boolean;
  /** About a practice article, not the five. */
  practice: boolean;
}

/**
 * The original training questions and every question file of the reader data. An original
 * question's story is that of the article holding its first evidence; an unanswerable one is
 * about 2022 when it names 2022, else about the 2025 visit.
 */
export async function loadReaderQuestions(options: { corpusDir?: string; dataDir?: string } = {}): Promise<ReaderQuestion[]> {
  const corpusDir = options.corpusDir ?? 'test/fixtures/corpus';
  const dataDir = options.dataDir ?? READER_DATA;
  const bodies = new Map<string, string>();
  for (const name of (await readdir(corpusDir)).filter((n) => n.endsWith('.md'))) bodies.set(name.slice(0, -3), canonical(await readFile(join(corpusDir, name), 'utf8')));
  const seedStory = (article: string): string => (article === SEED_2022 ? 'seed-2022' : 'seed-2025');
  const tags = JSON.parse(await readFile(ORIGINAL_TAGS, 'utf8')) as Record<string, string[]>;
  const out: ReaderQuestion[] = parseQuestions(await readFile(ORIGINAL_QUESTIONS, 'utf8'), ORIGINAL_QUESTIONS).map((question) => {
    const first = question.evidence[0];
    const holder = first === undefined ? undefined : [...bodies].find(([, body]) => body.includes(canonical(first)))?.[0];
    const story = holder ? seedStory(holder) : /2022/.test(question.question) ? 'seed-2022' : 'seed-2025';
    const seeds = [...bodies.keys()].sort();
    const article = holder ?? (story === 'seed-2022' ? SEED_2022 : seeds.filter((a) => a !== SEED_2022)[hashOf(question.id) % (seeds.length - 1)] ?? SEED_2022);
    return { question, tags: tags[question.id] ?? [], story, article, original: true, practice: false };
  });
  const dir = join(dataDir, 'questions');
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort()) {
    const path = join(dir, name);
    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim() !== '');
    lines.forEach((line, i) => {
      const raw = JSON.parse(line) as { article?: unknown; tags?: unknown };
      if (typeof raw.article !== 'string' || !Array.isArray(raw.tags)) throw new Error(`${path}:${i + 1}: needs "article" and "tags"`);
      const [question] = parseQuestions(line, `${path}:${i + 1}`);
      if (!question) return;
      const seed = bodies.has(raw.article);
      out.push({ question, tags: raw.tags.map(String), story: seed ? seedStory(raw.article) : raw.article, article: raw.article, original: false, practice: !seed });
    });
  }
  return out;
}

/** A small stable hash of a text (FNV-1a). */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
