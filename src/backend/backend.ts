/**
 * The storage seam: everything that depends on where the index lives, implemented whole by
 * each backend (files.ts: vectra files in INDEX_DIR; postgres.ts: a PostgreSQL database).
 * Commands and the app receive a Backend from `chooseBackend`, the one place that looks at the
 * configuration to pick one; a third backend is one more folder and one more line there.
 */
import type { PassageStore } from '../answer/store.js';
import type { Embedder } from '../embedding/embedder.js';
import type { PreparedArticle } from '../ingest/prepare.js';
import type { BuildSummary } from '../indexer/build-index.js';
import type { Freshness } from '../indexer/freshness.js';
import type { Reachability } from '../store/postgres/reachability.js';
import type { LiveIndex } from './live-index.js';
import { filesBackend } from './files.js';
import { postgresBackend } from './postgres.js';

/** Where the index is: a folder of vectra files (the default), or a PostgreSQL database. */
export interface IndexLocation {
  indexDir: string;
  databaseUrl?: string | undefined;
}

/** A store on the live build, and how to let it go. */
export interface OpenedStore {
  store: PassageStore;
  /** The build (file folder or database generation) it serves. */
  build: string;
  /** Frees what the store holds (its database connections). */
  close(): Promise<void>;
}

/** What a build is given, whichever backend writes it. */
export interface BackendBuildOptions {
  corpusDir: string;
  embedder: Embedder;
  /** The corpus already loaded and checked, so its problems are reported before the model loads. */
  prepared?: PreparedArticle[];
  onProgress?: (progress: { embedded: number; total: number }) => void;
  /** Told as each long step after embedding starts. */
  onStep?: (step: string) => void;
  /** Wait for a build that holds the lock instead of refusing (replicas starting together). */
  waitForLock?: boolean;
  onWait?: (holder: string) => void;
  /** Asked once the lock is held: false means another build already did the work. */
  stillNeeded?: () => Promise<boolean>;
}

export interface Backend {
  readonly kind: 'files' | 'postgres';
  /** Where the index is, for logs and messages: never a password. */
  readonly describe: string;
  /** What the configuration holds that logs must never show (a database password). */
  readonly secrets: readonly string[];
  /** Opens the live build for an embedder; an index built with another model is refused first. */
  open(options: { embedder: Embedder; postingsPerTerm?: number }): Promise<OpenedStore>;
  /** Whether the live index matches the corpus and the model, without loading a model. */
  freshness(options: { corpusDir: string; model: string }): Promise<Freshness>;
  /** Builds beside the live index, under the backend's lock, and switches to it in one step; undefined when another build did the work. */
  build(options: BackendBuildOptions): Promise<BuildSummary | undefined>;
  /** Where the name of the live build is kept, and how a bot hears that it changed. */
  live(): LiveIndex & { close?: () => Promise<void> };
  /** Watches whether the backend can answer at all, for one that can be out of reach (a database). */
  watchReachability?(onChange: (reachable: boolean, error?: unknown) => void): Reachability;
}

/** Just where the index is, of a configuration that says more. */
export function indexLocation(config: IndexLocation): IndexLocation {
  return config.databaseUrl ? { indexDir: config.indexDir, databaseUrl: config.databaseUrl } : { indexDir: config.indexDir };
}

/** The backend the configuration names: PostgreSQL when DATABASE_URL is set, else INDEX_DIR's files. */
export function chooseBackend(location: IndexLocation): Backend {
  return location.databaseUrl ? postgresBackend(location.databaseUrl) : filesBackend(location.indexDir);
}
