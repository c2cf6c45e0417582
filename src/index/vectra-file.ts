import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ItemMetadata, StoredItem } from './records.js';

const INDEX_FILE = 'index.json';
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
      const line = (item as ReadItem)[SOURCE_LINE] ?? JSON.stringify({ id: item.id, metadata: item.metadata, vector: item.vector, norm: norm(item.vector) });
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
 * Reads every item of a vectra index folder. A file in the layout `writeVectraIndex` writes is
 * parsed line by line (no whole-file string, no vectra import at start-up); any other valid
 * vectra index.json is parsed whole. Throws on a truncated or malformed file.
 * @param options.keepLines keep each item's line for `writeVectraIndex` to copy (costs the
 *   file's size in memory while the items live) @default false
 */
export async function loadVectraItems(folder: string, options: { keepLines?: boolean } = {}): Promise<StoredItem[]> {
  const bytes = await readFile(join(folder, INDEX_FILE));
  const header = Buffer.from(`${HEADER}\n`);
  if (!bytes.subarray(0, header.length).equals(header)) return parseWhole(bytes).map(toStoredItem);
  return parseLines(bytes, header.length).map(({ record, line }) => {
    const item: ReadItem = toStoredItem(record);
    if (options.keepLines) Object.defineProperty(item, SOURCE_LINE, { value: line, enumerable: false });
    return item;
  });
}

function parseLines(bytes: Buffer, from: number): Array<{ record: unknown; line: string }> {
  const records: Array<{ record: unknown; line: string }> = [];
  let start = from;
  for (;;) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    const line = bytes.toString('utf8', start, end);
    if (line === FOOTER) {
      if (bytes.toString('utf8', end).trim() !== '') throw new Error(`${INDEX_FILE} has data after its end`);
      return records;
    }
    if (newline < 0) throw new Error(`${INDEX_FILE} is truncated`);
    const json = line.endsWith(',') ? line.slice(0, -1) : line;
    records.push({ record: JSON.parse(json) as unknown, line: json });
    start = newline + 1;
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
  return { id: item.id, metadata: item.metadata as ItemMetadata, vector: item.vector as number[] };
}

/**
 * An embedding as stored: each float32 component with 9 significant digits. Nine digits
 * identify a float32 exactly, so the engine's Float32Array copy is bit for bit the embedder's
 * output, while index.json is about 35% smaller (and faster to parse) than with the 17 digits
 * of a double. Applied once, when a vector is first embedded; reused vectors are already short.
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
