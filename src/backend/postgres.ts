import { checkPgFreshness } from '../indexer/freshness.js';
import { buildPgIndex } from '../indexer/pg-build.js';
import { IndexError } from '../core/errors.js';
import { assertSameModel } from '../store/manifest.js';
import { createPgPool, describeDatabase, explainPgError, urlSecrets } from '../store/postgres/connect.js';
import { requireLiveGeneration } from '../store/postgres/generations.js';
import { openPgStore } from '../store/postgres/pg-store.js';
import { watchReachability } from '../store/postgres/reachability.js';
import type { Backend } from './backend.js';
import { pgLiveIndex } from './pg-live-index.js';

/**
 * The index in a PostgreSQL database with pgvector, shared by every replica: nothing of it is
 * loaded but the article list; a build writes a new generation and makes it live in one
 * transaction (under an advisory lock), and replicas hear of it by LISTEN/NOTIFY.
 */
export function postgresBackend(url: string): Backend {
  return {
    kind: 'postgres',
    describe: describeDatabase(url),
    secrets: urlSecrets(url),
    async open({ embedder, postingsPerTerm }) {
      const pool = createPgPool({ url, role: 'engine' });
      try {
        const generation = await requireLiveGeneration({ pool, url });
        assertSameModel({ manifest: generation, modelId: embedder.modelId, dimensions: embedder.dimensions });
        const store = await openPgStore({ pool, generation, ...(postingsPerTerm ? { postingsPerTerm } : {}) });
        return { store, build: generation.name, close: () => pool.end() };
      } catch (error) {
        await pool.end().catch(() => undefined);
        // A database without the bot's tables has no index yet.
        if ((error as { code?: string } | null)?.code === '42P01') {
          throw new IndexError(`no index in ${describeDatabase(url)} (DATABASE_URL); run npm run build-index first`, { cause: error });
        }
        throw explainPgError({ error, url, doing: 'open the index' });
      }
    },
    freshness: ({ corpusDir, model }) => checkPgFreshness({ url, corpusDir, model }),
    build: (options) => buildPgIndex({ url, ...options }),
    live: () => pgLiveIndex({ url }),
    watchReachability: (onChange) => watchReachability({ url, onChange }),
  };
}
