import { buildIndex } from '../indexer/build-index.js';
import { checkIndexFreshness } from '../indexer/freshness.js';
import { assertSameModel } from '../store/manifest.js';
import { createMemoryStore } from '../store/memory-store.js';
import { readLiveSnapshot } from '../store/read.js';
import type { Backend } from './backend.js';
import { fileLiveIndex } from './live-index.js';

/**
 * The index as vectra files in a folder (INDEX_DIR), loaded into memory to answer; builds are
 * written beside the live one and switched to by renaming its CURRENT file, under a lock file.
 */
export function filesBackend(indexDir: string): Backend {
  return {
    kind: 'files',
    describe: `INDEX_DIR=${indexDir}`,
    secrets: [],
    async open({ embedder, postingsPerTerm }) {
      const contents = await readLiveSnapshot(indexDir);
      assertSameModel({ manifest: contents.manifest, modelId: embedder.modelId, dimensions: embedder.dimensions });
      return { store: createMemoryStore({ ...contents, ...(postingsPerTerm ? { postingsPerTerm } : {}) }), build: contents.build, close: async () => {} };
    },
    freshness: ({ corpusDir, model }) => checkIndexFreshness({ indexDir, corpusDir, model }),
    build: ({ corpusDir, embedder, prepared, onProgress }) =>
      buildIndex({ corpusDir, indexDir, embedder, ...(prepared ? { prepared } : {}), ...(onProgress ? { onProgress } : {}) }),
    live: () => fileLiveIndex(indexDir),
  };
}
