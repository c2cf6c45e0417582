import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Env } from '../src/app/config.js';
import { generateTestModel } from '../tools/test-model/generate.js';
import { InputError } from '../src/core/errors.js';
import { findModels, type BenchModel } from './models.js';
import { formatTable, formatVerdict, type TableRow } from './report.js';
import { readerRows, rowsFor } from './rows.js';
import { measureReaderPath, type ReaderPathFigures } from './reader-path.js';
import { parseQuestions } from '../src/eval/metrics.js';
import { BENCH_PARTS, environment, runModelSuite, type BenchPart, type BotPart, type ModelResults } from './suite.js';
import { STORES, type StoreKind } from './store-compare.js';
import { startPgServer, type PgServer } from '../tools/pg/pgserver.js';

export const USAGE =
  'usage: npm run bench -- [--parts query,reader,build,cold,bot,growth,stores] [--sizes 500,5000] [--store-sizes 5,5000,20000] [--stores files,pg] [--repeats N] [--real-models DIR] [--out FILE]';

export interface BenchArgs {
  parts?: string | undefined;
  sizes?: string | undefined;
  'store-sizes'?: string | undefined;
  stores?: string | undefined;
  repeats?: string | undefined;
  'real-models'?: string | undefined;
  out?: string | undefined;
}

export interface ParsedBenchArgs {
  parts: BenchPart[];
  sizes: number[];
  storeSizes: number[];
  stores: StoreKind[];
  repeats: number;
  realModelsDir: string;
  out: string;
}

/** Validates the command line; every problem is an InputError naming the flag. */
export function parseBenchArgs(args: BenchArgs): ParsedBenchArgs {
  const parts = (args.parts ?? BENCH_PARTS.join(',')).split(',').map((p) => p.trim()).filter((p) => p !== '');
  const unknown = parts.filter((p) => !(BENCH_PARTS as readonly string[]).includes(p));
  if (unknown.length > 0 || parts.length === 0) throw new InputError(`--parts takes some of ${BENCH_PARTS.join(',')} (got "${args.parts}"); ${USAGE}`);
  const sizesOf = (flag: string, given: string | undefined, fallback: string): number[] => {
    const found = (given ?? fallback).split(',').map((s) => Number(s.trim()));
    if (found.some((s) => !Number.isInteger(s) || s < 1)) throw new InputError(`--${flag} takes positive whole numbers such as ${fallback} (got "${given}"); ${USAGE}`);
    return found.sort((a, b) => a - b);
  };
  const sizes = sizesOf('sizes', args.sizes, '500,5000');
  const storeSizes = sizesOf('store-sizes', args['store-sizes'], '5,5000,20000');
  const stores = (args.stores ?? STORES.join(',')).split(',').map((p) => p.trim());
  if (stores.length === 0 || stores.some((p) => !(STORES as readonly string[]).includes(p))) throw new InputError(`--stores takes some of ${STORES.join(',')} (got "${args.stores}"); ${USAGE}`);
  const repeats = Number(args.repeats ?? '5');
  if (!Number.isInteger(repeats) || repeats < 1) throw new InputError(`--repeats takes a positive whole number (got "${args.repeats}"); ${USAGE}`);
  return {
    parts: parts as BenchPart[],
    sizes,
    storeSizes,
    stores: stores as StoreKind[],
    repeats,
    realModelsDir: args['real-models'] ?? '../shared/models',
    out: args.out ?? 'bench/results.json',
  };
}

/**
 * Generates the offline test model from the corpus into a private folder, as `npm run
 * test-model` does (same generator, same input, same files; it takes a fraction of a second).
 * Private because every vitest run regenerates `.models/test-tiny-bert` in place: a test run
 * during the benchmark would otherwise hand a loading process half-written files.
 */
async function generatePrivateTestModel(options: { corpusDir: string }): Promise<string> {
  const modelsDir = await mkdtemp(join(tmpdir(), 'bench-models-'));
  const names = (await readdir(options.corpusDir)).filter((n) => n.endsWith('.md')).sort();
  const texts = await Promise.all(names.map((n) => readFile(join(options.corpusDir, n), 'utf8')));
  await generateTestModel({ outDir: join(modelsDir, 'test-tiny-bert'), texts });
  return modelsDir;
}

/** Where the CLI writes, and the replaceable bot part (for tests of the wiring). */
export interface BenchIo {
  /** The table and the verdict (stdout). */
  write: (text: string) => void;
  /** Progress and notes (stderr). */
  log: (line: string) => void;
  botPart?: BotPart;
}

/**
 * The whole `npm run bench`: picks the models (the configured or generated one, then every
 * real model found), runs the selected parts on each, prints the table and the verdict and
 * writes the results file. Returns the exit code.
 */
