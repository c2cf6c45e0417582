import { spawn } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEngineConfig } from '../../../src/app/config.js';
import type { Embedder } from '../../../src/embedding/embedder.js';
import { loadEngineInWorker } from '../../../src/app/serving/worker-engine.js';
import { IndexError } from '../../../src/core/errors.js';
import { buildIndex } from '../../../src/indexer/build-index.js';
import { freePort } from '../../../tools/telegram/emulator.js';
import { createRng } from '../../../tools/fuzz.js';
import { loadTestEmbedder, tempDir, TEST_MODEL, TEST_MODELS_DIR } from '../../support/engine.js';
import { startFakeBotApi } from '../../support/fake-bot-api.js';
import { ROBUST_BOT_INFO, SECRET_TOKEN } from '../../support/recording-bot.js';
import { SEED_CORPUS } from '../../support/seed-corpus.js';

const QUESTION = 'Who founded BTK Group?';
let embedder: Embedder;
let root: Awaited<ReturnType<typeof tempDir>>;
let indexDir: string;

beforeAll(async () => {
  embedder = await loadTestEmbedder();
  root = await tempDir('worker-engine-');
  indexDir = join(root.dir, 'index');
  await buildIndex({ corpusDir: SEED_CORPUS, indexDir, embedder });
});
afterAll(async () => {
  await embedder?.dispose();
  await root?.cleanup();
});

const config = (dir: string) => parseEngineConfig({ MODELS_DIR: TEST_MODELS_DIR, EMBEDDING_MODEL: TEST_MODEL, INDEX_DIR: dir });

describe('an engine in a worker thread', () => {
  it('answers as the engine does, and finishes the answers it was asked for before it is disposed', async () => {
    const worker = await loadEngineInWorker({ config: config(indexDir) });
    try {
      expect(worker.engine.info).toMatchObject({ modelId: TEST_MODEL, articles: 5 });
      const answers = Promise.all([worker.engine.answer(QUESTION), worker.engine.answer(QUESTION, { limit: 1 })]);
      await worker.dispose();
      const [full, one] = await answers;
      expect(full.answered).toBe(true);
      expect(full.snippets[0]?.quote).toContain('Bolloev');
      expect(one.snippets).toHaveLength(1);
      await expect(worker.engine.answer(QUESTION)).rejects.toThrow(/the answer engine stopped/);
    } finally {
      await worker.dispose();
    }
  });

  it('refuses a missing index with the same expected error, in one line', async () => {
    const error = await loadEngineInWorker({ config: config(join(root.dir, 'no-index')) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toMatch(/^no index in INDEX_DIR=.*; run npm run build-index first$/);
  });
});

/** GET /healthz on a new connection; resolves with how long it took. */
function healthMs(port: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(performance.now() - started));
    });
    req.once('error', reject);
  });
}

describe('#7 big input: a hot reload never blocks answering', () => {
  it('the bot answers /healthz within moments while it loads an index of two 600 KB articles', async () => {
    // The big build: the real corpus and two long articles, with vectors made up at once (same
    // model id and size as the test model, so the bot accepts it) to keep the build quick.
    const corpusDir = join(root.dir, 'big-corpus');
    await cp(SEED_CORPUS, corpusDir, { recursive: true });
    const rng = createRng(7);
    const words = (await readFile(join(SEED_CORPUS, 'bne-2025-putin-calls-for-central-asia-trade.md'), 'utf8')).match(/[a-z]{4,}/g) ?? [];
    const sentence = () => `${Array.from({ length: 14 }, () => rng.pick(words)).join(' ').replace(/^./, (c) => c.toUpperCase())}.`;
    for (const name of ['long-a', 'long-b']) {
      let text = '';
      while (text.length < 600_000) text += `${Array.from({ length: 5 }, sentence).join(' ')}\n\n`;
      await writeFile(join(corpusDir, `${name}.md`), `---\ntitle: "${name}"\noutlet: "Outlet ${name}"\ndate: null\nevent: "October 2025 visit"\n---\n${text}`);
    }
    const instant: Embedder = {
      modelId: embedder.modelId,
      dimensions: embedder.dimensions,
      embed: async (texts) => texts.map((_, i) => Float32Array.from({ length: embedder.dimensions }, (_v, d) => (d === i % 7 ? 1 : 0))),
      dispose: async () => undefined,
    };
    const api = await startFakeBotApi({ botInfo: ROBUST_BOT_INFO });
    const port = await freePort();
    const bot = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'info', BOT_TOKEN: SECRET_TOKEN, TELEGRAM_API_ROOT: api.apiRoot,
        MODELS_DIR: TEST_MODELS_DIR, EMBEDDING_MODEL: TEST_MODEL, INDEX_DIR: indexDir, CORPUS_DIR: SEED_CORPUS, HEALTH_PORT: String(port), HTTP_HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => bot.once('exit', (code) => resolve(code)));
    let output = '';
    const logged = (msg: string, extra = '') => output.split('\n').some((l) => l.includes(`"msg":"${msg}"`) && l.includes(extra));
    bot.stdout.on('data', (d: Buffer) => (output += d.toString()));
    bot.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      while (!logged('bot is polling for updates')) {
        if (bot.exitCode !== null) throw new Error(`the bot stopped:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const built = await buildIndex({ corpusDir, indexDir, embedder: instant });
      // The bot sees CURRENT change and reloads; /healthz is asked all along, one request at a time.
      const latencies: number[] = [];
      const deadline = Date.now() + 60_000;
      while (!logged('index reload', `"build":"${built.build}"`) && Date.now() < deadline) {
        latencies.push(await healthMs(port));
        // As a health check or a user would, not as fast as possible: that would be a load test.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(logged('index reload', '"status":"reloaded"'), output).toBe(true);
      expect(latencies.length).toBeGreaterThan(3);
      // In the bot's own thread the same load held /healthz for 1.8 s; in a worker, about 10 ms.
      expect(Math.max(...latencies)).toBeLessThan(300);
      bot.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (bot.exitCode === null && bot.signalCode === null) bot.kill('SIGKILL');
      await api.stop();
    }
  }, 120_000);
});
