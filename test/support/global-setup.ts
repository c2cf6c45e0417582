import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateTestModel } from '../../tools/test-model/generate.js';

/** Generates the offline test model once per run, so no test ever downloads a model. */
export default async function setup(): Promise<void> {
  const corpus = 'corpus';
  const names = (await readdir(corpus)).filter((n) => n.endsWith('.md'));
  const texts = await Promise.all(names.map((n) => readFile(join(corpus, n), 'utf8')));
  await generateTestModel({ outDir: join('.models', 'test-tiny-bert'), texts });
}
