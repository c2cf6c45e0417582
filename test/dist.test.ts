/**
 * Production runs compiled JavaScript: `npm run build` must compile, and the compiled entry
 * points must run under plain node (ESM imports resolved, project root found from dist/).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestIndex, TEST_MODEL, TEST_MODELS_DIR, tempDir } from './support/engine.js';
import { startFakeBotApi } from './support/fake-bot-api.js';
import { ROBUST_BOT_INFO, SECRET_TOKEN } from './support/recording-bot.js';

const run = promisify(execFile);
// Inside dist/ (ignored by git) so that compiled files resolve node_modules as in production.
const outDir = join('dist', `.build-test-${process.pid}`);
let index: { indexDir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', outDir]).catch((error: { stdout?: string }) => {
    throw new Error(`npm run build fails:\n${error.stdout ?? String(error)}`);
  });
  index = await buildTestIndex();
}, 120_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
  await index?.cleanup();
});

const env = () => ({ PATH: process.env.PATH ?? '', MODELS_DIR: TEST_MODELS_DIR, EMBEDDING_MODEL: TEST_MODEL, INDEX_DIR: index.indexDir, NODE_ENV: 'production' });

describe('npm run build', () => {
  it('compiles the bot, the scripts the image runs, and nothing from tests or benchmarks', () => {
    for (const file of ['src/app/main.js', 'src/cli/main.js']) {
      expect(existsSync(join(outDir, file)), file).toBe(true);
    }
    for (const dev of ['test', 'bench', 'tools']) expect(existsSync(join(outDir, dev)), dev).toBe(false);
  });

  it('compiled ask answers with a quote and its source', async () => {
    const { stdout } = await run(process.execPath, [join(outDir, 'src/cli/main.js'), 'ask', "How much was Russia's trade with the five Central Asian states last year?"], { env: env() });
    expect(stdout).toMatch(/^1\. “.+”\n {3}— .+, /m);
  });

  it('compiled build-index builds an index', async () => {
    const target = await tempDir('build-test-index2-');
    try {
      const { stdout } = await run(process.execPath, [join(outDir, 'src/cli/main.js'), 'build-index', '--index', target.dir], { env: env() });
      expect(stdout).toContain('5 articles');
    } finally {
      await target.cleanup();
    }
  });

  it('compiled main starts and reports a configuration problem in one line', async () => {
    const result = await run(process.execPath, [join(outDir, 'src/app/main.js')], { env: { ...env(), BOT_TOKEN: '' } }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in result ? result.code : 0).toBe(1);
    expect(result.stderr.trim()).toMatch(/^error: invalid configuration: .*BOT_TOKEN is required/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('#13 npm start stopped by its pid with %s stops the bot too: exit 0, no orphan', async (signal) => {
    // `npm start` exactly as package.json declares it, run on the compiled output of this test.
    const pkg = await tempDir('npm-start-');
    const api = await startFakeBotApi({ botInfo: ROBUST_BOT_INFO });
    const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
    await writeFile(join(pkg.dir, 'package.json'), JSON.stringify({ name: 'npm-start-test', private: true, type: 'module', scripts: { start } }));
    await symlink(resolve(outDir), join(pkg.dir, 'dist'));
    const npm = spawn('npm', ['start'], {
      cwd: pkg.dir,
      env: { ...env(), HOME: process.env.HOME ?? '', MODELS_DIR: resolve(TEST_MODELS_DIR), INDEX_DIR: resolve(index.indexDir), BOT_TOKEN: SECRET_TOKEN, TELEGRAM_API_ROOT: api.apiRoot, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const npmExited = new Promise<number | null>((done) => npm.once('exit', (code) => done(code)));
    let output = '';
    let botPid: number | undefined;
    try {
      botPid = await new Promise<number>((found, fail) => {
        const timer = setTimeout(() => fail(new Error(`the bot did not start:\n${output}`)), 30_000);
        const onData = (d: Buffer) => {
          output += d.toString();
          const line = output.split('\n').find((l) => l.includes('"bot is polling for updates"'));
          if (!line) return;
          clearTimeout(timer);
          found((JSON.parse(line) as { pid: number }).pid);
        };
        npm.stdout.on('data', onData);
        npm.stderr.on('data', onData);
      });
      expect(botPid).not.toBe(npm.pid);
      npm.kill(signal);
      expect(await npmExited).toBe(0);
      expect(output).toMatch(/"msg":"stopped"/);
      expect(isRunning(botPid)).toBe(false);
    } finally {
      if (botPid !== undefined && isRunning(botPid)) process.kill(botPid, 'SIGKILL');
      if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
      await api.stop();
      await pkg.cleanup();
    }
  }, 60_000);
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
