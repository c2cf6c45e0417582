import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/ingest/load.js';
import { isVerbatim } from '../../src/eval/metrics.js';
import { buildIndex } from '../../src/indexer/build-index.js';
import { loadTestEmbedder, tempDir, TEST_MODEL, TEST_MODELS_DIR } from '../support/engine.js';
import { runCli } from '../support/cli.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

let indexDir: string;
let workDir: string;
let env: Record<string, string>;
let bodies: string[];
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  const index = await tempDir('cli-index-');
  const work = await tempDir('cli-work-');
  cleanups.push(index.cleanup, work.cleanup);
  indexDir = index.dir;
  workDir = work.dir;
  const embedder = await loadTestEmbedder();
  await buildIndex({ corpusDir: SEED_CORPUS, indexDir, embedder });
  await embedder.dispose();
  env = { MODELS_DIR: TEST_MODELS_DIR, EMBEDDING_MODEL: TEST_MODEL, INDEX_DIR: indexDir };
  bodies = (await loadCorpus({ dir: SEED_CORPUS })).map((a) => a.body);
});
afterAll(async () => {
  for (const c of cleanups) await c();
});

const ask = (args: string[], extraEnv: Record<string, string> = {}) => runCli({ args: ['ask', ...args], env: { ...env, ...extraEnv } });

describe('npm run ask', () => {
  it('warns on standard error when the index is older than the corpus, and answers from it', async () => {
    const fresh = await ask(['Who founded BTK Group?'], { CORPUS_DIR: SEED_CORPUS });
    expect(fresh.stderr).not.toMatch(/out of date/);
    const corpus = await tempDir('cli-corpus-');
    cleanups.push(corpus.cleanup);
    await cp(SEED_CORPUS, corpus.dir, { recursive: true });
    await writeFile(join(corpus.dir, 'zz-new.md'), '---\ntitle: New\noutlet: New Outlet\nevent: "October 2025 visit"\n---\nA newly added article says rail freight through Kazakhstan grew last year.\n');
    const { code, stdout, stderr } = await ask(['Who founded BTK Group?'], { CORPUS_DIR: corpus.dir });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^warning: the index is out of date \(.+\); answers come from the old build until npm run build-index$/m);
    expect(stdout).toMatch(/founder is Taimuraz Bolloev/);
  });

  it('prints each quote with its source line', async () => {
    const { code, stdout } = await ask(['Who founded BTK Group?']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1\. “.*founder is Taimuraz Bolloev.*”$/m);
    expect(stdout).toMatch(/^ {3}— bne IntelliNews, 2025-10-10, “Putin calls for Central Asia to boost trade with Russia”$/m);
  });

  it('--json prints one object of the documented shape and nothing else', async () => {
    const { code, stdout } = await ask(['--json', 'How many Russian troops are stationed in Tajikistan?']);
    expect(code).toBe(0);
    const answer = JSON.parse(stdout) as Record<string, unknown> & { snippets: Array<Record<string, unknown>> };
    expect(answer).toMatchObject({ question: 'How many Russian troops are stationed in Tajikistan?', answered: true });
    expect(answer.snippets.length).toBeGreaterThan(0);
    for (const s of answer.snippets) {
      expect(Object.keys(s.source as object).sort()).toEqual(['date', 'id', 'outlet', 'title', 'url']);
      const source = s.source as { date: unknown; url: unknown };
      expect(source.date === null || /^\d{4}-\d{2}-\d{2}$/.test(String(source.date))).toBe(true);
      expect(source.url).toBeNull();
      expect(typeof s.score).toBe('number');
      expect(isVerbatim(String(s.quote), bodies)).toBe(true);
    }
  });

  it('--json says answered: false for a question the coverage does not answer', async () => {
    const { code, stdout } = await ask(['--json', 'What is the capital of France?']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ answered: false, snippets: [] });
  });

  it('--file answers every line of the dev set with verbatim quotes of at most 400 characters', async () => {
    const { code, stdout } = await ask(['--json', '--file', 'test/fixtures/dev-questions.jsonl']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; snippets: Array<{ quote: string }> });
    expect(lines).toHaveLength(24);
    expect(lines[0]?.id).toBe('dev-01');
    for (const line of lines) {
      for (const s of line.snippets) {
        expect(s.quote.length).toBeLessThanOrEqual(400);
        expect(isVerbatim(s.quote, bodies)).toBe(true);
      }
    }
  });

  it('--file reports malformed lines by number, answers the rest, and exits non-zero', async () => {
    const file = join(workDir, 'mixed.jsonl');
    await writeFile(file, ['{"id":"a","question":"Who founded BTK Group?"}', 'not json', '{"id":"c"}', '', '{"id":"d","question":"Who is Rahmon\'s son?"}'].join('\n'));
    const { code, stdout, stderr } = await ask(['--file', file]);
    expect(code).toBe(1);
    expect(stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['a', 'd']);
    expect(stderr).toContain(`${file}:2: not valid JSON`);
    expect(stderr).toContain(`${file}:3: needs a non-empty "question"`);
  });

  it.each([
    ['an empty question', [''], {}, /^error: the question is empty/m],
    ['an unreadable file', ['--file', 'no/such/file.jsonl'], {}, /^error: cannot read no\/such\/file\.jsonl: ENOENT/m],
    ['a missing index', ['Who founded BTK Group?'], { INDEX_DIR: 'no-such-index-dir' }, /^error: no index in INDEX_DIR=no-such-index-dir; run npm run build-index first/m],
    ['a model missing offline', ['Who founded BTK Group?'], { EMBEDDING_MODEL: 'Xenova/all-MiniLM-L6-v2' }, /^error: embedding model Xenova\/all-MiniLM-L6-v2 is not in MODELS_DIR=.*\.models/m],
    ['an unknown option', ['--nope', 'x'], {}, /^error: unknown option --nope; usage: dushanbe-quotes ask \[OPTIONS\] \[QUESTION\]$/m],
  ])('%s: one clear line, non-zero exit, no stack', async (_name, args, extraEnv, message) => {
    const { code, stdout, stderr } = await ask(args, extraEnv);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
