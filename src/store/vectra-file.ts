import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ItemMetadata, StoredItem } from './records.js';

export const INDEX_FILE = 'index.json';
/** Everything before the first item, exactly as `writeVectraIndex` writes it. */
const HEADER = '{"version":1,"metadata_config":{},"items":[';
const FOOTER = ']}';
/** Items serialised per write call: bounds memory without a syscall per item. */
const ITEMS_PER_WRITE = 512;
/**
 * The line an item was read from, kept (non-enumerable, so spreads and JSON skip it) when a
 * build reads the live index to reuse its vectors: writing the same line back is byte for byte
 * what serialising the item again would give, without the cost.
 */
const SOURCE_LINE = Symbol('index.json line');

type ReadItem = StoredItem & { [SOURCE_LINE]?: string };

/**
 * Writes a complete vectra 0.12 index (`index.json`) in one pass.
 *
 * vectra's `insertItem` scans every item already in the update to check the id is unique, so
 * inserting n items costs O(n²); our ids are unique by construction, so the build writes the
 * same file format directly, one item per line and streamed: the file is never one string, so
 * it can outgrow V8's string limit (about 512 MB) and the writer's memory stays flat. vectra's
 * own test in test/index checks that it still opens and queries the file.
 */
export async function writeVectraIndex(options: { folder: string; items: StoredItem[] }): Promise<void> {
  const { folder, items } = options;
  const handle = await open(join(folder, INDEX_FILE), 'w');
  try {
    let pending = `${HEADER}\n`;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (!item) continue;
      const line = (item as ReadItem)[SOURCE_LINE] ?? itemLine(item);
      pending += `${i > 0 ? ',\n' : ''}${line}`;
      if (i % ITEMS_PER_WRITE === ITEMS_PER_WRITE - 1) {
        await handle.write(pending);
        pending = '';
      }
    }
    await handle.write(`${pending}\n${FOOTER}`);
  } finally {
    await handle.close();
  }
}

/**
 * `JSON.stringify({ id, metadata, vector, norm })` with every non-ASCII character escaped
 * (`\u201c`): the same JSON value, but a pure-ASCII file decodes as Latin-1 and parses as a
 * one-byte string, which makes loading about a quarter faster.
 */
function itemLine(item: StoredItem): string {
  const vector = storedVector(item.vector);
  return `{"id":${asciiJson(item.id)},"metadata":${asciiJson(item.metadata)},"vector":${JSON.stringify(vector)},"norm":${JSON.stringify(norm(vector))}}`;
}

const NON_ASCII = /[\u007f-\uffff]/g;

function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Reads every item of a vectra index folder. A file in the layout `writeVectraIndex` writes is
 * parsed line by line (no whole-file string, no vectra import at start-up); any other valid
 * vectra index.json is parsed whole. Throws on a truncated or malformed file.
 * @param options.keepLines keep each item's line for `writeVectraIndex` to copy (costs the
 *   file's size in memory while the items live) @default false
 * @param options.sha256 the digest the file must have; a file that differs is refused with an
 *   error whose `code` is `ECHECKSUM`, before any of it is parsed
 */
export async function loadVectraItems(folder: string, options: { keepLines?: boolean; sha256?: string } = {}): Promise<StoredItem[]> {
  const bytes = await readFile(join(folder, INDEX_FILE));
  if (options.sha256 !== undefined && createHash('sha256').update(bytes).digest('hex') !== options.sha256) {
    throw Object.assign(new Error(`${INDEX_FILE} differs from its checksum`), { code: 'ECHECKSUM' });
  }
  const header = Buffer.from(`${HEADER}\n`);
  if (!bytes.subarray(0, header.length).equals(header)) return parseWhole(bytes).map(toStoredItem);
  const items: StoredItem[] = [];
  for (const { records, lines } of parseLines({ bytes, from: header.length, keepLines: options.keepLines === true })) {
    records.forEach((record, i) => {
      const item: ReadItem = toStoredItem(record);
      if (lines) Object.defineProperty(item, SOURCE_LINE, { value: lines[i], enumerable: false });
      items.push(item);
    });
  }
  return items;
}

