/**
 * Scores the answer engine on a question set.
 * Usage: npm run eval -- [questions.jsonl] [--compare] [--verbose]
 *   --compare  runs dense only, BM25 only and hybrid on the same questions, side by side
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runCli } from '../src/cli/run.js';
import { parseEngineConfig } from '../src/config.js';
import { loadCorpus } from '../src/corpus/load.js';
import { createEmbedderFromConfig } from '../src/engine/create.js';
import { loadEngine } from '../src/engine/load-engine.js';
import type { RetrievalMode } from '../src/engine/retrieve.js';
import { InputError } from '../src/errors.js';
import { formatReport, runEval } from '../src/eval/run.js';
import { parseQuestions } from '../src/eval/metrics.js';

await runCli(async () => {
  let parsed;
  try {
    parsed = parseArgs({ options: { compare: { type: 'boolean' }, verbose: { type: 'boolean' } }, allowPositionals: true });
  } catch (cause) {
    throw new InputError(`${(cause as Error).message}; usage: npm run eval -- [questions.jsonl] [--compare]`, { cause });
  }
  const path = parsed.positionals[0] ?? 'test/fixtures/dev-questions.jsonl';
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new InputError(`cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  let questions;
  try {
    questions = parseQuestions(text, path);
  } catch (cause) {
    throw new InputError((cause as Error).message, { cause });
  }
  const config = parseEngineConfig(process.env);
  const embedder = await createEmbedderFromConfig(config);
  try {
    const corpus = (await loadCorpus({ dir: config.corpusDir })).map((a) => a.body);
    const modes: RetrievalMode[] = parsed.values.compare ? ['dense', 'bm25', 'hybrid'] : ['hybrid'];
    let last = '';
    for (const mode of modes) {
      const { engine } = await loadEngine({ indexDir: config.indexDir, embedder, mode });
      const result = await runEval({ engine, questions, corpus });
      const report = formatReport({ result, label: `${mode} · ${embedder.modelId} · ${path}`, verbose: parsed.values.verbose === true });
      process.stdout.write(`${report.text}\n\n`);
      last = report.summary;
    }
    process.stdout.write(`${last}\n`);
  } finally {
    await embedder.dispose();
  }
});
