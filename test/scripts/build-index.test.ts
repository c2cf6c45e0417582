/**
 * The admin's rebuild script, run as `npm run build-index` runs it: it builds the index, a
 * second run over the same corpus reuses every article, and a wrong option is one line and
 * exit code 1, with the index left as it was.
 */
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_MODEL, TEST_MODELS_DIR, tempDir } from '../support/engine.js';
import { runScript } from '../support/spawn.js';

let target: Awaited<ReturnType<typeof tempDir>>;
const env = () => ({ MODELS_DIR: TEST_MODELS_DIR, EMBEDDING_MODEL: TEST_MODEL, INDEX_DIR: target.dir, DATABASE_URL: '' });

beforeAll(async () => {
  target = await tempDir('build-index-script-');
});
afterAll(async () => {
  await target?.cleanup();
});

it('builds the index; with nothing changed a second run leaves the live build as it is, and --force builds again reusing every article', async () => {
  const first = await runScript({ script: 'scripts/build-index.ts', env: env() });
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toMatch(/: 5 articles \(5 embedded, 0 unchanged/);
  const live = (await readdir(target.dir, { recursive: true })).sort();
  const second = await runScript({ script: 'scripts/build-index.ts', env: env() });
  expect(second.code, second.stderr).toBe(0);
  expect(second.stderr).toMatch(/is up to date: nothing changed/);
  expect(second.stdout).toBe('');
  expect((await readdir(target.dir, { recursive: true })).sort()).toEqual(live);
  const forced = await runScript({ script: 'scripts/build-index.ts', args: ['--force'], env: env() });
  expect(forced.code, forced.stderr).toBe(0);
  expect(forced.stdout).toMatch(/: 5 articles \(0 embedded, 5 unchanged/);
}, 120_000);

it('refuses an unknown option in one line, exit code 1, and leaves the index as it was', async () => {
  const before = (await readdir(target.dir)).sort();
  const run = await runScript({ script: 'scripts/build-index.ts', args: ['--corpuss', 'elsewhere'], env: env() });
  expect(run.code).toBe(1);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^error: .*--corpuss/);
  expect((await readdir(target.dir)).sort()).toEqual(before);
});