/** Bytes of item lines parsed per JSON.parse call: far below V8's string limit, few calls. */
const BYTES_PER_PARSE = 32 * 1024 * 1024;

/**
 * Parses the item lines between the header and the closing `]}` in runs of whole lines, one
 * `JSON.parse` per run (as fast as parsing the file whole, without its size limit).
 */
function* parseLines(options: { bytes: Buffer; from: number; keepLines: boolean }): Generator<{ records: unknown[]; lines?: string[] }> {
  const { bytes, from, keepLines } = options;
  let last = bytes.length;
  while (last > from && /\s/.test(String.fromCharCode(bytes[last - 1] ?? 0))) last--;
  const footerStart = last - FOOTER.length - 1;
  if (footerStart < from - 1 || bytes.toString('utf8', footerStart, last) !== `\n${FOOTER}`) {
    throw new Error(`${INDEX_FILE} is truncated or has data after its end`);
  }
  for (let start = from; start < footerStart; ) {
    const cut = start + BYTES_PER_PARSE >= footerStart ? footerStart : bytes.indexOf(0x0a, start + BYTES_PER_PARSE);
    const end = cut < 0 || cut > footerStart ? footerStart : cut;
    const run = bytes.subarray(start, end);
    // Latin-1 is exact for ASCII and much faster than UTF-8; files from older builds are UTF-8.
    let text = run.toString(isAscii(run) ? 'latin1' : 'utf8');
    if (text.endsWith(',')) text = text.slice(0, -1);
    const records = JSON.parse(`[${text}]`) as unknown[];
    if (keepLines) {
      const lines = text.split('\n').map((line) => (line.endsWith(',') ? line.slice(0, -1) : line));
      if (lines.length !== records.length) throw new Error(`${INDEX_FILE} has an item that is not on its own line`);
      yield { records, lines };
    } else {
      yield { records };
    }
    start = end + 1;
  }
}

function parseWhole(bytes: Buffer): unknown[] {
  const data = JSON.parse(bytes.toString('utf8')) as { items?: unknown } | null;
  if (!data || !Array.isArray(data.items)) throw new Error(`${INDEX_FILE} has no items array`);
  return data.items as unknown[];
}

function toStoredItem(record: unknown): StoredItem {
  const item = record as { id?: unknown; metadata?: unknown; vector?: unknown } | null;
  if (!item || typeof item.id !== 'string' || typeof item.metadata !== 'object' || item.metadata === null || !Array.isArray(item.vector)) {
    throw new Error(`${INDEX_FILE} holds an item without id, metadata or vector`);
  }
  // Nine digits identify a float32 (see storedVector): the float32 copy loses nothing.
  return { id: item.id, metadata: item.metadata as ItemMetadata, vector: Float32Array.from(item.vector as number[]) };
}

/**
 * An embedding as stored: each float32 component with 9 significant digits. Nine digits
 * identify a float32 exactly, so the engine's Float32Array copy is bit for bit the embedder's
 * output, while index.json is about 35% smaller (and faster to parse) than with the 17 digits
 * of a double. `storedVector(Float32Array.from(storedVector(v)))` is `storedVector(v)`.
 */
export function storedVector(vector: Float32Array): number[] {
  return Array.from(vector, nineDigits);
}

const POWERS_OF_TEN = Array.from({ length: 46 }, (_, i) => 10 ** i);

/**
 * `Number(value.toPrecision(9))`, three times faster: scale, round, scale back. Anything the
 * shortcut cannot prove exact (it must give back the same float32) takes the slow path.
 */
function nineDigits(value: number): number {
  const magnitude = Math.abs(value);
  const decimals = 8 - Math.floor(Math.log10(magnitude));
  const scale = POWERS_OF_TEN[decimals];
  if (scale !== undefined && magnitude < 1e9) {
    const rounded = Math.round(value * scale) / scale;
    if (Math.fround(rounded) === value) return rounded;
  }
  return Number(value.toPrecision(9));
}

function norm(vector: number[]): number {
  let sum = 0;
  for (const v of vector) sum += v * v;
  return Math.sqrt(sum);
}
