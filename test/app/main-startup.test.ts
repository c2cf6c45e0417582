/**
 * The entry point's start-up path in a child process, against Bot API servers that refuse or
 * cannot be reached: what an operator sees, and that the token is never part of it.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestIndex, tempDir, TEST_MODEL, TEST_MODELS_DIR } from '../support/engine.js';
import { ROBUST_BOT_INFO, SECRET_TOKEN } from '../support/recording-bot.js';
import { runCli } from '../support/cli.js';
import { runScript } from '../support/spawn.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

const SECRET_PART = SECRET_TOKEN.split(':')[1] ?? '';

let index: { indexDir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  index = await buildTestIndex();
});
afterAll(async () => {
  await index?.cleanup();
});

/** A Bot API server that answers every call (but getMe, when `getMeOk`) with one refusal. */
async function refusingServer(options: { status: number; description: string; getMeOk?: boolean }): Promise<{ apiRoot: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    const ok = options.getMeOk === true && /\/getMe$/.test(req.url ?? '');
    res.writeHead(ok ? 200 : options.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { ok: true, result: ROBUST_BOT_INFO } : { ok: false, error_code: options.status, description: options.description }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const mainEnv = (env: Record<string, string>) => ({
  BOT_TOKEN: SECRET_TOKEN,
  MODELS_DIR: TEST_MODELS_DIR,
  EMBEDDING_MODEL: TEST_MODEL,
  INDEX_DIR: index.indexDir,
  CORPUS_DIR: SEED_CORPUS,
  NODE_ENV: 'production',
  ...env,
});

describe('#11 token printed on the fatal start-up path', () => {
  it.each([
    { status: 400, description: `Bad Request: POST /bot${SECRET_TOKEN}/getMe failed`, getMeOk: false },
    { status: 401, description: `Unauthorized: /bot${SECRET_TOKEN}/getMe` },
    { status: 404, description: `Not Found: /bot${encodeURIComponent(SECRET_TOKEN)}/getMe` },
    { status: 409, description: `Conflict: terminated by other getUpdates request on /bot${SECRET_TOKEN}/getUpdates` },
    { status: 400, description: `Bad Request: /bot${SECRET_TOKEN}/deleteWebhook is not allowed`, getMeOk: true },
    { status: 404, description: `Not Found: ${SECRET_PART}`, getMeOk: true },
  ])('$status "$description": one line, exit 1, no token at any log level', async ({ status, description, getMeOk }) => {
    const api = await refusingServer({ status, description, getMeOk: getMeOk ?? false });
    try {
      const result = await runScript({ script: 'src/app/main.ts', env: mainEnv({ TELEGRAM_API_ROOT: api.apiRoot, LOG_LEVEL: 'trace' }), timeoutMs: 30_000 });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout + result.stderr).not.toContain(SECRET_PART);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^error: (the Bot API server re(jected BOT_TOKEN|fused \w+)|another process is already receiving updates for this bot) \(\d{3} /);
    } finally {
      await api.close();
    }
  }, 40_000);
});

describe('#12 start-up problems an operator must understand', () => {
  it('a wrong token in polling mode is the README’s one line, exit 1, not a stack', async () => {
    const api = await refusingServer({ status: 401, description: 'Unauthorized' });
    try {
      const result = await runScript({ script: 'src/app/main.ts', env: mainEnv({ TELEGRAM_API_ROOT: api.apiRoot, LOG_LEVEL: 'error' }), timeoutMs: 30_000 });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        'error: the Bot API server rejected BOT_TOKEN (401 Unauthorized); copy the token again from @BotFather, and check TELEGRAM_API_ROOT if you set it',
      ]);
    } finally {
      await api.close();
    }
  }, 40_000);

  it('an unreachable Telegram is logged as it is retried, and SIGTERM still stops the bot', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
      env: { PATH: process.env.PATH ?? '', ...mainEnv({ TELEGRAM_API_ROOT: 'http://127.0.0.1:9', LOG_LEVEL: 'info' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let output = '';
    try {
      const retry = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no retry line in 20 s:\n${output}`)), 20_000);
        const onData = (d: Buffer) => {
          output += d.toString();
          const line = output.split('\n').find((l) => l.includes('cannot reach the Bot API; retrying'));
          if (!line) return;
          clearTimeout(timer);
          resolve(JSON.parse(line) as Record<string, unknown>);
        };
        child.stderr.on('data', onData);
        child.stdout.on('data', onData);
        void exited.then(() => reject(new Error(`exited before retrying:\n${output}`)));
      });
      expect(retry).toMatchObject({ level: 40, method: 'getMe', reason: 'ECONNREFUSED', attempt: 1, retryInSeconds: 1 });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).not.toContain(SECRET_PART);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
  }, 40_000);

  it('npm start reports a missing BOT_TOKEN before compiling anything', async () => {
    const started = Date.now();
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn('npm', ['start'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', BOT_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.once('close', (code) => resolve({ code, output }));
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/^error: invalid configuration: BOT_TOKEN is required/m);
    expect(result.output).not.toMatch(/\btsc -[bp]\b/);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('INDEX_DIR pointing at a file is one line from the index check npm start runs, not a stack', async () => {
    const { dir, cleanup } = await tempDir('index-file-');
    try {
      const file = join(dir, 'index');
      await writeFile(file, 'not a folder');
      const result = await runCli({ args: ['build-index', '--if-stale'], env: { INDEX_DIR: file, MODELS_DIR: TEST_MODELS_DIR, EMBEDDING_MODEL: TEST_MODEL } });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn'))).toEqual([`error: cannot read INDEX_DIR=${file} (ENOTDIR); it must be a folder this user can write, or not exist yet`]);
    } finally {
      await cleanup();
    }
  }, 40_000);
});
