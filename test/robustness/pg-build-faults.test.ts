/**
 * Faults during a PostgreSQL build: a real build process killed with kill -9 at random moments
 * (while loading, embedding, writing articles, writing the generation, switching), a model that
 * dies mid-build, two builds started at once. After each, the live generation answers, with
 * verbatim quotes, from a fresh connection; the next build clears what the dead one left,
 * reuses the articles it had finished, and leaves no stray generation or lock.
 */
import { spawn } from 'node:child_process';
import { appendFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadEngine } from '../../src/app/serving/load-engine.js';
import type { Embedder } from '../../src/embedding/embedder.js';
import { buildPgIndex } from '../../src/indexer/pg-build.js';
import { loadCorpus } from '../../src/ingest/load.js';
import { SCHEMA } from '../../src/store/postgres/connect.js';
import { createRng } from '../../tools/fuzz.js';
import { loadTestEmbedder, TEST_MODEL, TEST_MODELS_DIR } from '../support/engine.js';
import { createIndexFixture, failingEmbedder } from '../support/index-fixture.js';
import { describeWithDatabase, useTestDatabase } from '../support/pg.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

const QUESTION = 'How much trade did Russia do with Central Asia?';
/** Kill rounds: each at a random moment of a build (seeded, so a failure can be replayed). */
const ROUNDS = 12;

