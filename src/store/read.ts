import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IndexError } from '../core/errors.js';
import { buildPath, LEXICON_FILE, MANIFEST_FILE, readCurrent } from './layout.js';
import { parseManifest, type Manifest } from './manifest.js';
import { ITEM_KINDS, type StoredItem } from './records.js';
import { parseLexicon, type LexiconData } from '../core/lexicon-data.js';
import { checkManifestSeal, digestFileOffThread, recordedDigest, type Integrity } from './checksums.js';
import { INDEX_FILE, loadVectraItems } from './vectra-file.js';
import { snapshotFromItems, type StoreSnapshot } from './snapshot.js';
import { decodeSnapshot, DERIVED_FILES, DERIVED_READABLE, encodeSnapshot, PASSAGES_FILE, readDerivedFiles, sha256, VECTORS_FILE, writeFileAtomic } from './snapshot-file.js';

/** A build as read from disk and checked for consistency. */
export interface BuildContents {
  build: string;
  manifest: Manifest;
  items: StoredItem[];
  lexicon: LexiconData;
}

/** A build ready for the in-memory store: manifest, lexicon and the query structures. */
export interface LoadedSnapshot {
  build: string;
  manifest: Manifest;
  lexicon: LexiconData;
  snapshot: StoreSnapshot;
  /**
   * `files`: read from the derived files; `rebuilt`: they were missing or stale, so index.json
   * was read and they were written again; `memory`: as rebuilt, but they could not be written.
   */
  source: 'files' | 'rebuilt' | 'memory';
}

/**
 * Where the digests of the derived files are kept when the manifest does not list them (a
 * build from before they existed): written when they are first derived, and trusted only
 * for the manifest it names.
 */
export const DERIVED_DIGESTS_FILE = 'derived.json';

/** The live build of INDEX_DIR; a missing index is an IndexError with the fix. */
async function liveBuildName(indexDir: string): Promise<string> {
  const build = await readCurrent(indexDir).catch((cause: unknown) => {
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause).split('\n')[0];
    throw new IndexError(`cannot read the index in INDEX_DIR=${indexDir} (${reason}); check the folder or rebuild with npm run build-index`, { cause });
  });
  if (!build) throw new IndexError(`no index in INDEX_DIR=${indexDir}; run npm run build-index first`);
  return build;
}

/** Reads the live build of INDEX_DIR; a missing or damaged index is an IndexError with the fix. */
export async function readLiveBuild(indexDir: string): Promise<BuildContents> {
  return readBuild({ indexDir, build: await liveBuildName(indexDir) });
}

/**
 * Reads the live build for the in-memory store the fast way: the manifest, the lexicon and
 * the derived files (binary vectors, stored postings), each checked against the checksum
 * recorded for it, without reading index.json. When a derived file is missing or differs
 * from its checksum (or the build predates them), the build is read from index.json as
 * before and the derived files are written again for the next start.
 */
export async function readLiveSnapshot(indexDir: string): Promise<LoadedSnapshot> {
  const build = await liveBuildName(indexDir);
  const folder = buildPath({ indexDir, build });
  const { manifest, integrity } = await readManifest(folder);
  const lexicon = await readLexicon({ folder, integrity });
  const recorded = await derivedDigests({ folder, integrity });
  if (DERIVED_READABLE && recorded) {
    // index.json is not loaded, only checked, while the derived files are read and decoded: on
    // another thread, since at thousands of articles hashing it is most of a start. A damaged
    // one is refused as before.
    const indexChecked = checkIndexFile({ folder, integrity }).then(() => undefined, (error: unknown) => error);
    const snapshot = await readDerivedFiles(folder)
      .then((found) => (found && sha256(found.vectors) === recorded[VECTORS_FILE] && sha256(found.passages) === recorded[PASSAGES_FILE] ? decodeSnapshot(found) : undefined))
      // Unreadable, or matching its checksum but not decoding (written by a broken build):
      // rebuilt below from index.json like a missing one.
      .catch(() => undefined);
    const indexError = await indexChecked;
    if (snapshot && indexError) throw indexError;
    if (snapshot && fitsManifest(snapshot, manifest)) return { build, manifest, lexicon, snapshot, source: 'files' };
  }
  const { items } = await readBuild({ indexDir, build });
  const snapshot = snapshotFromItems({ manifest, items });
  const written = await writeDerivedFiles({ folder, snapshot, integrity }).then(
    () => true,
    () => false,
  );
  return { build, manifest, lexicon, snapshot, source: written ? 'rebuilt' : 'memory' };
}

/**
 * Writes the derived files of a build and returns their digests. When the manifest already
 * lists them (the build wrote them), the files are only repaired; otherwise their digests go
 * to `derived.json`, tied to this manifest.
 */
