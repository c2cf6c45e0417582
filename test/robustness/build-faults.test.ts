import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embedding/embedder.js';
import { isExpectedError } from '../../src/core/errors.js';
import { loadEngine } from '../../src/app/serving/load-engine.js';
import { buildIndex } from '../../src/indexer/build-index.js';
import { BUILDS_DIR, CURRENT_FILE, readCurrent } from '../../src/store/layout.js';
import { readLiveBuild } from '../../src/store/read.js';
import { loadTestEmbedder, TEST_MODEL, TEST_MODELS_DIR } from '../support/engine.js';
import { createIndexFixture, failingEmbedder, snapshotDir } from '../support/index-fixture.js';
import { runScript } from '../support/spawn.js';

const QUESTION = 'How much trade did Russia do with Central Asia?';
const LOCK = '.build.lock';

let embedder: Embedder;
let fixture: Awaited<ReturnType<typeof createIndexFixture>>;
/** Corpus with one article changed (one batch to embed) and with all changed (several batches). */
let oneChanged: string;
let allChanged: string;

beforeAll(async () => {
  embedder = await loadTestEmbedder();
  fixture = await createIndexFixture({ embedder });
  oneChanged = await fixture.changedCorpus({ all: false });
  allChanged = await fixture.changedCorpus({ all: true });
});

afterAll(async () => {
  await embedder?.dispose();
  await fixture?.cleanup();
});

/** What a healthy INDEX_DIR looks like before a fault: its live build and every byte of it. */
async function liveState(indexDir: string) {
  const build = await readCurrent(indexDir);
  if (!build) throw new Error('no live build');
  return { build, files: await snapshotDir(join(indexDir, BUILDS_DIR, build)) };
}

/** The old build is still live, unchanged, loads, answers, and no half-written build is left. */
async function expectServing(indexDir: string, before: Awaited<ReturnType<typeof liveState>>): Promise<void> {
  expect(await readCurrent(indexDir)).toBe(before.build);
  expect(await snapshotDir(join(indexDir, BUILDS_DIR, before.build))).toEqual(before.files);
  const live = await readLiveBuild(indexDir);
  expect(live.build).toBe(before.build);
  const { engine } = await loadEngine({ indexDir, embedder });
  expect((await engine.answer(QUESTION)).answered).toBe(true);
}

/** The next normal build succeeds, goes live and indexes the changed corpus. */
async function expectNextBuildSucceeds(options: { indexDir: string; corpusDir: string; previous: string }): Promise<void> {
  const { indexDir, corpusDir, previous } = options;
  const summary = await buildIndex({ corpusDir, indexDir, embedder });
  expect(summary.build).not.toBe(previous);
  expect(await readCurrent(indexDir)).toBe(summary.build);
  const live = await readLiveBuild(indexDir);
  const added = live.items.some((i) => String(i.metadata.text ?? '').includes('railway freight tariffs'));
  expect(added).toBe(true);
  // Only the live and the previous build remain: partial folders of failed builds are gone.
  const builds = await readdir(join(indexDir, BUILDS_DIR));
  expect(builds.length).toBeLessThanOrEqual(2);
  expect(builds).toContain(summary.build);
  const { engine } = await loadEngine({ indexDir, embedder });
  expect((await engine.answer(QUESTION)).answered).toBe(true);
  expect(await lockOwners(indexDir)).toEqual([]);
}

