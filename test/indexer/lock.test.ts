import { spawn } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embedding/embedder.js';
import { loadEngine } from '../../src/app/serving/load-engine.js';
import { isExpectedError } from '../../src/core/errors.js';
import { buildIndex } from '../../src/indexer/build-index.js';
import { BUILDS_DIR, readCurrent } from '../../src/store/layout.js';
import { acquireBuildLock, LOCK_PREFIX } from '../../src/indexer/lock.js';
import { readLiveBuild } from '../../src/store/read.js';
import { loadTestEmbedder, tempDir } from '../support/engine.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function folder(): Promise<string> {
  const { dir, cleanup } = await tempDir('lock-');
  cleanups.push(cleanup);
  return dir;
}

/** The pid of a process that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid ?? 0;
  await new Promise((resolve) => child.on('close', resolve));
  return pid;
}

const lockFiles = async (dir: string) => (await readdir(dir)).filter((n) => n.startsWith(LOCK_PREFIX));

describe('#1 build lock race after a crash', () => {
  it('of 100 rounds of two simultaneous lock attempts over a stale lock, exactly one wins every round', async () => {
    const dir = await folder();
    const dead = await deadPid();
    let bothWon = 0;
    let noneWon = 0;
    for (let round = 0; round < 100; round++) {
      // What a kill -9'd build leaves: the old single lock file, or a per-build one, naming a dead pid
      // (half the rounds: this very pid from an earlier run, as a restarted container reuses pids).
      const stale = round % 2 === 0 ? `${dead}` : `${process.pid} 1 deadbeef`;
      await writeFile(join(dir, round % 4 < 2 ? LOCK_PREFIX : `${LOCK_PREFIX}.deadbeef${round}`), stale);
      const results = await Promise.allSettled([acquireBuildLock(dir), acquireBuildLock(dir)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      if (won.length === 2) bothWon++;
      if (won.length === 0) noneWon++;
      for (const r of results) {
        if (r.status === 'rejected') expect(String(r.reason)).toMatch(/another build \(pid \d+\) is writing INDEX_DIR=/);
      }
      for (const r of won) await r.value.release();
      expect(await lockFiles(dir)).toEqual([]);
    }
    expect({ bothWon, noneWon }).toEqual({ bothWon: 0, noneWon: 0 });
  });

  it('two processes taking the lock 150 times each, crashing every third time, are never inside it together', async () => {
    const dir = await folder();
    const dead = String(await deadPid());
    const run = () =>
      new Promise<{ held: number; refused: number; violations: number }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/lock-race-child.ts', dir, '150', dead], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as never) : reject(new Error(`child exited ${code}: ${err}`))));
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.violations + b.violations).toBe(0);
    // Both really competed: each held the lock, and stale locks never blocked anyone for good.
    expect(a.held).toBeGreaterThan(10);
    expect(b.held).toBeGreaterThan(10);
  }, 60_000);

  it('a live holder is never taken over, and its lock is its own until released', async () => {
    const dir = await folder();
    const first = await acquireBuildLock(dir);
    const error = await acquireBuildLock(dir).catch((e: unknown) => e);
    expect(isExpectedError(error)).toBe(true);
    expect((error as Error).message).toContain(`another build (pid ${process.pid})`);
    expect(await first.held()).toBe(true);
    await first.release();
    const second = await acquireBuildLock(dir);
    await second.release();
    expect(await lockFiles(dir)).toEqual([]);
  });
});

describe('#1 build lock race after a crash: CURRENT never names a deleted build', () => {
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await loadTestEmbedder();
  });
  afterAll(async () => {
    await embedder?.dispose();
  });

  it('a build whose lock was removed mid-way (another build got in) does not switch, and the live index loads', async () => {
    const indexDir = await folder();
    await buildIndex({ corpusDir: SEED_CORPUS, indexDir, embedder });
    let second: string | undefined;
    const error = await buildIndex({
      corpusDir: SEED_CORPUS,
      indexDir,
      embedder,
      // The operator clears "stuck" locks by hand and a second build runs to the end meanwhile.
      beforeSwitch: async () => {
        for (const name of await lockFiles(indexDir)) await rm(join(indexDir, name));
        second = (await buildIndex({ corpusDir: SEED_CORPUS, indexDir, embedder })).build;
      },
    }).catch((e: unknown) => e);
    expect(isExpectedError(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/build lock .* was removed while this build ran; the previous index is unchanged/);
    expect(await readCurrent(indexDir)).toBe(second);
    expect((await readdir(join(indexDir, BUILDS_DIR))).includes(second ?? '')).toBe(true);
    await expect(readLiveBuild(indexDir)).resolves.toMatchObject({ build: second });
    const { engine } = await loadEngine({ indexDir, embedder });
    expect((await engine.answer('Who founded BTK Group?')).answered).toBe(true);
    expect(await lockFiles(indexDir)).toEqual([]);
  });

  it('two simultaneous builds over a stale lock: one builds, the other is refused, and the live build loads', async () => {
    const indexDir = await folder();
    await writeFile(join(indexDir, LOCK_PREFIX), String(await deadPid()));
    // Whichever build gets in waits at its switch until the other has been refused (or got in too).
    const inside = [false, false];
    const settled: Array<Promise<unknown>> = [];
    const build = (me: 0 | 1) =>
      buildIndex({
        corpusDir: SEED_CORPUS,
        indexDir,
        embedder,
        beforeSwitch: async () => {
          inside[me] = true;
          if (!inside[1 - me]) await settled[1 - me]?.catch(() => undefined);
        },
      });
    settled[0] = build(0);
    settled[1] = build(1);
    const results = await Promise.allSettled(settled);
    expect(inside.filter(Boolean)).toHaveLength(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(String(refused?.status === 'rejected' ? refused.reason : '')).toMatch(/another build \(pid \d+\) is writing INDEX_DIR=/);
    await expect(readLiveBuild(indexDir)).resolves.toBeDefined();
    expect(await lockFiles(indexDir)).toEqual([]);
  });
});
