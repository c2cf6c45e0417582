/**
 * One side of the cross-process lock race: takes the build lock `rounds` times as fast as it
 * can. Inside the lock it creates a marker file with O_EXCL: if that file already exists,
 * another process holds the lock at the same time, and the round is counted as a violation.
 * Every few rounds it "crashes" while holding the lock: its lock files are left behind naming a
 * dead pid, as a build killed with kill -9 leaves them, so the other process has to break a
 * stale lock. Prints one JSON line with its counts.
 */
import { open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireBuildLock } from '../../src/indexer/lock.js';

const [indexDir = '', roundsArg = '100', deadPid = '999999'] = process.argv.slice(2);
const rounds = Number(roundsArg);
const marker = join(indexDir, 'inside');
let held = 0;
let refused = 0;
let violations = 0;
for (let round = 0; round < rounds; round++) {
  let lock;
  try {
    lock = await acquireBuildLock(indexDir);
  } catch {
    refused++;
    continue;
  }
  held++;
  try {
    const handle = await open(marker, 'wx');
    await handle.close();
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
    await rm(marker, { force: true });
  } catch {
    violations++;
  }
  if (round % 3 === 0) {
    await crash();
  } else {
    await lock.release();
  }
}

/** Leaves this process's lock files behind as a dead process's, without releasing them. */
async function crash(): Promise<void> {
  for (const name of await readdir(indexDir)) {
    if (!name.startsWith('.build.lock')) continue;
    const path = join(indexDir, name);
    const text = await readFile(path, 'utf8').catch(() => '');
    if (text.trim().split(/\s+/)[0] === String(process.pid)) await writeFile(path, text.replace(String(process.pid), deadPid));
  }
}
process.stdout.write(`${JSON.stringify({ held, refused, violations })}\n`);
