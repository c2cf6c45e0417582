import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalIndex } from 'vectra';
import type { ItemMetadata, StoredItem } from './records.js';

/**
 * Writes a complete vectra 0.12 index (`index.json`) in one pass.
 *
 * vectra's `insertItem` scans every item already in the update to check the id is unique, so
 * inserting n items costs O(n²); our ids are unique by construction, so the build writes the
 * same file format directly. Reading goes through vectra itself (`loadVectraItems`), which
 * keeps the format honest.
 */
export async function writeVectraIndex(options: { folder: string; items: StoredItem[] }): Promise<void> {
  const { folder, items } = options;
  const data = {
    version: 1,
    metadata_config: {},
    items: items.map((item) => ({ id: item.id, metadata: item.metadata, vector: item.vector, norm: norm(item.vector) })),
  };
  await writeFile(join(folder, 'index.json'), JSON.stringify(data));
}

/** Reads every item of a vectra index folder through vectra's own loader. */
export async function loadVectraItems(folder: string): Promise<StoredItem[]> {
  const index = new LocalIndex<ItemMetadata>(folder);
  const items = await index.listItems<ItemMetadata>();
  return items.map((item) => ({ id: item.id, metadata: item.metadata, vector: item.vector }));
}

function norm(vector: number[]): number {
  let sum = 0;
  for (const v of vector) sum += v * v;
  return Math.sqrt(sum);
}
