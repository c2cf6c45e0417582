import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IndexError } from '../errors.js';
import { buildPath, MANIFEST_FILE, readCurrent } from './layout.js';
import { parseManifest, type Manifest } from './manifest.js';
import type { StoredItem } from './records.js';
import { loadVectraItems } from './vectra-file.js';

/** A build as read from disk and checked for consistency. */
export interface BuildContents {
  build: string;
  manifest: Manifest;
  items: StoredItem[];
}

/** Reads the live build of INDEX_DIR; a missing or damaged index is an IndexError with the fix. */
export async function readLiveBuild(indexDir: string): Promise<BuildContents> {
  const build = await readCurrent(indexDir).catch((cause: unknown) => {
    throw new IndexError(`cannot read the index in INDEX_DIR=${indexDir}: ${String(cause)}`, { cause });
  });
  if (!build) throw new IndexError(`no index in INDEX_DIR=${indexDir}; run npm run build-index first`);
  return readBuild({ indexDir, build });
}

/** Reads one build folder and checks that its items match its manifest. */
export async function readBuild(options: { indexDir: string; build: string }): Promise<BuildContents> {
  const { indexDir, build } = options;
  const folder = buildPath({ indexDir, build });
  const manifestPath = join(folder, MANIFEST_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(manifestPath, 'utf8')) as unknown;
  } catch (cause) {
    throw new IndexError(`the index manifest ${manifestPath} is missing or damaged; rebuild with npm run build-index`, { cause });
  }
  const manifest = parseManifest({ json, path: manifestPath });
  let items: StoredItem[];
  try {
    items = await loadVectraItems(folder);
  } catch (cause) {
    throw new IndexError(`the vectra index in ${folder} is missing or damaged; rebuild with npm run build-index`, { cause });
  }
  const chunks = items.filter((i) => i.metadata.kind === 'chunk').length;
  const badVector = items.find((i) => !Array.isArray(i.vector) || i.vector.length !== manifest.dimensions);
  if (chunks !== manifest.counts.chunks || items.length !== manifest.counts.chunks + manifest.counts.sentences || badVector) {
    throw new IndexError(`the index in ${folder} does not match its manifest (damaged or partly written); rebuild with npm run build-index`);
  }
  return { build, manifest, items };
}
