/**
 * The live `corpus/` is the admin's: adding an article to it must not break the tests. A copy of
 * the checkout gets a sixth article in `corpus/` (one of the team's practice articles, about
 * another summit), then the suites that used to read `corpus/` run there, as CI would run them.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/ingest/load.js';
import { tempDir } from '../support/engine.js';

const CHECKOUT = ['src', 'test', 'tools', 'bench', 'scripts', 'locales', 'corpus', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'vitest.config.ts'];
const SHARED = ['node_modules', 'models'];
const NEW_ARTICLE = 'tools/reader/data/articles/practice-a1-astana-water-summit.md';
/** Every quick test file that once read `corpus/` (the seed articles are a fixture now). */
const SUITES = [
  'test/ingest/clean.test.ts',
  'test/ingest/sentences-chunks.test.ts',
  'test/ingest/duplicates.test.ts',
  'test/ingest/about.test.ts',
  'test/cli/ask.test.ts',
  'test/cli/chat.test.ts',
  'test/eval/fit.test.ts',
  'test/indexer/build-index.test.ts',
  'test/indexer/freshness.test.ts',
  'test/store/checksums.test.ts',
  'test/bench/helpers.test.ts',
];

describe('a corpus the admin has grown', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let copy: string;
  beforeAll(async () => {
    temp = await tempDir('grown-corpus-');
    copy = join(temp.dir, 'checkout');
    await mkdir(copy);
    for (const entry of CHECKOUT) await cp(entry, join(copy, entry), { recursive: true });
    for (const entry of SHARED) await symlink(resolve(entry), join(copy, entry));
    await cp(NEW_ARTICLE, join(copy, 'corpus', 'meridian-2024-astana-water-council.md'));
  });

  it('has six articles, and the suites that read the seed articles still pass', async () => {
    expect((await loadCorpus({ dir: join(copy, 'corpus') })).length).toBe(6);
    expect((await readdir(join(copy, 'corpus'))).filter((n) => n.endsWith('.md'))).toHaveLength(6);
    const run = await new Promise<{ code: number | null; output: string }>((done) => {
      const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', 'unit', ...SUITES], {
        cwd: copy,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CI: '1', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.once('close', (code) => done({ code, output }));
    });
    expect(run.code, run.output.slice(-4000)).toBe(0);
    expect(run.output).toMatch(new RegExp(`Test Files\\s+\\S*${SUITES.length} passed`));
  }, 300_000);

  afterAll(async () => {
    await temp?.cleanup();
  });
});
