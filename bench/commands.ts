/**
 * The development commands: `bench` and `soak` (run by bench/main.ts). They live with the
 * benchmarks, not in src/, because they drive the bot through test doubles (a Telegram
 * emulator) and dev dependencies; the product's CLI never loads them, and the Docker image has
 * neither.
 */
import { defineCommand } from 'citty';
import { InputError } from '../src/core/errors.js';
import { ioOf } from '../src/cli/io.js';
import { runBenchCli } from './cli.js';
import { runSoakCommand } from './soak-cli.js';

export const benchCommand = defineCommand({
  meta: { name: 'bench', description: 'Speed and growth benchmarks, written to bench/results.json (see bench/README.md)' },
  args: {
    parts: { type: 'string', description: 'query,reader,build,cold,bot,growth,stores (default all)' },
    sizes: { type: 'string', description: 'growth corpus sizes, e.g. 500,5000' },
    'store-sizes': { type: 'string', description: 'corpus sizes where files and PostgreSQL are compared (default 5,5000,20000)' },
    stores: { type: 'string', description: 'files,pg (default both)' },
    repeats: { type: 'string', description: 'rounds per measurement' },
    'real-models': { type: 'string', description: 'folder of real models to measure too (default ../shared/models)', valueHint: 'DIR' },
    out: { type: 'string', description: 'where to write the results', valueHint: 'FILE' },
  },
  run(context) {
    const io = ioOf(context);
    const { parts, sizes, stores, repeats, out } = context.args;
    return runBenchCli({
      args: { parts, sizes, 'store-sizes': context.args['store-sizes'], stores, repeats, 'real-models': context.args['real-models'], out },
      env: io.env,
      write: (text) => io.stdout.write(text),
      log: (line) => io.stderr.write(`${line}\n`),
    });
  },
});

export const soakCommand = defineCommand({
  meta: { name: 'soak', description: 'Load test: questions from simulated users through the real bot and a local Telegram emulator' },
  args: {
    questions: { type: 'string', default: '20000', description: 'questions in all' },
    users: { type: 'string', default: '200', description: 'simulated users' },
    fast: { type: 'string', default: '5', description: 'users who ask faster than the rate limit' },
    minutes: { type: 'string', default: '30', description: 'time limit' },
  },
  run(context) {
    const io = ioOf(context);
    const numbers = [context.args.questions, context.args.users, context.args.fast, context.args.minutes].map(Number);
    const [questions = 0, users = 0, fast = 0, minutes = 0] = numbers;
    if (!numbers.every((n) => Number.isInteger(n) && n >= 0) || users < 1) {
      throw new InputError('usage: npm run soak -- [--questions N] [--users N] [--fast N] [--minutes N] (whole numbers, at least one user)');
    }
    return runSoakCommand({ questions, users, fast, minutes, io });
  },
});
