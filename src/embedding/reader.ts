/** A candidate sentence as the reader is given it, with what it knows of the sentence's article. */
export interface ReadPassage {
  text: string;
  /** The article's outlet, as its sources line names it. */
  outlet: string;
  /** Its publication date (YYYY-MM-DD), or null when it gives none. */
  date: string | null;
  /** The years its event's label names (when the article gives no date). */
  years: readonly number[];
}

/**
 * What a reader reads beside the question: the sentence alone, or the sentence after its
 * article's outlet and date ("ThePrint (Reuters), 9 October 2025: …"; the event's year where
 * the article gives no date), so that it can tell a 2022 report from a 2025 one and one
 * outlet's from another's, which a sentence seldom says itself. Each reader model records
 * which it was trained with (its reader.json); the recipe's choice, and what the source did to
 * a reader on articles it had not seen, is READER_CONTEXT's in tools/reader/pipeline.ts.
 */
export const READER_CONTEXTS = ['sentence', 'source'] as const;
export type ReaderContext = (typeof READER_CONTEXTS)[number];

/**
 * Reads a question together with candidate sentences and scores whether each answers it (a
 * cross-encoder). The only thing the engine knows about the reader model.
 */
export interface Reader {
  readonly modelId: string;
  /** The model's learnt score for "no sentence answers", on the same scale as `score`'s. */
  readonly none: number;
  /** One score per passage, in order: higher means the passage answers the question more surely. */
  score(question: string, passages: ReadPassage[]): Promise<number[]>;
  /** Frees the model session. */
  dispose(): Promise<void>;
}

/** A day written out as the English coverage writes it: "9 October 2025". */
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * The text a reader with this context reads for a passage: the one format the training data
 * and the engine share (tools/reader writes the training inputs with it).
 */
export function readerInput(passage: ReadPassage, context: ReaderContext): string {
  if (context === 'sentence') return passage.text;
  const { outlet, date, years } = passage;
  const day = date ? new Date(`${date}T00:00:00Z`) : null;
  const when = day && !Number.isNaN(day.getTime()) ? DAY.format(day) : years.join(', ');
  const prefix = [outlet, when].filter((s) => s.length > 0).join(', ');
  return prefix ? `${prefix}: ${passage.text}` : passage.text;
}