export async function runBenchCli(options: BenchIo & { args: BenchArgs; env: Env }): Promise<number> {
  const { env } = options;
  const args = parseBenchArgs(options.args);
  const corpusDir = env.CORPUS_DIR?.trim() || 'corpus';
  const model = env.EMBEDDING_MODEL?.trim() || 'test-tiny-bert';
  const privateModels = model === 'test-tiny-bert' ? await generatePrivateTestModel({ corpusDir }) : undefined;
  try {
    return await runOnModels({ ...options, args, corpusDir, primary: { model, modelsDir: privateModels ?? resolve(env.MODELS_DIR?.trim() || '.models') } });
  } finally {
    if (privateModels) await rm(privateModels, { recursive: true, force: true });
  }
}

async function runOnModels(options: BenchIo & { args: ParsedBenchArgs; env: Env; corpusDir: string; primary: BenchModel }): Promise<number> {
  const { args, primary, log } = options;
  const models: BenchModel[] = [primary];
  const notes: string[] = [];
  const real = await findModels(resolve(args.realModelsDir));
  if (real.length === 0) notes.push(`no real model weights in ${args.realModelsDir}: the suite ran on ${primary.model} only`);
  for (const found of real) if (!models.some((m) => m.model === found.model && m.modelsDir === found.modelsDir)) models.push(found);
  for (const note of notes) log(`note: ${note}`);

  const database = args.parts.includes('stores') && args.stores.includes('pg') ? await benchDatabase({ env: options.env, log }) : undefined;
  if (database && 'unavailable' in database) notes.push(`PostgreSQL not measured: ${database.unavailable}`);
  const adminUrl = database && 'url' in database ? database.url : undefined;
  try {
    return await runSuites({ ...options, models, notes, ...(adminUrl ? { adminUrl } : {}) });
  } finally {
    if (database && 'stop' in database) await database.stop();
  }
}

/**
 * The server the stores part creates its databases in: BENCH_DATABASE_URL (a server with
 * pgvector where this user may create databases), else a private one, as the tests start.
 */
async function benchDatabase(options: { env: Env; log: (line: string) => void }): Promise<PgServer | { unavailable: string }> {
  const given = options.env.BENCH_DATABASE_URL?.trim();
  if (given) return { url: given, stop: async () => {} };
  options.log('starting a private PostgreSQL server for the stores part');
  const started = await startPgServer({ log: options.log });
  return 'server' in started ? started.server : started;
}

async function devQuestions(): Promise<string[]> {
  const path = 'test/fixtures/dev-questions.jsonl';
  return parseQuestions(await readFile(path, 'utf8'), path).map((q) => q.question);
}

async function runSuites(options: BenchIo & { args: ParsedBenchArgs; corpusDir: string; models: BenchModel[]; notes: string[]; adminUrl?: string }): Promise<number> {
  const { args, corpusDir, models, notes, adminUrl, write, log, botPart } = options;
  const started = Date.now();
  const before = environment();
  const results: ModelResults[] = [];
  for (const target of models) {
    results.push(
      await runModelSuite({
        target,
        parts: args.parts,
        sizes: args.sizes,
        storeSizes: args.storeSizes,
        stores: args.stores,
        ...(adminUrl ? { adminUrl } : {}),
        repeats: args.repeats,
        corpusDir,
        questionsPath: 'test/fixtures/dev-questions.jsonl',
        log,
        ...(botPart ? { botPart } : {}),
      }),
    );
  }
  const rows: TableRow[] = results.flatMap(rowsFor);
  let reader: ReaderPathFigures | undefined;
  if (args.parts.includes('reader')) {
    log('[reader] the default answer path with its reader');
    reader = await measureReaderPath({ corpusDir, questions: await devQuestions(), repeats: args.repeats });
    if (reader) rows.push(...readerRows(reader));
    else notes.push('the default profile has no reader: the reader part measured nothing');
  }
  const allNotes = [...notes, ...results.flatMap((r) => r.notes.map((n) => `${r.model}: ${n}`))];
  const seconds = (Date.now() - started) / 1000;
  const table = formatTable(rows);
  const verdict = formatVerdict(rows);
  const after = environment();
  // Other processes on the machine slow every figure down; the load average says how much.
  const machine = `${after.cpus} cpus, load average ${before.loadAverage1m} at start, ${after.loadAverage1m} at end`;
  write(`${table}\n\n${verdict}\n${allNotes.map((n) => `note: ${n}\n`).join('')}suite time ${seconds.toFixed(0)} s (${machine})\n`);
  await mkdir(dirname(args.out), { recursive: true });
  const report = {
    startedAt: new Date(started).toISOString(),
    seconds,
    environment: { ...after, loadAverage1mAtStart: before.loadAverage1m },
    options: { parts: args.parts, sizes: args.sizes, storeSizes: args.storeSizes, stores: args.stores, repeats: args.repeats },
    models: results,
    ...(reader ? { reader } : {}),
    rows,
    notes: allNotes,
  };
  await writeFile(args.out, `${JSON.stringify(report, null, 2)}\n`);
  log(`results written to ${args.out}`);
  return 0;
}
