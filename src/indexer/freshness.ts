import { join } from 'node:path';
import { ABOUT_FILE, aboutHash, loadCorpusAbout } from '../ingest/about.js';
import { DEFAULT_CHUNK_SETTINGS } from '../ingest/chunk.js';
import { loadCorpus } from '../ingest/load.js';
import { resolveProfile } from '../embedding/profiles.js';
import { IndexError } from '../core/errors.js';
import { readManifestFile } from './build-index.js';
import { buildPath, MANIFEST_FILE, readCurrent } from '../store/layout.js';
import { checkManifestSeal, digestFile, recordedDigest } from '../store/checksums.js';
import { parseManifest, PIPELINE_VERSION, type Manifest } from '../store/manifest.js';
import { createPgPool, describeDatabase, explainPgError, SCHEMA } from '../store/postgres/connect.js';
import { INDEX_FILE } from '../store/vectra-file.js';

/** Whether the live index matches the corpus and the model, or why it does not. */
export type Freshness = { current: true } | { current: false; reason: string };

/**
 * Tells, without loading any model, whether `buildIndex` would produce the same index as the
 * live one: same articles with the same file hashes, same model, pipeline and chunking.
 * Lets `npm start` skip a rebuild when nothing changed (articles or the corpus description).
 */
export async function checkIndexFreshness(options: { indexDir: string; corpusDir: string; model: string }): Promise<Freshness> {
  const { indexDir, corpusDir } = options;
  const build = await readCurrent(indexDir).catch((cause: unknown) => {
    // ENOTDIR, EACCES…: nothing a rebuild could fix, and not worth a stack trace.
    throw new IndexError(`cannot read INDEX_DIR=${indexDir} (${(cause as NodeJS.ErrnoException).code ?? String(cause)}); it must be a folder this user can write, or not exist yet`, { cause });
  });
  if (!build) return { current: false, reason: `no index in ${indexDir}` };
  const path = join(buildPath({ indexDir, build }), MANIFEST_FILE);
  let manifest;
  try {
    const json = await readManifestFile(path);
    manifest = parseManifest({ json, path });
    // A damaged or edited index is rebuilt, not declared up to date.
    const integrity = checkManifestSeal({ json, path });
    const folder = buildPath({ indexDir, build });
    if ((await digestFile(join(folder, INDEX_FILE))) !== recordedDigest({ integrity, file: INDEX_FILE, folder })) {
      return { current: false, reason: `the live index ${join(folder, INDEX_FILE)} differs from its checksum (damaged or edited)` };
    }
  } catch (error) {
    return { current: false, reason: error instanceof IndexError ? error.message.replace(/; rebuild with npm run build-index$/, '') : `the live index manifest ${path} is missing or damaged` };
  }
  return compareWithCorpus({ manifest, corpusDir, model: options.model });
}

/**
 * Whether a build with this manifest is what `buildIndex` would make of the corpus now:
 * same articles with the same file hashes, same model, pipeline, chunking and description.
 */
export async function compareWithCorpus(options: {
  manifest: Pick<Manifest, 'modelId' | 'pipelineVersion' | 'chunking' | 'articles' | 'about'>;
  corpusDir: string;
  model: string;
}): Promise<Freshness> {
  const { manifest, corpusDir } = options;
  const modelId = resolveProfile(options.model).modelId;
  if (manifest.modelId !== modelId) return { current: false, reason: `the index was built with ${manifest.modelId}, not ${modelId}` };
  if (manifest.pipelineVersion !== PIPELINE_VERSION) return { current: false, reason: 'the text pipeline changed since the index was built' };
  if (manifest.chunking.maxChars !== DEFAULT_CHUNK_SETTINGS.maxChars || manifest.chunking.overlapSentences !== DEFAULT_CHUNK_SETTINGS.overlapSentences) {
    return { current: false, reason: 'the chunk settings changed since the index was built' };
  }
  const indexed = new Map(manifest.articles.map((a) => [a.id, a.hash]));
  const corpus = await loadCorpus({ dir: corpusDir });
  const changed = corpus.filter((a) => indexed.get(a.id) !== a.hash).map((a) => a.id);
  const ids = new Set(corpus.map((a) => a.id));
  const removed = [...indexed.keys()].filter((id) => !ids.has(id));
  if (changed.length > 0 || removed.length > 0) {
    const parts = [changed.length ? `new or changed: ${changed.join(', ')}` : '', removed.length ? `removed: ${removed.join(', ')}` : ''].filter(Boolean);
    return { current: false, reason: `the corpus changed (${parts.join('; ')})` };
  }
  const about = await loadCorpusAbout(corpusDir);
  if (!manifest.about || aboutHash(manifest.about) !== aboutHash(about)) return { current: false, reason: `the corpus description (${ABOUT_FILE}) changed` };
  return { current: true };
}

/**
 * Whether the live generation of a PostgreSQL index matches the corpus and the model (see
 * checkIndexFreshness), reading only its manifest.
 */
export async function checkPgFreshness(options: { url: string; corpusDir: string; model: string }): Promise<Freshness> {
  const { url, corpusDir, model } = options;
  const pool = createPgPool({ url, role: 'check', max: 1 });
  try {
    const found = await pool
      .query<{ manifest: Manifest }>(`SELECT g.manifest FROM ${SCHEMA}.live l JOIN ${SCHEMA}.generations g ON g.id = l.generation`)
      .catch((error: unknown) => {
        // No tables yet: nothing was built into this database.
        if ((error as { code?: string }).code === '42P01') return { rows: [] as Array<{ manifest: Manifest }> };
        throw explainPgError({ error, url, doing: 'check the index' });
      });
    const manifest = found.rows[0]?.manifest;
    if (!manifest) return { current: false, reason: `no index in ${describeDatabase(url)}` };
    return await compareWithCorpus({ manifest, corpusDir, model });
  } finally {
    await pool.end().catch(() => undefined);
  }
}
