import type { Embedder } from '../../embedding/embedder.js';
import { chooseBackend, type IndexLocation as Location, type OpenedStore } from '../../backend/backend.js';

export type { OpenedStore } from '../../backend/backend.js';

/** Where the index is (see chooseBackend), and for tests how many postings of each term the passage ranking reads. */
export type IndexLocation = Location & { postingsPerTerm?: number };

/** Where the index is, for logs and messages: never the database password. */
export function describeIndexLocation(location: IndexLocation): string {
  return chooseBackend(location).describe;
}

/**
 * Opens the live build for an embedder from the configured backend (see backend/): an index
 * built with another model is refused before anything is queried.
 */
export async function openStore(options: IndexLocation & { embedder: Embedder }): Promise<OpenedStore> {
  const { embedder, postingsPerTerm, ...location } = options;
  return chooseBackend(location).open({ embedder, ...(postingsPerTerm ? { postingsPerTerm } : {}) });
}
