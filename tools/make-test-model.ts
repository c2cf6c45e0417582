/**
 * Generates the tiny offline embedding model from the Markdown corpus.
 * Usage: npx tsx tools/make-test-model.ts [--corpus DIR] [--out DIR] [--dimensions N]
 * Relative paths resolve against the project root, not the current directory.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateTestModel } from './test-model/generate.js';

/** The folder holding package.json above this script: scripts/ from source, dist/scripts/ compiled. */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

const projectRoot = findProjectRoot(fileURLToPath(new URL('.', import.meta.url)));

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'corpus' },
    out: { type: 'string', default: '.models/test-tiny-bert' },
    dimensions: { type: 'string', default: '256' },
  },
});

const corpusDir = resolve(projectRoot, values.corpus);
const outDir = resolve(projectRoot, values.out);
const dimensions = Number(values.dimensions);
if (!Number.isInteger(dimensions) || dimensions < 1) {
  console.error(`--dimensions must be a positive integer, got "${values.dimensions}"`);
  process.exit(1);
}

const files = (await readdir(corpusDir).catch(() => [] as string[])).filter((f) => f.endsWith('.md')).sort();
if (files.length === 0) {
  console.error(`no .md files in ${corpusDir}: add corpus files first (or pass --corpus DIR)`);
  process.exit(1);
}

const texts = await Promise.all(files.map((f) => readFile(join(corpusDir, f), 'utf8')));
const result = await generateTestModel({ outDir, texts, dimensions });
const shown = outDir.startsWith(projectRoot) ? relative(projectRoot, outDir) : outDir;
console.log(`test model written to ${shown} (vocab ${result.vocabSize}, ${result.dimensions} dims)`);