describeWithDatabase('PostgreSQL builds under faults', () => {
  const db = useTestDatabase();
  let embedder: Embedder;
  let fixture: Awaited<ReturnType<typeof createIndexFixture>>;
  let bodies: string[];
  /** Six renamed copies of every article, all changed: about 900 texts, some 15 batches. */
  let bigCorpus: string;

  beforeAll(async () => {
    embedder = await loadTestEmbedder();
    fixture = await createIndexFixture({ embedder });
    bigCorpus = await fixture.changedCorpus({ all: true, copies: 6 });
    bodies = (await loadCorpus({ dir: bigCorpus })).map((a) => a.body).concat((await loadCorpus({ dir: SEED_CORPUS })).map((a) => a.body));
    await buildPgIndex({ url: db.url, corpusDir: fixture.corpusDir, embedder });
  }, 120_000);
  afterAll(async () => {
    await embedder?.dispose();
    await fixture?.cleanup();
  });

  /** The live generation loads from a fresh connection and answers with verbatim quotes. */
  async function expectLiveAnswers(): Promise<string> {
    const loaded = await loadEngine({ indexDir: 'unused', databaseUrl: db.url, embedder });
    try {
      const answer = await loaded.engine.answer(QUESTION);
      expect(answer.answered).toBe(true);
      for (const s of answer.snippets) for (const part of s.quote.split(' … ')) expect(bodies.some((b) => b.includes(part)), part).toBe(true);
      return loaded.build;
    } finally {
      await loaded.close();
    }
  }

  async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  /** How many advisory locks (builds hold one) are granted in the test database. */
  async function locksHeld(): Promise<number | undefined> {
    const rows = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return rows[0]?.n;
  }

  /** The CLI build in one node process (no npm or tsx wrapper), so SIGKILL hits the builder. */
  function runBuild(options: { killAfter?: { line: RegExp; delayMs: number } } = {}): Promise<{ killed: boolean; code: number | null; stderr: string; stdout: string }> {
    // --force: an earlier moment's build may have finished and gone live with this very corpus.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'build-index', '--force'], {
      env: { ...process.env, MODELS_DIR: TEST_MODELS_DIR, EMBEDDING_MODEL: TEST_MODEL, CORPUS_DIR: bigCorpus, DATABASE_URL: db.url, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    let fired = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const kill = (delayMs: number): void => {
      if (fired) return;
      fired = true;
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    };
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (options.killAfter && options.killAfter.line.test(stderr)) kill(options.killAfter.delayMs);
    });
    if (options.killAfter?.line.source === '^') kill(options.killAfter.delayMs);
    return new Promise((resolve) =>
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ killed: signal === 'SIGKILL', code, stderr, stdout });
      }),
    );
  }

  it(`kill -9 at ${ROUNDS} random moments: the live generation always answers, and the next build finishes the work`, async () => {
    const rng = createRng(20251126);
    // Where a kill is aimed: a line the build prints, then a random pause (up to the build's length).
    const anchors = [/^/, /loading embedding model/, /embedding \d+\/\d+/, /\(100%\)/, /writing the generation/, /HNSW index/, /switching the live/, /removing old/];
    const outcomes: string[] = [];
    let live = await expectLiveAnswers();
    for (let round = 0; round < ROUNDS; round++) {
      const line = anchors[round % anchors.length] ?? /^/;
      const delayMs = rng.int(round < anchors.length ? 20 : 800);
      const run = await runBuild({ killAfter: { line, delayMs } });
      expect(run.stderr).not.toMatch(/another build|error:/);
      const now = await expectLiveAnswers();
      if (!run.killed) {
        expect(run.code, run.stderr).toBe(0);
        outcomes.push(`round ${round}: finished before the kill`);
      } else {
        const steps: Array<[RegExp, string]> = [
          [/removing old/, 'while removing old generations'],
          [/switching the live/, 'while switching'],
          [/HNSW index/, 'while updating the HNSW index'],
          [/writing the generation/, 'while writing the generation'],
          [/\(100%\)/, 'after embedding'],
          [/embedding \d+/, 'while embedding'],
        ];
        const phase = steps.find(([pattern]) => pattern.test(run.stderr))?.[1] ?? 'before embedding';
        outcomes.push(`round ${round}: killed ${phase} (${line.source} + ${delayMs} ms)${now !== live ? ', after the switch' : ''}`);
      }
      if (now !== live) {
        // The kill came after the switch: the new generation is whole and has the new text.
        const loaded = await loadEngine({ indexDir: 'unused', databaseUrl: db.url, embedder });
        const added = await loaded.engine.answer('railway freight tariffs');
        await loaded.close();
        expect(added.snippets.some((s) => s.quote.includes('railway freight tariffs'))).toBe(true);
        live = now;
      }
      // A killed build holds no lock: its connection, and with it the advisory lock, is gone
      // as soon as its server process notices, even in the middle of a long statement.
      await expect.poll(locksHeld, { timeout: 10_000, interval: 100 }).toBe(0);
    }
    console.info(outcomes.join('\n'));
    expect(outcomes.filter((o) => o.includes('killed while embedding')).length, outcomes.join('\n')).toBeGreaterThanOrEqual(1);

    const finished = await runBuild();
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout).toMatch(/^index built in database quotes_test_\w+ on .*: 35 articles \(\d+ embedded, \d+ unchanged/);
    // Articles finished by killed builds were reused rather than embedded again.
    const embedded = Number(/\((\d+) embedded/.exec(finished.stdout)?.[1]);
    expect(embedded).toBeLessThan(35);
    await expectLiveAnswers();
    const generations = await query<{ state: string }>(`SELECT state FROM ${SCHEMA}.generations`);
    expect(generations.length).toBeLessThanOrEqual(2);
    expect(generations.every((g) => g.state === 'ready')).toBe(true);
    const orphans = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${SCHEMA}.articles a WHERE NOT EXISTS (SELECT 1 FROM ${SCHEMA}.generation_articles ga WHERE ga.article = a.id)`,
    );
    expect(orphans[0]?.n).toBe(0);
  }, 900_000);

  it('a build killed in the middle of a long statement gives up its lock within seconds, not when the statement would end', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/pg-lock-holder-child.ts', db.url, '120'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const closed = new Promise((resolve) => child.on('close', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('running') && resolve());
        child.on('close', (code) => reject(new Error(`the lock holder exited (${code}) before its statement ran`)));
      });
      const sleeping = async (): Promise<number | undefined> =>
        (await query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'`))[0]?.n;
      await expect.poll(sleeping, { timeout: 10_000, interval: 50 }).toBe(1);
      await expect.poll(locksHeld, { timeout: 1_000, interval: 50 }).toBe(1);
      child.kill('SIGKILL');
      await closed;
      // The statement had two minutes to run; the lock must go long before that.
      await expect.poll(locksHeld, { timeout: 10_000, interval: 100 }).toBe(0);
      expect(await sleeping()).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('a model that dies mid-build leaves the live generation serving; the next build reuses what was written', async () => {
    const before = await expectLiveAnswers();
    // Every article new to the database (the rounds above stored the other variants).
    const corpus = await fixture.changedCorpus({ all: false, copies: 2 });
    for (const name of (await readdir(corpus)).filter((n) => n.endsWith('.md'))) {
      await appendFile(join(corpus, name), '\n\nThe fault test added this paragraph about grain exports by rail.\n');
    }
    const dying = failingEmbedder({ inner: embedder, failAfterCalls: 8 });
    const error = await buildPgIndex({ url: db.url, corpusDir: corpus, embedder: dying }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('simulated crash while embedding');
    expect(await expectLiveAnswers()).toBe(before);
    const summary = await buildPgIndex({ url: db.url, corpusDir: corpus, embedder });
    expect(summary?.reusedArticles).toBeGreaterThan(0);
    expect(await expectLiveAnswers()).toBe(summary?.build);
  }, 300_000);

  it('of two builds started at once, one writes and the other is refused with its pid', async () => {
    const corpus = await fixture.changedCorpus({ all: true, copies: 3 });
    const start = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'build-index'], {
          env: { ...process.env, MODELS_DIR: TEST_MODELS_DIR, EMBEDDING_MODEL: TEST_MODEL, CORPUS_DIR: corpus, DATABASE_URL: db.url, LOG_LEVEL: 'silent' },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const [a, b] = await Promise.all([start(), start()]);
    const refused = [a, b].filter((r) => r.code !== 0);
    // Both may succeed one after the other if the first finished before the second asked.
    for (const r of refused) expect(r.stderr).toMatch(/^error: another build \(pid \d+\) is writing the index in database quotes_test_/m);
    expect([a, b].some((r) => r.code === 0)).toBe(true);
    await expectLiveAnswers();
  }, 300_000);
});
