/**
 * Asks the engine from a terminal.
 *   npm run ask -- "question"               readable answer
 *   npm run ask -- --json "question"        one JSON object
 *   npm run ask -- --file questions.jsonl   one JSON object a line (model and index load once)
 */
import { parseArgs } from 'node:util';
import { answerJson, askOne, checkQuestion, readQuestionFile } from '../src/cli/ask.js';
import { runCli } from '../src/cli/run.js';
import { parseEngineConfig } from '../src/app/config.js';
import { createEngineFromConfig } from '../src/app/serving/load-engine.js';
import { InputError } from '../src/core/errors.js';

const USAGE = 'usage: npm run ask -- [--json] "question" | npm run ask -- --file questions.jsonl';

await runCli(async () => {
  let parsed: ReturnType<typeof parseArgs<{ options: { json: { type: 'boolean' }; file: { type: 'string' } }; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ options: { json: { type: 'boolean' }, file: { type: 'string' } }, allowPositionals: true });
  } catch (cause) {
    throw new InputError(`${(cause as Error).message}; ${USAGE}`, { cause });
  }
  const { values, positionals } = parsed;
  const config = parseEngineConfig(process.env);
  if (values.file !== undefined) {
    if (positionals.length > 0) throw new InputError(`give either --file or a question, not both; ${USAGE}`);
    const { questions, problems } = await readQuestionFile(values.file);
    if (questions.length === 0) throw new InputError(`${values.file} has no usable questions${problems.length ? ` (${problems.join('; ')})` : ''}`);
    const { engine, embedder } = await createEngineFromConfig({ config });
    try {
      for (const problem of problems) process.stderr.write(`warning: ${problem}\n`);
      for (const q of questions) process.stdout.write(`${JSON.stringify(answerJson(await engine.answer(q.question), q.id))}\n`);
    } finally {
      await embedder.dispose();
    }
    return problems.length > 0 ? 1 : 0;
  }
  const question = checkQuestion(positionals.join(' '));
  const { engine, embedder } = await createEngineFromConfig({ config });
  try {
    process.stdout.write(`${await askOne({ engine, question, json: values.json === true })}\n`);
  } finally {
    await embedder.dispose();
  }
  return 0;
});
