/**
 * Production runs compiled JavaScript: `npm run build` must compile, and the compiled entry
 * points must run under plain node (ESM imports resolved, project root found from dist/).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestIndex, TEST_MODEL, TEST_MODELS_DIR, tempDir } from './helpers/engine.js';

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
    for (const file of ['src/main.js', 'scripts/build-index.js', 'scripts/fetch-model.js', 'scripts/ask.js', 'scripts/chat.js', 'scripts/make-test-model.js']) {
      expect(existsSync(join(outDir, file)), file).toBe(true);
    }
    expect(existsSync(join(outDir, 'test'))).toBe(false);
    expect(existsSync(join(outDir, 'src', 'bench'))).toBe(false);
  });

  it('compiled ask answers with a quote and its source', async () => {
    const { stdout } = await run(process.execPath, [join(outDir, 'scripts/ask.js'), "How much was Russia's trade with the five Central Asian states last year?"], { env: env() });
    expect(stdout).toMatch(/^1\. “.+”\n {3}— .+, /m);
  });

  it('compiled build-index builds an index', async () => {
    const target = await tempDir('build-test-index2-');
    try {
      const { stdout } = await run(process.execPath, [join(outDir, 'scripts/build-index.js'), '--index', target.dir], { env: env() });
      expect(stdout).toContain('5 articles');
    } finally {
      await target.cleanup();
    }
  });

  it('compiled make-test-model finds the corpus from dist/', async () => {
    const target = await tempDir('build-test-model-');
    try {
      const { stdout } = await run(process.execPath, [join(outDir, 'scripts/make-test-model.js'), '--out', target.dir], { env: env() });
      expect(stdout).toContain('test model written');
      expect(existsSync(join(target.dir, 'onnx', 'model.onnx'))).toBe(true);
    } finally {
      await target.cleanup();
    }
  });

  it('compiled main starts and reports a configuration problem in one line', async () => {
    const result = await run(process.execPath, [join(outDir, 'src/main.js')], { env: { ...env(), BOT_TOKEN: '' } }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in result ? result.code : 0).toBe(1);
    expect(result.stderr.trim()).toMatch(/^error: invalid configuration: .*BOT_TOKEN is required/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
