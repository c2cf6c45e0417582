/**
 * Runs the benchmark suite, prints the table and writes bench/results.json.
 * Usage: npm run bench -- [--parts query,build,cold,bot,growth,variants] [--sizes 500,5000]
 *        [--repeats N] [--real-models DIR] [--out FILE]
 * Models: EMBEDDING_MODEL / MODELS_DIR (default: the generated test-tiny-bert in .models,
 * generated when missing), plus every complete model folder in --real-models.
 */
import { parseArgs } from 'node:util';
import { runBenchCli } from '../bench/cli.js';
import { runCli } from '../src/cli/run.js';

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      parts: { type: 'string' },
      sizes: { type: 'string' },
      repeats: { type: 'string' },
      'real-models': { type: 'string' },
      out: { type: 'string' },
    },
  });
  return runBenchCli({ args: values, env: process.env, write: (text) => process.stdout.write(text), log: (line) => process.stderr.write(`${line}\n`) });
});
