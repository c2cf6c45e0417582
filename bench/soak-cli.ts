/**
 * The full soak: questions from simulated users through telegram-test-api on 127.0.0.1
 * against the real bot process, with the generated test model (npm run test-model).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../src/cli/io.js';
import { createTransformersEmbedder } from '../src/embedding/transformers-embedder.js';
import { buildIndex } from '../src/indexer/build-index.js';
import { TEST_MODEL, TEST_MODELS_DIR } from '../tools/test-model/generate.js';
import { runSoak, soakProblems } from './soak.js';

/** Runs the soak, prints its report as JSON, and returns 0 when it held, 1 when it did not. */
export async function runSoakCommand(options: { questions: number; users: number; fast: number; minutes: number; io: CliIo }): Promise<number> {
  const { questions, users, fast, minutes, io } = options;
  const index = await buildSoakIndex();
  try {
    const report = await runSoak({
      questions,
      users,
      fastUsers: fast,
      timeLimitMs: minutes * 60_000,
      indexDir: index.indexDir,
      onProgress: (line) => io.stderr.write(`${line}\n`),
    });
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const problems = soakProblems(report, { minQuestions: questions });
    for (const problem of problems) io.stderr.write(`soak problem: ${problem}\n`);
    io.stderr.write(problems.length === 0 ? 'soak held: nothing lost, nothing duplicated, memory flat\n' : 'soak FAILED\n');
    return problems.length === 0 ? 0 : 1;
  } finally {
    await index.cleanup();
  }
}

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