export async function writeDerivedFiles(options: { folder: string; snapshot: StoreSnapshot; integrity?: Integrity }): Promise<Record<string, string>> {
  const { folder, snapshot, integrity } = options;
  const { vectors, passages } = encodeSnapshot(snapshot);
  const digests = { [VECTORS_FILE]: sha256(vectors), [PASSAGES_FILE]: sha256(passages) };
  await writeFileAtomic(join(folder, VECTORS_FILE), vectors);
  await writeFileAtomic(join(folder, PASSAGES_FILE), passages);
  if (integrity && !DERIVED_FILES.every((f) => integrity.files[f] === digests[f])) {
    await writeFileAtomic(join(folder, DERIVED_DIGESTS_FILE), `${JSON.stringify({ manifest: integrity.manifest, files: digests })}\n`);
  }
  return digests;
}

/** The recorded digests of the derived files: the manifest's, else derived.json's for this manifest. */
async function derivedDigests(options: { folder: string; integrity: Integrity }): Promise<Record<string, string> | undefined> {
  const { folder, integrity } = options;
  const own = (files: Record<string, unknown>) => (DERIVED_FILES.every((f) => typeof files[f] === 'string') ? (files as Record<string, string>) : undefined);
  let side: Record<string, string> | undefined;
  try {
    const json = JSON.parse(await readFile(join(folder, DERIVED_DIGESTS_FILE), 'utf8')) as { manifest?: unknown; files?: Record<string, unknown> } | null;
    if (json?.manifest === integrity.manifest && json.files) side = own(json.files);
  } catch {
    side = undefined;
  }
  // A sidecar newer than the manifest's entries wins: it was written after they went stale.
  return side ?? own(integrity.files);
}

/**
 * index.json is the source of truth even when it is not parsed: a damaged or edited one is
 * refused here as it is when read, so an index that the next build could not reuse is never
 * served as sound.
 */
async function checkIndexFile(options: { folder: string; integrity: Integrity }): Promise<void> {
  const { folder, integrity } = options;
  let actual: string;
  try {
    actual = await digestFileOffThread(join(folder, INDEX_FILE));
  } catch (cause) {
    throw new IndexError(`the vectra index in ${folder} is missing or damaged; rebuild with npm run build-index`, { cause });
  }
  if (actual !== recordedDigest({ integrity, file: INDEX_FILE, folder })) {
    throw new IndexError(`the index in ${folder} does not match its manifest: ${INDEX_FILE} differs from the checksum recorded when it was built (damaged or edited); rebuild with npm run build-index`);
  }
}

function fitsManifest(snapshot: StoreSnapshot, manifest: Manifest): boolean {
  return (
    snapshot.dimensions === manifest.dimensions &&
    snapshot.chunkArticle.length === manifest.counts.chunks &&
    snapshot.sentenceArticle.length === manifest.counts.sentences &&
    snapshot.chunkArticle.every((a) => a < manifest.articles.length)
  );
}

async function readManifest(folder: string): Promise<{ manifest: Manifest; integrity: Integrity }> {
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
  return { manifest, integrity };
}

async function readLexicon(options: { folder: string; integrity: Integrity }): Promise<LexiconData> {
  const { folder, integrity } = options;
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
  try {
    return parseLexicon(JSON.parse(lexiconBytes.toString('utf8')) as unknown);
  } catch (cause) {
    throw new IndexError(`the index lexicon ${lexiconPath} is damaged; rebuild with npm run build-index`, { cause });
  }
}

/**
 * Reads one build folder and checks that its items match its manifest.
 * @param options.keepLines for a build that will write these items again (see loadVectraItems)
 */
export async function readBuild(options: { indexDir: string; build: string; keepLines?: boolean }): Promise<BuildContents> {
  const { indexDir, build, keepLines = false } = options;
  const folder = buildPath({ indexDir, build });
  const { manifest, integrity } = await readManifest(folder);
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
  const lexicon = await readLexicon({ folder, integrity });
  return { build, manifest, items, lexicon };
}

function wellFormed(item: StoredItem): boolean {
  const m = item.metadata as Partial<Record<string, unknown>> | null | undefined;
  return (
    item.vector instanceof Float32Array &&
    typeof m === 'object' &&
    m !== null &&
    (ITEM_KINDS as readonly unknown[]).includes(m.kind) &&
    typeof m.articleId === 'string' &&
    (typeof m.text === 'string' || (m.kind !== 'chunk' && m.kind !== 'sentence')) &&
    Number.isInteger(m.start) &&
    Number.isInteger(m.end)
  );
}
