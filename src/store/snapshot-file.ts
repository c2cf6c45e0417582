import { createHash, randomBytes } from 'node:crypto';
import { endianness } from 'node:os';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PackedPostings } from '../core/bm25.js';
import type { StoreSnapshot } from './snapshot.js';

/**
 * The derived files of a build, written beside `index.json` (which stays vectra's source of
 * truth): every unit vector as raw float32 in one file, and everything else the in-memory
 * store queries (sentence and chunk tables, texts, BM25 postings, vocabulary) in another.
 * Loading reads both as they are, instead of parsing JSON and recomputing them.
 *
 * The format version is in the names: a version of the program that lays them out
 * differently looks for other names, finds none, and rebuilds them from `index.json`.
 */
export const VECTORS_FILE = 'vectors-v1.f32';
export const PASSAGES_FILE = 'passages-v1.bin';
export const DERIVED_FILES = [VECTORS_FILE, PASSAGES_FILE] as const;

const MAGIC = 'QPASS001';
/** Typed arrays are stored in the machine's byte order; only little-endian machines read them. */
export const DERIVED_READABLE = endianness() === 'LE';

type Section = { name: string; type: 'i32' | 'u8' | 'utf8'; offset: number; bytes: number };

/** The two files' bytes for a snapshot. */
export function encodeSnapshot(snapshot: StoreSnapshot): { vectors: Buffer; passages: Buffer } {
  const parts: Array<{ name: string; type: Section['type']; data: Buffer }> = [];
  const ints = (name: string, array: Int32Array) => parts.push({ name, type: 'i32', data: Buffer.from(array.buffer, array.byteOffset, array.byteLength) });
  const text = (name: string, value: string) => parts.push({ name, type: 'utf8', data: Buffer.from(value, 'utf8') });
  const postings = (name: string, p: PackedPostings) => {
    text(`${name}.terms`, p.terms.join('\n'));
    ints(`${name}.starts`, p.starts);
    ints(`${name}.docs`, p.docs);
    ints(`${name}.tfs`, p.tfs);
    ints(`${name}.lengths`, p.lengths);
  };
  for (const name of INT_COLUMNS) ints(name, snapshot[name]);
  ints('texts.offsets', snapshot.texts.offsets);
  text('texts.joined', snapshot.texts.joined);
  ints('gaps.offsets', snapshot.gaps.offsets);
  text('gaps.joined', snapshot.gaps.joined);
  parts.push({ name: 'hasGap', type: 'u8', data: Buffer.from(snapshot.hasGap.buffer, snapshot.hasGap.byteOffset, snapshot.hasGap.byteLength) });
  text('vocabulary', snapshot.vocabulary.join('\n'));
  postings('sentencePostings', snapshot.sentencePostings);
  postings('chunkPostings', snapshot.chunkPostings);

  const sections: Section[] = [];
  let offset = 0;
  for (const part of parts) {
    sections.push({ name: part.name, type: part.type, offset, bytes: part.data.length });
    offset = align(offset + part.data.length);
  }
  const header = Buffer.from(JSON.stringify({ dimensions: snapshot.dimensions, sections }), 'utf8');
  const start = align(MAGIC.length + 4 + header.length);
  const passages = Buffer.alloc(start + offset);
  passages.write(MAGIC, 0, 'latin1');
  passages.writeUInt32LE(header.length, MAGIC.length);
  header.copy(passages, MAGIC.length + 4);
  parts.forEach((part, i) => part.data.copy(passages, start + (sections[i]?.offset ?? 0)));
  const v = snapshot.vectors;
  return { vectors: Buffer.from(v.buffer, v.byteOffset, v.byteLength), passages };
}

