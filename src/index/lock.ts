import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { IndexError } from '../errors.js';

const LOCK_FILE = '.build.lock';

/**
 * Makes sure only one build writes to INDEX_DIR at a time. A lock left by a build that died
 * (its process is gone) is taken over.
 */
export async function acquireBuildLock(indexDir: string): Promise<{ release(): Promise<void> }> {
  const path = join(indexDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new IndexError(`cannot write to INDEX_DIR=${indexDir} (${code ?? String(error)})`, { cause: error });
      }
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new IndexError(`another build (pid ${pid}) is writing INDEX_DIR=${indexDir}; wait for it to finish`);
      }
      await rm(path, { force: true });
    }
  }
  throw new IndexError(`cannot lock INDEX_DIR=${indexDir} for building`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