describe('a build that fails part-way leaves the live index serving', () => {
  it('survives a crash between writing the new build and switching to it', async () => {
    const indexDir = await fixture.copyIndex();
    const before = await liveState(indexDir);
    const crash = new Error('simulated crash before switching CURRENT');
    await expect(
      buildIndex({
        corpusDir: oneChanged,
        indexDir,
        embedder,
        beforeSwitch: async () => {
          throw crash;
        },
      }),
    ).rejects.toBe(crash);
    await expectServing(indexDir, before);
    expect(await readdir(join(indexDir, BUILDS_DIR))).toEqual([before.build]);
    expect(await lockOwners(indexDir)).toEqual([]);
    await expectNextBuildSucceeds({ indexDir, corpusDir: oneChanged, previous: before.build });
  });

  it.each([0, 1, 2])('survives the embedding model failing after %i batches', async (batches) => {
    const indexDir = await fixture.copyIndex();
    const before = await liveState(indexDir);
    const broken = failingEmbedder({ inner: embedder, failAfterCalls: batches });
    await expect(buildIndex({ corpusDir: allChanged, indexDir, embedder: broken })).rejects.toThrow('simulated crash while embedding');
    // The fault really hit mid-embedding: the corpus needs more batches than were allowed.
    expect(broken.calls).toBe(batches + 1);
    await expectServing(indexDir, before);
    await expectNextBuildSucceeds({ indexDir, corpusDir: allChanged, previous: before.build });
  });

  it('refuses an embedder that returns too few or wrong-sized vectors instead of switching to a broken build', async () => {
    for (const damage of ['too-few', 'wrong-size'] as const) {
      const indexDir = await fixture.copyIndex();
      const before = await liveState(indexDir);
      const damaged: Embedder = {
        modelId: embedder.modelId,
        dimensions: embedder.dimensions,
        async embed(texts) {
          const vectors = await embedder.embed(texts);
          return damage === 'too-few' ? vectors.slice(1) : vectors.map((v) => v.slice(1));
        },
        dispose: async () => undefined,
      };
      const error = await buildIndex({ corpusDir: oneChanged, indexDir, embedder: damaged }).catch((e: unknown) => e);
      expect(isExpectedError(error), String(error)).toBe(true);
      await expectServing(indexDir, before);
      await expectNextBuildSucceeds({ indexDir, corpusDir: oneChanged, previous: before.build });
    }
  });

  it('survives a full disk while switching CURRENT (ENOSPC), with a clear error', async () => {
    const indexDir = await fixture.copyIndex();
    const before = await liveState(indexDir);
    // The build writes CURRENT.<pid>.tmp and renames it; pointing that name at /dev/full makes
    // the write fail with ENOSPC even for root.
    const tmp = join(indexDir, `${CURRENT_FILE}.${process.pid}.tmp`);
    await symlink('/dev/full', tmp);
    const error = await buildIndex({ corpusDir: oneChanged, indexDir, embedder }).catch((e: unknown) => e);
    expect(isExpectedError(error)).toBe(true);
    expect((error as Error).message).toMatch(/ENOSPC.*previous index is unchanged/);
    expect((error as Error).message).not.toContain('\n');
    await rm(tmp);
    await expectServing(indexDir, before);
    expect(await readdir(join(indexDir, BUILDS_DIR))).toEqual([before.build]);
    await expectNextBuildSucceeds({ indexDir, corpusDir: oneChanged, previous: before.build });
  });

  it('fails with one clear line when INDEX_DIR is a file or lies under a file', async () => {
    const file = join(fixture.root, 'not-a-folder');
    await writeFile(file, 'x');
    for (const indexDir of [file, join(file, 'index')]) {
      const error = await buildIndex({ corpusDir: oneChanged, indexDir, embedder }).catch((e: unknown) => e);
      expect(isExpectedError(error), String(error)).toBe(true);
      expect((error as Error).message).toContain(`INDEX_DIR=${indexDir}`);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('fails with one clear line when builds/ cannot be written, and keeps the old index', async (context) => {
    const indexDir = await fixture.copyIndex();
    const before = await liveState(indexDir);
    const builds = join(indexDir, BUILDS_DIR);
    const locked = await makeReadOnly(builds);
    if (!locked) {
      context.skip('this file system lets this user write to a read-only folder (root without chattr)');
      return;
    }
    try {
      const error = await buildIndex({ corpusDir: oneChanged, indexDir, embedder }).catch((e: unknown) => e);
      expect(isExpectedError(error), String(error)).toBe(true);
      expect((error as Error).message).toMatch(/INDEX_DIR=.*(EACCES|EPERM|EROFS).*previous index is unchanged/);
      expect((error as Error).message).not.toContain('\n');
    } finally {
      await locked.undo();
    }
    await expectServing(indexDir, before);
    await expectNextBuildSucceeds({ indexDir, corpusDir: oneChanged, previous: before.build });
  });

  it('recovers from a crashed build that left a half-written folder and its lock behind', async () => {
    const indexDir = await fixture.copyIndex();
    const before = await liveState(indexDir);
    const partial = join(indexDir, BUILDS_DIR, '20990101-000000-abcdef');
    await mkdir(partial);
    await writeFile(join(partial, 'index.json'), '{"version":1,"items":[{"id":"x","vec');
    await writeFile(join(indexDir, LOCK), String(await deadPid()));
    await expectServing(indexDir, before);
    await expectNextBuildSucceeds({ indexDir, corpusDir: oneChanged, previous: before.build });
  });

  it('refuses to build while another live build holds the lock', async () => {
    const indexDir = await fixture.copyIndex();
    const before = await liveState(indexDir);
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await writeFile(join(indexDir, LOCK), String(other.pid));
      const error = await buildIndex({ corpusDir: oneChanged, indexDir, embedder }).catch((e: unknown) => e);
      expect(isExpectedError(error)).toBe(true);
      expect((error as Error).message).toContain(`another build (pid ${other.pid})`);
    } finally {
      await killAndWait(other);
    }
    await expectServing(indexDir, before);
    await expectNextBuildSucceeds({ indexDir, corpusDir: oneChanged, previous: before.build });
  });
});

describe('kill -9 of a real build process', () => {
  /**
   * Moments to kill at: a line the build prints, then an extra delay. The early ones always
   * land mid-build; the late ones race the end of the build, which may finish first.
   */
  const MOMENTS: Array<{ name: string; after: RegExp | null; delayMs: number; mustLand: boolean }> = [
    { name: 'right after start', after: null, delayMs: 0, mustLand: true },
    { name: 'while loading the model', after: /loading embedding model/, delayMs: 0, mustLand: true },
    { name: 'after the first embedded batch', after: /embedding \d+\/\d+/, delayMs: 0, mustLand: true },
    { name: 'mid-embedding', after: /embedding \d+\/\d+/, delayMs: 300, mustLand: false },
    { name: 'at the end of embedding', after: /\(100%\)/, delayMs: 0, mustLand: false },
    { name: 'while writing the new build', after: /\(100%\)/, delayMs: 15, mustLand: false },
  ];

  it('keeps the previous index intact at every moment, and the next build succeeds despite the stale lock', async () => {
    // Six copies of the corpus: about 900 passages and sentences, some 15 batches to embed.
    const bigCorpus = await fixture.changedCorpus({ all: true, copies: 6 });
    const indexDir = await fixture.copyIndex();
    const before = await liveState(indexDir);
    const outcomes: string[] = [];
    let current = before;
    for (const moment of MOMENTS) {
      const { killed, code, stderr, pid } = await runBuildAndKill({ indexDir, corpusDir: bigCorpus, moment });
      expect(stderr).not.toMatch(/another build|error:/);
      if (moment.mustLand) expect(killed, `${moment.name}: the build must still be running when killed\n${stderr}`).toBe(true);
      if (!killed) {
        // The build won the race and finished: it must have succeeded.
        expect(code, stderr).toBe(0);
        outcomes.push(`${moment.name}: finished before the kill`);
      } else if (/embedding \d+\/\d+/.test(stderr) && !/\(100%\)/.test(stderr)) {
        outcomes.push(`${moment.name}: killed while embedding`);
        // The dead build left its lock behind: the next build has to take it over.
        expect(await lockOwners(indexDir)).toContain(String(pid));
      } else {
        outcomes.push(`${moment.name}: killed ${/\(100%\)/.test(stderr) ? 'after embedding' : 'before embedding'}`);
      }
      const live = await readCurrent(indexDir);
      if (live === current.build) {
        await expectServing(indexDir, current);
      } else {
        // The kill came after the atomic switch (or there was none): the new build is complete and serves.
        const contents = await readLiveBuild(indexDir);
        expect(contents.items.some((i) => String(i.metadata.text ?? '').includes('railway freight tariffs'))).toBe(true);
        current = await liveState(indexDir);
        outcomes.push(`${moment.name}: the new build had gone live`);
      }
    }
    expect(outcomes.filter((o) => o.includes('killed while embedding')).length, outcomes.join('\n')).toBeGreaterThanOrEqual(1);
    // A full CLI run afterwards succeeds: a stale lock of a killed pid does not block it.
    const finished = await runBuild({ indexDir, corpusDir: bigCorpus });
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout).toMatch(/^index built in /);
    const contents = await readLiveBuild(indexDir);
    expect(contents.manifest.articles.length).toBe(35);
    expect(contents.items.some((i) => String(i.metadata.text ?? '').includes('railway freight tariffs'))).toBe(true);
    expect((await readdir(join(indexDir, BUILDS_DIR))).length).toBeLessThanOrEqual(2);
    expect(await lockOwners(indexDir)).toEqual([]);
  }, 180_000);
});

function buildEnv(options: { indexDir: string; corpusDir: string }): Record<string, string> {
  return {
    MODELS_DIR: TEST_MODELS_DIR,
    EMBEDDING_MODEL: TEST_MODEL,
    INDEX_DIR: options.indexDir,
    CORPUS_DIR: options.corpusDir,
    LOG_LEVEL: 'silent',
  };
}

/** The build script in one node process (no npx or tsx wrapper), so SIGKILL hits the builder itself. */
function spawnBuild(options: { indexDir: string; corpusDir: string }): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'build-index'], {
    env: { ...process.env, ...buildEnv(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function runBuild(options: { indexDir: string; corpusDir: string }) {
  // --force: an earlier moment's build may have finished and gone live with this very corpus.
  return runScript({ script: 'src/cli/main.ts', args: ['build-index', '--force'], env: buildEnv(options), timeoutMs: 60_000 });
}

async function runBuildAndKill(options: {
  indexDir: string;
  corpusDir: string;
  moment: { after: RegExp | null; delayMs: number };
}): Promise<{ killed: boolean; code: number | null; stderr: string; pid: number | undefined }> {
  const { moment } = options;
  const child = spawnBuild(options);
  let stderr = '';
  let exited = false;
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  child.on('exit', () => (exited = true));
  const kill = async (): Promise<void> => {
    if (moment.delayMs > 0) await new Promise((r) => setTimeout(r, moment.delayMs));
    if (!exited) child.kill('SIGKILL');
  };
  let fired = false;
  const fire = (): void => {
    if (fired) return;
    fired = true;
    void kill();
  };
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (moment.after && moment.after.test(stderr)) fire();
  });
  child.stdout?.resume();
  if (!moment.after) fire();
  await closed;
  return { killed: child.signalCode === 'SIGKILL', code: child.exitCode, stderr, pid: child.pid };
}

/** The pid named by each build lock file in INDEX_DIR (each build has its own `.build.lock.<id>`). */
async function lockOwners(indexDir: string): Promise<string[]> {
  const names = (await readdir(indexDir)).filter((n) => n.startsWith(LOCK));
  return Promise.all(names.map(async (n) => (await readFile(join(indexDir, n), 'utf8')).trim().split(/\s+/)[0] ?? ''));
}

/** The pid of a process that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid ?? 0;
  await new Promise((resolve) => child.on('close', resolve));
  return pid;
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((resolve) => child.on('close', resolve));
  child.kill('SIGKILL');
  await closed;
}

/**
 * Makes a folder unwritable for this process: chmod for a normal user; for root (whom chmod
 * does not stop) the immutable attribute where the file system supports it. Returns undefined
 * when neither stops a write here.
 */
async function makeReadOnly(dir: string): Promise<{ undo: () => Promise<void> } | undefined> {
  const probe = async (): Promise<boolean> => {
    const path = join(dir, '.probe');
    try {
      await mkdir(path);
      await rm(path, { recursive: true });
      return false;
    } catch {
      return true;
    }
  };
  await chmod(dir, 0o555);
  if (await probe()) return { undo: () => chmod(dir, 0o755) };
  await chmod(dir, 0o755);
  const chattr = (flag: string) =>
    new Promise<boolean>((resolve) => {
      const child = spawn('chattr', [flag, dir], { stdio: 'ignore' });
      child.on('error', () => resolve(false));
      child.on('close', (code) => resolve(code === 0));
    });
  if ((await chattr('+i')) && (await probe())) return { undo: async () => void (await chattr('-i')) };
  await chattr('-i');
  return undefined;
}
