import { endianness } from 'node:os';
import type pg from 'pg';
import pgvector from 'pgvector';
import { bm25Idf, bm25Term, POSTINGS_PER_TERM } from '../../core/bm25.js';
import { IndexError } from '../../core/errors.js';
import { baseForms, type LexiconData } from '../../core/lexicon-data.js';
import { letterMask, maskLimit, nearestWord, spellingLimit } from '../../core/spelling.js';
import { contentTerms, stem, words as wordsOf } from '../../core/text.js';
import { dot, fuseRankedRows, scoreRows, topRows } from '../../core/vectors.js';
import type { PassageStore, TermFacts } from '../../answer/store.js';
import { articleInfos, storeInfo } from '../article-info.js';
import { createLexicon } from '../lexicon.js';
import { assembleCandidates, cosinesOf, fusionDepth, NO_TERMS, RRF_K } from '../../answer/candidates.js';
import { float32s, HNSW_EF_SEARCH, inTransaction, SCHEMA } from './connect.js';
import type { Generation } from './generations.js';
import { RETRIEVAL } from '../../core/settings.js';

/** Rows HNSW is asked for beyond the fusion depth: room for another generation's chunks in between. */
const NEAREST_MARGIN = RETRIEVAL.nearestMargin;

interface SentenceRow {
  start: number;
  end: number;
  text: string;
  gap: string | undefined;
  vectors: Float32Array;
  clauses: number;
  kinds: ReadonlySet<string>;
  words: string[];
  /** Its content terms in order (for BM25), and as a set. */
  terms: string[];
  termSet: ReadonlySet<string>;
}

/**
 * The PassageStore over one generation in PostgreSQL. Nothing of the index is held in
 * memory but the list of articles (what /sources shows); each question costs a handful of
 * queries: the words of the corpus for spelling, term statistics and lexicon for its words,
 * HNSW (pgvector) for the dense ranking and the stored postings for BM25, then the sentences of
 * the passages that won.
 *
 * Answers equal the in-memory store's: scores are computed here with the same code from the
 * same numbers (exact float32 vectors, term counts and lengths), and HNSW only decides which
 * chunks are scored. Its recall is what can differ: exhaustive on a small corpus; on 160,000
 * passages (20,000 articles) it finds 95% of the exact nearest the fusion reads (see connect.ts
 * and docs/scaling.md).
 */
