import type { AnswerEngine } from '../../core/types.js';
import type { Embedder } from '../../embedding/embedder.js';
import type { ReloadResult } from '../../core/types.js';
import { fileLiveIndex, type LiveIndex } from '../../backend/live-index.js';
import { type EngineOptions, loadEngine } from './load-engine.js';

export type { ReloadResult } from '../../core/types.js';

/** A loaded engine and the index build it serves. */
export interface LoadedEngine {
  engine: AnswerEngine;
  build: string;
  /** Frees what the engine holds (a worker, a model) once its answers in progress are done. */
  dispose?: () => Promise<void>;
  /** False once the engine can no longer answer (its worker stopped): a reload then loads anew. */
  usable?: () => boolean;
}

/** The engine the bot serves right now, replaceable while the bot runs. */
export interface EngineHolder {
  readonly current: AnswerEngine;
  readonly build: string;
  /** Reads the live build again; swaps only when it loads, and reports what happened. */
  reload(): Promise<ReloadResult>;
  /**
   * Reloads whenever the live build changes: INDEX_DIR's CURRENT file is replaced (the build
   * renames a new one into place), or the database announces a new generation. Returns a
   * disposer that stops watching. `onWatchError` hears that watching itself failed (the
   * folder watch broke, the database connection that hears of new builds dropped): no index
   * was rejected, and the engine serving now keeps serving.
   * @default debounceMs 300
   */
  watch(options?: { debounceMs?: number; onReload?: (result: ReloadResult) => void; onWatchError?: (error: unknown) => void }): () => void;
  /** Frees the engine served now (at shutdown). */
  dispose(): Promise<void>;
}

/**
 * Holds the current engine. With `indexDir` and an embedder it reads the live build of that
 * folder (and checks its model), watching its CURRENT file; otherwise `load` loads the engine
 * and `live` (the backend's, see backend/) says where new builds are announced: the bot loads
 * in a worker thread (`loadEngineInWorker`), so that a reload never blocks answering. The
 * engine being replaced answers until the new one is ready, and is disposed once its answers
 * in progress are done.
 */
export function createEngineHolder(
  options: { initial: LoadedEngine } & (
    | { indexDir: string; embedder: Embedder; engineOptions?: EngineOptions; live?: LiveIndex }
    | { load: () => Promise<LoadedEngine>; live: LiveIndex }
  ),
): EngineHolder {
  const live = 'load' in options ? options.live : (options.live ?? fileLiveIndex(options.indexDir));
  const load = 'load' in options ? options.load : () => loadEngine({ indexDir: options.indexDir, embedder: options.embedder, ...options.engineOptions });
  let active = options.initial;
  // One reload at a time: a burst of file events or a signal during a reload waits its turn.
  let queue: Promise<unknown> = Promise.resolve();

  const reloadNow = async (): Promise<ReloadResult> => {
    // Nothing to load when the live build is still the one being served, and it still serves.
    const usable = active.usable?.() ?? true;
    if (usable && (await live.current()) === active.build) return { status: 'unchanged', build: active.build };
    let next: LoadedEngine;
    try {
      next = await load();
    } catch (error) {
      return { status: 'failed', build: active.build, error };
    }
    if (next.build === active.build && usable) {
      await next.dispose?.();
      return { status: 'unchanged', build: active.build };
    }
    const previous = active;
    active = next;
    // In the background: the old engine finishes the answers it was asked for, then goes.
    void previous.dispose?.().catch(() => undefined);
    return { status: 'reloaded', build: next.build, previousBuild: previous.build };
  };

  const reload = (): Promise<ReloadResult> => {
    const result = queue.then(reloadNow, reloadNow);
    queue = result;
    return result;
  };

  return {
    get current() {
      return active.engine;
    },
    get build() {
      return active.build;
    },
    reload,
    async dispose() {
      await queue.catch(() => undefined);
      await active.dispose?.();
    },
    watch(watchOptions = {}) {
      const { debounceMs = 300, onReload, onWatchError } = watchOptions;
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      const stopWatching = live.watch({
        onChange: () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            void reload().then((result) => {
              if (!stopped) onReload?.(result);
            });
          }, debounceMs);
        },
        onError: (error) => {
          if (!stopped) onWatchError?.(error);
        },
      });
      return () => {
        stopped = true;
        clearTimeout(timer);
        stopWatching();
      };
    },
  };
}
