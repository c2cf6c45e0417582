import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IndexError } from '../core/errors.js';
import { buildPath, LEXICON_FILE, MANIFEST_FILE, readCurrent } from './layout.js';
import { parseManifest, type Manifest } from './manifest.js';
import { ITEM_KINDS, type StoredItem } from './records.js';
import { parseLexicon, type LexiconData } from '../core/lexicon-data.js';
import { checkManifestSeal, recordedDigest } from './checksums.js';
import { INDEX_FILE, loadVectraItems } from './vectra-file.js';

/** A build as read from disk and checked for consistency. */
export interface BuildContents {
  build: string;
  manifest: Manifest;
  items: StoredItem[];
  lexicon: LexiconData;
}

/** Reads the live build of INDEX_DIR; a missing or damaged index is an IndexError with the fix. */
export async function readLiveBuild(indexDir: string): Promise<BuildContents> {
  const build = await readCurrent(indexDir).catch((cause: unknown) => {
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause).split('\n')[0];
    throw new IndexError(`cannot read the index in INDEX_DIR=${indexDir} (${reason}); check the folder or rebuild with npm run build-index`, { cause });
  });
  if (!build) throw new IndexError(`no index in INDEX_DIR=${indexDir}; run npm run build-index first`);
  return readBuild({ indexDir, build });
}

/**
 * Reads one build folder and checks that its items match its manifest.
 * @param options.keepLines for a build that will write these items again (see loadVectraItems)
 */
export async function readBuild(options: { indexDir: string; build: string; keepLines?: boolean }): Promise<BuildContents> {
  const { indexDir, build, keepLines = false } = options;
  const folder = buildPath({ indexDir, build });
  const manifestPath = join(folder, MANIFEST_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(manifestPath, 'utf8')) as unknown;
  } catch (cause) {
    throw new IndexError(`the index manifest ${manifestPath} is missing or damaged; rebuild with npm run build-index`, { cause });
  }
  const manifest = parseManifest({ json, path: manifestPath });
  // Checksums first: an edited or bit-rotted file is refused before anything in it is used.
  const integrity = checkManifestSeal({ json, path: manifestPath });
  let items: StoredItem[];
  try {
    items = await loadVectraItems(folder, { keepLines, sha256: recordedDigest({ integrity, file: INDEX_FILE, folder }) });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ECHECKSUM') {
      throw new IndexError(`the index in ${folder} does not match its manifest: ${INDEX_FILE} differs from the checksum recorded when it was built (damaged or edited); rebuild with npm run build-index`, { cause });
    }
    throw new IndexError(`the vectra index in ${folder} is missing or damaged; rebuild with npm run build-index`, { cause });
  }
  // A hand-edited or bit-rotted file can be valid JSON with the wrong shapes in it.
  const badItem = items.find((i) => !wellFormed(i) || i.vector.length !== manifest.dimensions);
  const count = (kind: string): number => (badItem ? -1 : items.filter((i) => i.metadata.kind === kind).length);
  if (badItem || count('chunk') !== manifest.counts.chunks || count('sentence') !== manifest.counts.sentences || items.length !== manifest.counts.items) {
    throw new IndexError(`the index in ${folder} does not match its manifest (damaged or partly written); rebuild with npm run build-index`);
  }
  const lexiconPath = join(folder, LEXICON_FILE);
  let lexiconBytes: Buffer;
  try {
    lexiconBytes = await readFile(lexiconPath);
  } catch (cause) {
    throw new IndexError(`the index lexicon ${lexiconPath} is missing; rebuild with npm run build-index`, { cause });
  }
  if (createHash('sha256').update(lexiconBytes).digest('hex') !== recordedDigest({ integrity, file: LEXICON_FILE, folder })) {
    throw new IndexError(`the index in ${folder} does not match its manifest: ${LEXICON_FILE} differs from the checksum recorded when it was built (damaged or edited); rebuild with npm run build-index`);
  }
  let lexicon: LexiconData;
  try {
    lexicon = parseLexicon(JSON.parse(lexiconBytes.toString('utf8')) as unknown);
  } catch (cause) {
    throw new IndexError(`the index lexicon ${lexiconPath} is damaged; rebuild with npm run build-index`, { cause });
  }
  return { build, manifest, items, lexicon };
}

function wellFormed(item: StoredItem): boolean {
  const m = item.metadata as Partial<Record<string, unknown>> | null | undefined;
  return (
    Array.isArray(item.vector) &&
    typeof m === 'object' &&
    m !== null &&
    (ITEM_KINDS as readonly unknown[]).includes(m.kind) &&
    typeof m.articleId === 'string' &&
    (typeof m.text === 'string' || (m.kind !== 'chunk' && m.kind !== 'sentence')) &&
    Number.isInteger(m.start) &&
    Number.isInteger(m.end)
  );
}
