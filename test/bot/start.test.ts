import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/indexer/build-index.js';
import { writeCurrent } from '../../src/store/layout.js';
import { loadTestEmbedder, tempDir, TEST_MODEL, TEST_MODELS_DIR } from '../support/engine.js';
import { EMULATOR_BOT, startEmulator, type Emulator } from '../../tools/telegram/emulator.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

const TOKEN = '123:abc';
const PRIVATE = { userId: 21, chatId: 21, type: 'private' as const };
const GROUP = { userId: 22, chatId: -100300, type: 'group' as const, chatTitle: 'Newsroom' };

/** The `npm start` entry as a separate process, talking to the emulator like to Telegram. */
describe('npm start entry (src/app/main.ts)', () => {
  let emulator: Emulator;
  let index: Awaited<ReturnType<typeof tempDir>>;
  let child: ChildProcess | undefined;
  let stderr = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    index = await tempDir('quotes-start-index-');
    const embedder = await loadTestEmbedder();
    try {
      await buildIndex({ corpusDir: SEED_CORPUS, indexDir: index.dir, embedder });
    } finally {
      await embedder.dispose();
    }
    emulator = await startEmulator();
    // The tsx binary that `npx tsx` resolves to, run directly: npx does not pass SIGTERM on to
    // its child, so a signal to npx would orphan the bot instead of stopping it.
    child = spawn(join('node_modules', '.bin', 'tsx'), ['src/app/main.ts'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        MODELS_DIR: TEST_MODELS_DIR,
        EMBEDDING_MODEL: TEST_MODEL,
        INDEX_DIR: index.dir,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group, so cleanup after a failure can end tsx and the bot together.
      detached: true,
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    exited = new Promise((resolve) => child?.once('exit', (code) => resolve(code)));
  });

  afterAll(async () => {
    // The bot stops before the emulator.
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, 'SIGKILL');
      await exited;
    }
    await emulator?.stop();
    await index?.cleanup();
  });

  /** Resolves once the bot's log contains `text`; bounded so a missing line fails the test. */
  const waitForLog = (text: string, timeoutMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!stderr.includes(text)) return;
        clearTimeout(timer);
        child?.stderr?.off('data', check);
        resolve();
      };
      const timer = setTimeout(() => {
        child?.stderr?.off('data', check);
        reject(new Error(`timed out waiting for log line ${text}`));
      }, timeoutMs);
      child?.stderr?.on('data', check);
      check();
    });
  const withLog = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      throw new Error(`${(error as Error).message}\nbot stderr:\n${stderr}`);
    }
  };

  it('answers privately with a blockquote and an outlet, ignores group chatter, answers /ask@bot, reloads the index, and exits 0 on SIGTERM', async () => {
    const privateClient = emulator.server.getClient(TOKEN, PRIVATE);
    await privateClient.sendMessage(privateClient.makeMessage('Who founded BTK Group?'));
    const questionId = emulator.lastUserMessageId(PRIVATE.chatId);
    // Generous bound: the process loads the model and the index first.
    const answer = await withLog(emulator.waitFor('the private answer', emulator.replyTo(PRIVATE.chatId, questionId), 90_000));
    expect(answer.message.text).toMatch(/^<blockquote>[^<]+<\/blockquote>\n— <b>[^<]+<\/b>, /);

    const groupClient = emulator.server.getClient(TOKEN, GROUP);
    await groupClient.sendMessage(groupClient.makeMessage('Who founded BTK Group, does anyone know?'));
    const chatterId = emulator.lastUserMessageId(GROUP.chatId);
    await groupClient.sendCommand(groupClient.makeCommand(`/ask@${EMULATOR_BOT.username} Who founded BTK Group?`));
    const askId = emulator.lastUserMessageId(GROUP.chatId);
    const groupAnswer = await withLog(emulator.waitFor('the /ask@bot answer', emulator.replyTo(GROUP.chatId, askId)));
    expect(groupAnswer.message.text).toContain('<blockquote>');
    expect(emulator.replyTo(GROUP.chatId, chatterId)()).toBeUndefined();
    expect(emulator.botMessages(GROUP.chatId)).toHaveLength(1);

    // Hot reload: a rebuilt index is picked up; a broken one is refused and the old one serves on.
    const embedder = await loadTestEmbedder();
    try {
      await buildIndex({ corpusDir: SEED_CORPUS, indexDir: index.dir, embedder });
    } finally {
      await embedder.dispose();
    }
    await withLog(waitForLog('"status":"reloaded"'));
    await writeCurrent({ indexDir: index.dir, build: 'no-such-build' });
    await withLog(waitForLog('new index rejected'));
    await privateClient.sendMessage(privateClient.makeMessage('Who founded BTK Group?'));
    const again = emulator.lastUserMessageId(PRIVATE.chatId);
    expect((await withLog(emulator.waitFor('the answer after a refused reload', emulator.replyTo(PRIVATE.chatId, again)))).message.text).toContain('<blockquote>');

    child?.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).not.toContain(TOKEN);
  });

  it('stops at start-up with one line naming each bad variable and exit code 1', async () => {
    const bad = spawn(join('node_modules', '.bin', 'tsx'), ['src/app/main.ts'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, BOT_TOKEN: 'not-a-token', RATE_LIMIT: 'fast', LOG_LEVEL: 'loud' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    bad.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => bad.once('exit', resolve));
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    for (const name of ['BOT_TOKEN', 'RATE_LIMIT', 'LOG_LEVEL']) expect(lines[0]).toContain(name);
    expect(lines[0]).not.toContain('not-a-token');
  });
});
