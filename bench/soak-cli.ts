/**
 * The full soak: 20,000 questions from 200 simulated users through telegram-test-api on
 * 127.0.0.1 against the real bot process, with the generated test model.
 * Usage: npm run soak [-- --questions 20000 --users 200 --fast 5 --minutes 30]
 * Needs the generated model (npm run test-model) and the dev dependencies.
 */
import { parseArgs } from 'node:util';
import { runCli } from '../src/cli/run.js';
import { InputError } from '../src/core/errors.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransformersEmbedder } from '../src/embedding/transformers-embedder.js';
import { buildIndex } from '../src/build/build-index.js';
import { TEST_MODEL, TEST_MODELS_DIR } from '../tools/test-model/generate.js';
import { runSoak, soakProblems } from './soak.js';

await runCli(async () => {
  const { values } = parseArgs({
    options: { questions: { type: 'string', default: '20000' }, users: { type: 'string', default: '200' }, fast: { type: 'string', default: '5' }, minutes: { type: 'string', default: '30' } },
  });
  const [questions, users, fast, minutes] = [values.questions, values.users, values.fast, values.minutes].map(Number);
  if (![questions, users, fast, minutes].every((n) => Number.isInteger(n) && (n ?? 0) >= 0) || (users ?? 0) < 1) {
    throw new InputError('usage: npm run soak -- [--questions N] [--users N] [--fast N] [--minutes N] (whole numbers, at least one user)');
  }
  const index = await buildSoakIndex();
  try {
    const report = await runSoak({
      questions: questions ?? 20_000,
      users: users ?? 200,
      fastUsers: fast ?? 5,
      timeLimitMs: (minutes ?? 30) * 60_000,
      indexDir: index.indexDir,
      onProgress: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const problems = soakProblems(report, { minQuestions: questions ?? 20_000 });
    for (const problem of problems) process.stderr.write(`soak problem: ${problem}\n`);
    process.stderr.write(problems.length === 0 ? 'soak held: nothing lost, nothing duplicated, memory flat\n' : 'soak FAILED\n');
    return problems.length === 0 ? 0 : 1;
  } finally {
    await index.cleanup();
  }
});

/** The corpus indexed with the generated model into a temporary folder. */
async function buildSoakIndex(): Promise<{ indexDir: string; cleanup: () => Promise<void> }> {
  const indexDir = await mkdtemp(join(tmpdir(), 'soak-index-'));
  const embedder = await createTransformersEmbedder({ model: TEST_MODEL, modelsDir: TEST_MODELS_DIR });
  try {
    await buildIndex({ corpusDir: 'corpus', indexDir, embedder });
  } finally {
    await embedder.dispose();
  }
  return { indexDir, cleanup: () => rm(indexDir, { recursive: true, force: true }) };
}