export async function openPgStore(options: { pool: pg.Pool; generation: Generation; postingsPerTerm?: number }): Promise<PassageStore> {
  const { pool, generation, postingsPerTerm = POSTINGS_PER_TERM } = options;
  const g = generation.id;
  const dims = generation.dimensions;
  const listed = await pool.query<{
    article: string;
    article_id: string;
    title: string;
    outlet: string;
    date: string | null;
    url: string | null;
    event: string;
    first_chunk: number;
    first_sentence: number;
  }>(
    `SELECT ga.article, a.article_id, a.title, a.outlet, a.date, a.url, a.event, ga.first_chunk, ga.first_sentence
     FROM ${SCHEMA}.generation_articles ga JOIN ${SCHEMA}.articles a ON a.id = ga.article
     WHERE ga.generation = $1 ORDER BY ga.ordinal`,
    [g],
  );
  const rows = listed.rows;
  const articles = articleInfos(rows.map((r) => ({ id: r.article_id, title: r.title, outlet: r.outlet, date: r.date, url: r.url, event: r.event })));
  // Database ids of the generation's articles, by ordinal, and back: queries then need no join.
  const rowIds = rows.map((r) => r.article);
  const ordinalOf = new Map(rowIds.map((id, ordinal) => [id, ordinal]));
  const firstChunk = Int32Array.from(rows, (r) => r.first_chunk);
  const firstSentence = Int32Array.from(rows, (r) => r.first_sentence);
  const chunkAvg = generation.chunks > 0 ? generation.chunkTerms / generation.chunks : 0;
  const sentenceAvg = generation.sentences > 0 ? generation.sentenceTerms / generation.sentences : 0;

  /** The article (ordinal) a global row belongs to, by binary search over the first rows. */
  const articleOf = (firsts: Int32Array, row: number): number => {
    let lo = 0;
    let hi = firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((firsts[mid] ?? 0) <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // Rows as arrays: int4 columns arrive as numbers, bigint and text as strings.
  const rowsOf = async (text: string, values: unknown[]): Promise<unknown[][]> => (await pool.query({ text, values, rowMode: 'array' })).rows;
  // HNSW returns at most hnsw.ef_search rows: a search for more raises it for its own query
  // (up to pgvector's ceiling of 1,000).
  const nearestRows = async (text: string, values: unknown[], rows: number): Promise<unknown[][]> => {
    if (rows <= HNSW_EF_SEARCH) return rowsOf(text, values);
    return inTransaction(pool, async (client) => {
      await client.query(`SET LOCAL hnsw.ef_search = ${Math.min(1000, Math.ceil(rows))}`);
      return (await client.query({ text, values, rowMode: 'array' })).rows as unknown[][];
    });
  };
  // A passage's vector into row `row` of a matrix (never beyond it); a short one is a damaged index.
  const passageVector = (base64: string, matrix: Float32Array, row: number): void => {
    if (decodeInto(base64, matrix.subarray(row * dims, (row + 1) * dims), 0) !== dims) {
      throw new IndexError(`index build ${generation.name} holds a passage vector that is not ${dims} numbers (damaged); rebuild with npm run build-index`);
    }
  };
  const lexiconOf = async (relations: Array<keyof LexiconData>, keys: string[]): Promise<LexiconData> => {
    const data: LexiconData = { related: {}, places: {}, kinds: {} };
    if (keys.length === 0) return data;
    const found = await pool.query<{ relation: keyof LexiconData; word: string; targets: string[] }>(
      `SELECT relation, word, targets FROM ${SCHEMA}.generation_lexicon WHERE generation = $1 AND relation = ANY($2::text[]) AND word = ANY($3::text[])`,
      [g, relations, keys],
    );
    for (const row of found.rows) data[row.relation][row.word] = row.targets;
    return data;
  };
  // A sentence's words, terms and kinds, remembered across questions as the in-memory store does.
  const wordCache = new Map<number, { words: string[]; terms: string[]; termSet: ReadonlySet<string>; kinds: ReadonlySet<string> }>();
  const wordsMemo = (id: number, text: string, kinds: string): { words: string[]; terms: string[]; termSet: ReadonlySet<string>; kinds: ReadonlySet<string> } => {
    let found = wordCache.get(id);
    if (!found) {
      const sentenceWords = wordsOf(text);
      const sentenceTerms = contentTerms(sentenceWords);
      found = { words: sentenceWords, terms: sentenceTerms, termSet: new Set(sentenceTerms), kinds: new Set(kinds === '' ? [] : kinds.split(' ')) };
      if (wordCache.size > 50_000) wordCache.clear();
      wordCache.set(id, found);
    }
    return found;
  };
  return {
    info: storeInfo({
      manifest: { about: generation.about ?? undefined, modelId: generation.modelId, dimensions: dims, builtAt: generation.builtAt },
      articles: articles.length,
      chunks: generation.chunks,
      sentences: generation.sentences,
    }),
    articles,

    async spell(asked) {
      const known = new Set<string>();
      const nearest = new Map<string, string>();
      if (asked.length === 0) return { known, nearest };
      const found = await pool.query<{ word: string }>(`SELECT word FROM ${SCHEMA}.generation_words WHERE generation = $1 AND word = ANY($2::text[])`, [g, asked]);
      const present = new Set(found.rows.map((r) => r.word));
      for (const w of asked) if (present.has(w)) known.add(w);
      const unknown = asked.filter((w) => !known.has(w));
      if (unknown.length === 0) return { known, nearest };
      // Only words that can be near enough come back (length, and the letter-mask bound), in
      // the corpus's order; nearestWord then picks among them exactly as it does in memory.
      const near = await pool.query<{ i: string; word: string }>(
        `SELECT q.i, w.word
         FROM unnest($2::text[], $3::int[], $4::int[], $5::bigint[], $6::int[]) WITH ORDINALITY AS q(asked, lo, hi, mask, bits, i)
         JOIN LATERAL (
           SELECT gw.word, gw.ord FROM ${SCHEMA}.generation_words gw
           WHERE gw.generation = $1 AND gw.length BETWEEN q.lo AND q.hi AND bit_count((gw.letters # q.mask)::bit(64)) <= q.bits
         ) w ON true
         ORDER BY q.i, w.ord`,
        [
          g,
          unknown,
          unknown.map((w) => w.length - spellingLimit(w)),
          unknown.map((w) => w.length + spellingLimit(w)),
          unknown.map((w) => letterMask(w).toString()),
          unknown.map((w) => maskLimit(w)),
        ],
      );
      const candidates = unknown.map(() => [] as string[]);
      for (const row of near.rows) candidates[Number(row.i) - 1]?.push(row.word);
      unknown.forEach((word, i) => {
        const found_ = nearestWord({ word, candidates: candidates[i] ?? [] });
        if (found_) nearest.set(word, found_);
      });
      return { known, nearest };
    },

    async describe(asked) {
      const forms = [...new Set(asked.flatMap((w) => baseForms(w.toLowerCase())))];
      const lexicon = createLexicon(await lexiconOf(['related', 'places'], forms));
      const wanted = new Set<string>();
      for (const w of asked) {
        wanted.add(stem(w));
        for (const t of lexicon.related(w)) wanted.add(t);
        for (const t of lexicon.places(w)) wanted.add(t);
      }
      const df = new Map<string, number>();
      if (wanted.size > 0) {
        const found = await pool.query<{ term: string; sentence_df: number }>(
          `SELECT term, sentence_df FROM ${SCHEMA}.generation_terms WHERE generation = $1 AND term = ANY($2::text[])`,
          [g, [...wanted]],
        );
        for (const row of found.rows) df.set(row.term, row.sentence_df);
      }
      const facts: TermFacts = {
        idf: (term) => bm25Idf({ documents: generation.sentences, df: df.get(term) ?? 0 }),
        maxIdf: Math.log(1 + (generation.sentences - 0.5) / 1.5),
        related: (word) => lexicon.related(word),
        places: (word) => lexicon.places(word),
      };
      return facts;
    },

    async candidates({ vector, terms: queryTerms, passages, sentences: wantedSentences }) {
      const depth = fusionDepth(passages);
      const unique = [...new Set(queryTerms)];
      const [nearest, postings] = await Promise.all([
        // HNSW searches every generation's chunks of the model: only this one's come back, the
        // nearest `depth` of them, with their exact vectors (for the engine's own arithmetic).
        nearestRows(
          `SELECT n.article, n.position, encode(n.vec, 'base64') FROM (
             SELECT article, position, vec, embedding::vector(${dims}) <=> $2::vector(${dims}) AS distance FROM ${SCHEMA}.chunks
             WHERE space = $1 ORDER BY distance LIMIT $3
           ) n
           WHERE EXISTS (SELECT 1 FROM ${SCHEMA}.generation_articles ga WHERE ga.generation = $4 AND ga.article = n.article)
           ORDER BY n.distance LIMIT $5`,
          [generation.space, pgvector.toSql(Array.from(vector)), depth * NEAREST_MARGIN, g, depth],
          depth * NEAREST_MARGIN,
        ),
        // The generation's row comes back even with no term found: none means a newer build
        // replaced it and cleaned it away.
        rowsOf(
          // Each list is stored best first: its first postingsPerTerm postings are what the ranking reads.
          `SELECT t.term, t.sentence_df, t.chunk_df, encode(substring(t.postings FROM 1 FOR $3), 'base64')
           FROM ${SCHEMA}.generations g LEFT JOIN ${SCHEMA}.generation_terms t ON t.generation = g.id AND t.term = ANY($2::text[])
           WHERE g.id = $1`,
          // A generation built before postings were stored best first is read whole (exact BM25).
          [g, unique, generation.postingsBestFirst ? postingsPerTerm * 12 : 2 ** 31 - 1],
        ).then((found) => {
          if (found.length === 0) throw new IndexError(`index build ${generation.name} is no longer in the database (a newer build replaced it); reload to serve the live one`);
          return found.filter((row) => row[0] !== null);
        }),
      ]);

      // Dense: exact cosines of the chunks HNSW found, in the engine's own arithmetic, ranked
      // as topIndexes ranks the in-memory scan (best first, ties to the lower row, none <= 0).
      // (The query kept to this generation's articles; a row of another is never scored.)
      const found = nearest.flatMap((row) => {
        const ordinal = ordinalOf.get(String(row[0]));
        return ordinal === undefined ? [] : [{ row: (firstChunk[ordinal] ?? 0) + (row[1] as number), vector: row[2] as string }];
      });
      const matrix = new Float32Array(found.length * dims);
      found.forEach((f, i) => passageVector(f.vector, matrix, i));
      const cosines = scoreRows({ matrix, dimensions: dims, query: vector });
      const dense = topRows(new Map(found.map((f, i) => [f.row, cosines[i] ?? 0])), depth);

      // BM25 over chunks from the stored postings, term by term in the question's order.
      const byTerm = new Map(postings.map((row) => [row[0] as string, row]));
      const lexical = new Map<number, number>();
      const sentenceDf = new Map<string, number>();
      for (const term of unique) {
        const row = byTerm.get(term);
        if (!row) continue;
        sentenceDf.set(term, (row[1] as number));
        const idf = bm25Idf({ documents: generation.chunks, df: (row[2] as number) });
        const packed = Buffer.from(row[3] as string, 'base64');
        for (let at = 0; at + 12 <= packed.length; at += 12) {
          const chunk = packed.readInt32LE(at);
          lexical.set(chunk, (lexical.get(chunk) ?? 0) + bm25Term({ idf, tf: packed.readInt32LE(at + 4), length: packed.readInt32LE(at + 8), avgLength: chunkAvg }));
        }
      }

      const ranked = fuseRankedRows({ rankings: [dense, topRows(lexical, depth)], k: RRF_K }).slice(0, passages);
      if (ranked.length === 0) return { ranked: [], others: () => [] };
      const place = ranked.map((row) => {
        const article = articleOf(firstChunk, row);
        return { row, article, position: row - (firstChunk[article] ?? 0) };
      });
      const chunkRows = await rowsOf(
        `SELECT want.i, c.first_sentence, c.sentence_count, encode(c.vec, 'base64')
         FROM unnest($1::bigint[], $2::int[]) WITH ORDINALITY AS want(article, position, i)
         JOIN ${SCHEMA}.chunks c ON c.article = want.article AND c.position = want.position`,
        [place.map((p) => rowIds[p.article]), place.map((p) => p.position)],
      );
      if (chunkRows.length !== place.length) throw new IndexError(`index build ${generation.name} lost passages while it was read; reload to serve the live one`);
      const chunkMatrix = new Float32Array(place.length * dims);
      const spans = new Array<{ first: number; count: number }>(place.length);
      for (const row of chunkRows) {
        const i = Number(row[0]) - 1;
        const article = place[i]?.article ?? 0;
        spans[i] = { first: (firstSentence[article] ?? 0) + (row[1] as number), count: (row[2] as number) };
        passageVector(row[3] as string, chunkMatrix, i);
      }
      const chunkCosines = scoreRows({ matrix: chunkMatrix, dimensions: dims, query: vector });

      // The sentences of the winning passages, and the one before and after each: of a
      // neighbour only the first two vectors (alone, and with the sentence before) are read.
      const wanted = new Map<number, boolean>();
      for (const span of spans) {
        for (let id = span.first - 1; id <= span.first + span.count; id++) {
          const inside = id >= span.first && id < span.first + span.count;
          if (id >= 0 && id < generation.sentences) wanted.set(id, inside || (wanted.get(id) ?? false));
        }
      }
      const ids = [...wanted.keys()].sort((a, b) => a - b);
      const located = ids.map((id) => {
        const article = articleOf(firstSentence, id);
        return { id, article, position: id - (firstSentence[article] ?? 0), whole: wanted.get(id) ?? false };
      });
      const sentenceRows = await rowsOf(
        `SELECT want.i, s.start_offset, s.end_offset, s.text, s.gap_before, s.clause_count,
                encode(CASE WHEN want.whole THEN s.vectors ELSE substring(s.vectors FROM 1 FOR $3) END, 'base64'), s.kinds
         FROM unnest($1::bigint[], $2::int[], $4::boolean[]) WITH ORDINALITY AS want(article, position, whole, i)
         JOIN ${SCHEMA}.sentences s ON s.article = want.article AND s.position = want.position`,
        [located.map((l) => rowIds[l.article]), located.map((l) => l.position), 2 * dims * 4, located.map((l) => l.whole)],
      );
      const sentences = new Map<number, SentenceRow>();
      for (const row of sentenceRows) {
        const id = located[Number(row[0]) - 1]?.id ?? -1;
        const text = row[3] as string;
        const known = wordsMemo(id, text, row[7] as string);
        sentences.set(id, {
          start: (row[1] as number),
          end: (row[2] as number),
          text,
          gap: row[4] === null ? undefined : (row[4] as string),
          clauses: (row[5] as number),
          vectors: vectorsOf(row[6] as string),
          kinds: known.kinds,
          words: known.words,
          terms: known.terms,
          termSet: known.termSet,
        });
      }

      const sameArticle = (a: number, b: number): boolean =>
        b >= 0 && b < generation.sentences && articleOf(firstSentence, a) === articleOf(firstSentence, b);
      const view = (s: SentenceRow, k: number): Float32Array => s.vectors.subarray(k * dims, (k + 1) * dims);
      const require = (id: number): SentenceRow => {
        const s = sentences.get(id);
        if (!s) throw new IndexError(`index build ${generation.name} lost a sentence while it was read; reload to serve the live one`);
        return s;
      };
      /** The rows before and after a sentence in its article, and the neighbours a quote may join. */
      const around = (id: number, s: SentenceRow) => {
        const before = sameArticle(id, id - 1) ? id - 1 : undefined;
        const after = sameArticle(id, id + 1) ? id + 1 : undefined;
        const b = before === undefined ? undefined : require(before);
        const a = after === undefined ? undefined : require(after);
        return {
          b,
          after,
          previous: before !== undefined && b && s.gap !== undefined ? { id: before, text: b.text, start: b.start, end: b.end, gap: s.gap, terms: b.termSet } : undefined,
          next: after !== undefined && a && a.gap !== undefined ? { id: after, text: a.text, start: a.start, end: a.end, gap: a.gap, terms: a.termSet } : undefined,
        };
      };
      const lexicalOf = (s: SentenceRow): number => sentenceBm25({ terms: s.terms, queryTerms: unique, df: sentenceDf, documents: generation.sentences, avgLength: sentenceAvg });
      return assembleCandidates({
        sentences: wantedSentences,
        firstScores: (id) => {
          const s = require(id);
          return { dense: dot(vector, view(s, 0)), context: dot(vector, view(s, 1)), lexical: lexicalOf(s) };
        },
        ranked: place.map((p, i) => ({
          dense: chunkCosines[i] ?? 0,
          lexical: lexical.get(p.row) ?? 0,
          first: spans[i]?.first ?? 0,
          count: spans[i]?.count ?? 0,
        })),
        quotable: (id) => {
          const s = require(id);
          const { previous, next } = around(id, s);
          return { id, article: articleOf(firstSentence, id), text: s.text, start: s.start, end: s.end, previous, next };
        },
        sentence: (id, passage, first) => {
          const s = require(id);
          const { b, after, previous, next } = around(id, s);
          const article = articleOf(firstSentence, id);
          const clauses: Float32Array[] = [];
          for (let k = 0; k < s.clauses; k++) clauses.push(view(s, 3 + k));
          return {
            id,
            article,
            text: s.text,
            start: s.start,
            end: s.end,
            position: id - (firstSentence[article] ?? 0),
            previous,
            next,
            cosines: cosinesOf(id, after, first),
            vectors: { titled: view(s, 2), clauses },
            words: s.words,
            kinds: s.kinds,
            terms: s.termSet,
            previousTerms: b ? b.termSet : NO_TERMS,
            passageDense: passage.dense,
            passageLexical: passage.lexical,
            lexical: first(id).lexical,
          };
        },
      });
    },
  };
}

/** A sentence's BM25 score, as the in-memory index computes it from its postings. */
function sentenceBm25(options: { terms: string[]; queryTerms: string[]; df: ReadonlyMap<string, number>; documents: number; avgLength: number }): number {
  const { terms, queryTerms, df, documents, avgLength } = options;
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  let score = 0;
  for (const term of queryTerms) {
    const tf = counts.get(term);
    const frequency = df.get(term) ?? 0;
    if (!tf || frequency === 0) continue;
    score += bm25Term({ idf: bm25Idf({ documents, df: frequency }), tf, length: terms.length, avgLength });
  }
  return score;
}

/**
 * Float32 values of a bytea sent as base64 (a third larger than the bytes, where node-postgres's
 * hex would double them), little-endian as written. (PostgreSQL breaks base64 into lines: the
 * length of the text only bounds that of the bytes.)
 */
function vectorsOf(base64: string): Float32Array {
  const out = new Float32Array(Math.ceil((base64.length * 3) / 16));
  return out.subarray(0, decodeInto(base64, out, 0));
}

/**
 * Decodes a base64 bytea of float32s into `target` from element `at`, with no buffer in
 * between; returns how many floats it held.
 */
function decodeInto(base64: string, target: Float32Array, at: number): number {
  if (!LITTLE_ENDIAN) {
    const values = float32s(Buffer.from(base64, 'base64'));
    target.set(values, at);
    return values.length;
  }
  const room = Buffer.from(target.buffer, target.byteOffset + at * 4, (target.length - at) * 4);
  return room.write(base64, 'base64') / 4;
}

const LITTLE_ENDIAN = endianness() === 'LE';
