import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IndexError } from '../core/errors.js';

/**
 * Every lock file starts with this name: `.build.lock` (written by older versions) and
 * `.build.lock.<token>` (one per build that wants the lock).
 */
export const LOCK_PREFIX = '.build.lock';

/** A held build lock. */
export interface BuildLock {
  /** True while this build's lock file is still in place (an operator may have removed it). */
  held(): Promise<boolean>;
  release(): Promise<void>;
}

/** Whether a process is running, as `process.kill(pid, 0)` tells it; a test passes its own. */
export type IsAlive = (pid: number) => boolean;

/**
 * Makes sure only one build writes to INDEX_DIR at a time, without trusting any check-then-act
 * step: each build announces itself with a lock file of its own (written whole, then renamed
 * into place, so nobody reads it half-written), then lists the lock files. If any other live
 * build has one, it withdraws its own and refuses. Of two builds that announce at the same
 * moment, at least one sees the other (the later announcement always sees the earlier one),
 * so two can never both go ahead; when both withdraw, each retries after a random pause.
 *
 * A lock file whose process is gone (a build killed with kill -9) is stale: it is ignored and
 * removed. No file is ever renamed over, or taken over, so there is no window in which a
 * stale lock and a fresh one can be confused. A pid this process holds is recognised by the
 * process start time written next to it, so a reused pid (common in containers) is not
 * mistaken for a live build.
 */
export async function acquireBuildLock(indexDir: string, options: { isAlive?: IsAlive } = {}): Promise<BuildLock> {
  const isAlive = options.isAlive ?? processIsAlive;
  const token = `${process.pid} ${performance.timeOrigin} ${randomBytes(6).toString('hex')}`;
  const name = `${LOCK_PREFIX}.${token.split(' ')[2]}`;
  const path = join(indexDir, name);
  const staging = join(indexDir, `${name}.tmp`);
  const fail = (cause: unknown): never => {
    throw new IndexError(`cannot write to INDEX_DIR=${indexDir} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, { cause });
  };
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      await writeFile(staging, `${token}\n`);
      await rename(staging, path);
    } catch (cause) {
      await rm(staging, { force: true }).catch(() => undefined);
      fail(cause);
    }
    const others = await liveOthers({ indexDir, own: name, isAlive }).catch(async (cause: unknown) => {
      await rm(path, { force: true });
      return fail(cause);
    });
    if (others.length === 0) {
      return {
        held: async () => (await readFile(path, 'utf8').catch(() => '')).trim() === token,
        release: () => rm(path, { force: true }),
      };
    }
    await rm(path, { force: true });
    // Give a build that is only announcing itself time to see us gone and go ahead.
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
    const still = await liveOthers({ indexDir, own: name, isAlive }).catch(() => others);
    const holder = still[0];
    if (holder) {
      throw new IndexError(`another build (pid ${holder.pid}) is writing INDEX_DIR=${indexDir}; wait for it to finish`);
    }
  }
  throw new IndexError(`cannot lock INDEX_DIR=${indexDir} for building: other builds keep starting at the same moment; try again`);
}

/** Other builds' lock files whose process is alive; stale ones are removed on the way. */
async function liveOthers(options: { indexDir: string; own: string; isAlive: IsAlive }): Promise<Array<{ pid: number }>> {
  const { indexDir, own, isAlive } = options;
  const live: Array<{ pid: number }> = [];
  for (const name of await readdir(indexDir)) {
    if (name === own || !isLockName(name)) continue;
    const path = join(indexDir, name);
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      // Released or removed while we looked: not a holder.
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) continue;
    const owner = parseOwner(text);
    if (name.endsWith('.tmp')) {
      // A staging file is not a lock; remove it only once its writer is known to be gone.
      if (owner && !ownerIsAlive(owner, isAlive)) await rm(path, { force: true });
      continue;
    }
    if (owner && ownerIsAlive(owner, isAlive)) {
      live.push({ pid: owner.pid });
    } else {
      // Nobody ever writes this name again, so removing it cannot remove a live lock.
      await rm(path, { force: true });
    }
  }
  return live;
}

/** Lock files, and the staging files a build writes them through (left behind by a kill -9). */
function isLockName(name: string): boolean {
  return name === LOCK_PREFIX || name.startsWith(`${LOCK_PREFIX}.`);
}

/** `<pid>` (older versions) or `<pid> <process start time> <random>`. */
function parseOwner(text: string): { pid: number; started?: number } | undefined {
  const [pid, started] = text.trim().split(/\s+/).map(Number);
  if (pid === undefined || !Number.isInteger(pid) || pid <= 0) return undefined;
  return started !== undefined && Number.isFinite(started) ? { pid, started } : { pid };
}

function ownerIsAlive(owner: { pid: number; started?: number }, isAlive: IsAlive): boolean {
  // This very process: alive only if the lock is from this run, not an earlier one that had our pid.
  if (owner.pid === process.pid) return owner.started === performance.timeOrigin;
  return isAlive(owner.pid);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
