import type { PassageStore } from '../../answer/store.js';
import { IndexError } from '../../core/errors.js';
import type { Embedder } from '../../embedding/embedder.js';
import { assertSameModel } from '../../store/manifest.js';
import { createMemoryStore } from '../../store/memory-store.js';
import { readLiveSnapshot } from '../../store/read.js';
import { createPgPool, describeDatabase, explainPgError } from '../../store/postgres/connect.js';
import { requireLiveGeneration } from '../../store/postgres/generations.js';
import { openPgStore } from '../../store/postgres/pg-store.js';

/** Where the index is: a folder of vectra files (the default), or a PostgreSQL database. */
export type IndexLocation = {
  indexDir: string;
  databaseUrl?: string | undefined;
  /** How many postings of each term the passage ranking reads (see POSTINGS_PER_TERM); for tests. */
  postingsPerTerm?: number;
};

/** A store on the live build, and how to let it go. */
export interface OpenedStore {
  store: PassageStore;
  /** The build (file folder or database generation) it serves. */
  build: string;
  /** Frees what the store holds (its database connections). */
  close(): Promise<void>;
}

/** Where the index is, for logs and messages: never the database password. */
export function describeIndexLocation(location: IndexLocation): string {
  return location.databaseUrl ? describeDatabase(location.databaseUrl) : `INDEX_DIR=${location.indexDir}`;
}

/**
 * Opens the live build for an embedder: from PostgreSQL when DATABASE_URL is set (nothing of
 * the index is loaded but the article list), else from INDEX_DIR's files into memory. Either
 * way an index built with another model is refused before anything is queried.
 */
export async function openStore(options: IndexLocation & { embedder: Embedder }): Promise<OpenedStore> {
  const { indexDir, databaseUrl, embedder, postingsPerTerm } = options;
  if (!databaseUrl) {
    const contents = await readLiveSnapshot(indexDir);
    assertSameModel({ manifest: contents.manifest, modelId: embedder.modelId, dimensions: embedder.dimensions });
    return { store: createMemoryStore({ ...contents, ...(postingsPerTerm ? { postingsPerTerm } : {}) }), build: contents.build, close: async () => {} };
  }
  const pool = createPgPool({ url: databaseUrl, role: 'engine' });
  try {
    const generation = await requireLiveGeneration({ pool, url: databaseUrl });
    assertSameModel({ manifest: generation, modelId: embedder.modelId, dimensions: embedder.dimensions });
    const store = await openPgStore({ pool, generation, ...(postingsPerTerm ? { postingsPerTerm } : {}) });
    return { store, build: generation.name, close: () => pool.end() };
  } catch (error) {
    await pool.end().catch(() => undefined);
    // A database without the bot's tables has no index yet.
    if ((error as { code?: string } | null)?.code === '42P01') {
      throw new IndexError(`no index in ${describeDatabase(databaseUrl)} (DATABASE_URL); run npm run build-index first`, { cause: error });
    }
    throw explainPgError({ error, url: databaseUrl, doing: 'open the index' });
  }
}