/** Reads a snapshot back from the two files' bytes; throws on anything malformed. */
export function decodeSnapshot(options: { vectors: Buffer; passages: Buffer }): StoreSnapshot {
  const { passages } = options;
  if (passages.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error(`${PASSAGES_FILE} is not a passages file`);
  const headerLength = passages.readUInt32LE(MAGIC.length);
  const header = JSON.parse(passages.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength)) as { dimensions: number; sections: Section[] };
  const start = align(MAGIC.length + 4 + headerLength);
  const byName = new Map(header.sections.map((s) => [s.name, s]));
  const bytes = (name: string): Buffer => {
    const s = byName.get(name);
    if (!s || start + s.offset + s.bytes > passages.length) throw new Error(`${PASSAGES_FILE} lacks ${name}`);
    return passages.subarray(start + s.offset, start + s.offset + s.bytes);
  };
  const ints = (name: string): Int32Array => int32View(bytes(name));
  const text = (name: string): string => bytes(name).toString('utf8');
  const lines = (name: string): string[] => {
    const value = text(name);
    return value === '' ? [] : value.split('\n');
  };
  const postings = (name: string): PackedPostings => ({
    terms: lines(`${name}.terms`),
    starts: ints(`${name}.starts`),
    docs: ints(`${name}.docs`),
    tfs: ints(`${name}.tfs`),
    lengths: ints(`${name}.lengths`),
  });
  const columns = Object.fromEntries(INT_COLUMNS.map((name) => [name, ints(name)])) as Record<(typeof INT_COLUMNS)[number], Int32Array>;
  const hasGap = bytes('hasGap');
  const vectors = float32View(options.vectors);
  const snapshot: StoreSnapshot = {
    dimensions: header.dimensions,
    ...columns,
    texts: { joined: text('texts.joined'), offsets: ints('texts.offsets') },
    gaps: { joined: text('gaps.joined'), offsets: ints('gaps.offsets') },
    hasGap: new Uint8Array(hasGap.buffer, hasGap.byteOffset, hasGap.byteLength),
    vectors,
    vocabulary: lines('vocabulary'),
    sentencePostings: postings('sentencePostings'),
    chunkPostings: postings('chunkPostings'),
  };
  checkShape(snapshot);
  return snapshot;
}

const INT_COLUMNS = [
  'chunkArticle',
  'chunkFirst',
  'chunkCount',
  'sentenceArticle',
  'sentenceStart',
  'sentenceEnd',
  'sentencePosition',
  'sentenceRow',
  'contextRow',
  'titledRow',
  'clauseFirst',
  'clauseCount',
] as const;

/** Every index in range, so a query can never read past an array. */
function checkShape(s: StoreSnapshot): void {
  const chunks = s.chunkArticle.length;
  const sentences = s.sentenceArticle.length;
  const rows = s.dimensions > 0 ? s.vectors.length / s.dimensions : 0;
  const sameLength = (n: number, ...arrays: ArrayLike<number>[]) => arrays.every((a) => a.length === n);
  const within = (a: Int32Array, max: number) => a.every((v) => v >= 0 && v < max);
  const ok =
    Number.isInteger(rows) &&
    sameLength(chunks, s.chunkFirst, s.chunkCount) &&
    sameLength(sentences, s.sentenceStart, s.sentenceEnd, s.sentencePosition, s.sentenceRow, s.contextRow, s.titledRow, s.clauseFirst, s.clauseCount, s.hasGap) &&
    sameLength(sentences + 1, s.texts.offsets, s.gaps.offsets) &&
    within(s.sentenceRow, rows) &&
    within(s.contextRow, rows) &&
    within(s.titledRow, rows) &&
    s.clauseFirst.every((first, i) => first >= 0 && first + (s.clauseCount[i] ?? 0) <= rows) &&
    s.chunkFirst.every((first, i) => first >= 0 && first + (s.chunkCount[i] ?? 0) <= sentences) &&
    chunks <= rows &&
    s.sentencePostings.lengths.length === sentences &&
    s.chunkPostings.lengths.length === chunks &&
    within(s.sentencePostings.docs, Math.max(sentences, 1)) &&
    within(s.chunkPostings.docs, Math.max(chunks, 1));
  if (!ok) throw new Error('the derived index files do not fit together');
}

/** The sha256 of bytes, hex. */
export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes a file whole, then renames it into place: a reader (another replica rebuilding the
 * same file) sees the old file or the new one, never half of one.
 */
export async function writeFileAtomic(path: string, bytes: Buffer | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(bytes);
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Both derived files of a build folder, or undefined when either is missing. */
export async function readDerivedFiles(folder: string): Promise<{ vectors: Buffer; passages: Buffer } | undefined> {
  try {
    const [vectors, passages] = await Promise.all([readFile(join(folder, VECTORS_FILE)), readFile(join(folder, PASSAGES_FILE))]);
    return { vectors, passages };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function align(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** A view when the bytes are aligned for it (files read whole are), else a copy. */
function int32View(bytes: Buffer): Int32Array {
  if (bytes.byteOffset % 4 === 0) return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Int32Array(Uint8Array.from(bytes).buffer);
}

function float32View(bytes: Buffer): Float32Array {
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Float32Array(Uint8Array.from(bytes).buffer);
}
