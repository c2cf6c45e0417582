import { watch as watchDirectory, type FSWatcher } from 'node:fs';
import { CURRENT_FILE, readCurrent } from '../store/layout.js';

/**
 * Where the name of the live build is kept, and how a bot hears that it changed: INDEX_DIR's
 * CURRENT file (watched), or the database's live generation (LISTEN/NOTIFY, see
 * pg-live-index.ts).
 */
export interface LiveIndex {
  /** The live build's name; undefined when there is none or it cannot be read. */
  current(): Promise<string | undefined>;
  /**
   * Calls `onChange` whenever the live build may have changed (several times for one change
   * is fine: the holder compares names). Returns a function that stops watching.
   */
  watch(options: { onChange: () => void; onError: (error: unknown) => void }): () => void;
}

/** The live build of a folder index: CURRENT, replaced by rename when a build switches. */
export function fileLiveIndex(indexDir: string): LiveIndex {
  return {
    current: () => readCurrent(indexDir).catch(() => undefined),
    watch({ onChange, onError }) {
      // Watch the folder, not the file: renaming a new CURRENT into place replaces the inode.
      const watcher: FSWatcher = watchDirectory(indexDir, { persistent: false }, (_event, filename) => {
        if (filename === null || filename === CURRENT_FILE) onChange();
      });
      watcher.on('error', onError);
      return () => watcher.close();
    },
  };
}
