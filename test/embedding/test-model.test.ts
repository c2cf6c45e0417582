import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestModel } from '../../tools/test-model/generate.js';

const DIMS = 48;
const TEXTS = [
  `Putin arrived in Dushanbe for a state visit and talks with Rahmon.

The summit of CIS leaders in the Tajik capital discussed trade and security.

Farmers in the Vakhsh valley harvested cotton early because of the heat.`,
  `Kremlin officials said the visit would strengthen the military base agreement.

A new hydropower plant on the river will export electricity to Afghanistan.

Journalists waited outside the palace while the delegations signed documents.`,
];

const saved = { allowRemoteModels: env.allowRemoteModels, localModelPath: env.localModelPath };
let root: string;
let modelDir: string;
let fp32: FeatureExtractionPipeline;
let q8: FeatureExtractionPipeline;

async function embed(extractor: FeatureExtractionPipeline, texts: string[]): Promise<number[][]> {
  const output = await extractor(texts, { pooling: 'mean', normalize: true });
  return output.tolist() as number[][];
}

const dot = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * (b[i] ?? 0), 0);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'test-model-'));
  modelDir = join(root, 'tiny-bert');
  await generateTestModel({ outDir: modelDir, texts: TEXTS, dimensions: DIMS, seed: 7 });
  env.allowRemoteModels = false;
  env.localModelPath = dirname(modelDir);
  fp32 = await pipeline('feature-extraction', basename(modelDir), { dtype: 'fp32' });
  q8 = await pipeline('feature-extraction', basename(modelDir), { dtype: 'q8' });
});

afterAll(async () => {
  await fp32?.dispose();
  await q8?.dispose();
  env.allowRemoteModels = saved.allowRemoteModels;
  env.localModelPath = saved.localModelPath;
  if (root) await rm(root, { recursive: true, force: true });
});

describe('generateTestModel', () => {
  it('produces unit vectors of the requested width', async () => {
    const vectors = await embed(fp32, ['Putin in Dushanbe', 'cotton harvest', 'Journalists waited.']);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(DIMS);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    }
  });

  it('is deterministic for the same seed and differs for another seed', async () => {
    const again = join(root, 'tiny-bert-again');
    const other = join(root, 'tiny-bert-other');
    const result = await generateTestModel({ outDir: again, texts: TEXTS, dimensions: DIMS, seed: 7 });
    await generateTestModel({ outDir: other, texts: TEXTS, dimensions: DIMS, seed: 8 });
    expect(result.dimensions).toBe(DIMS);
    for (const file of ['tokenizer.json', 'config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx']) {
      expect(Buffer.compare(await readFile(join(modelDir, file)), await readFile(join(again, file)))).toBe(0);
    }
    const [a, b] = await Promise.all([readFile(join(modelDir, 'onnx/model.onnx')), readFile(join(other, 'onnx/model.onnx'))]);
    expect(Buffer.compare(a, b)).not.toBe(0);
  });

  it('ranks a paraphrase sharing rare words above an unrelated sentence', async () => {
    const [query, paraphrase, unrelated] = await embed(fp32, [
      'Putin held talks with Rahmon in Dushanbe.',
      'In Dushanbe, Rahmon and Putin met for talks.',
      'Farmers harvested cotton in the valley.',
    ]);
    expect(dot(query!, paraphrase!)).toBeGreaterThan(dot(query!, unrelated!) + 0.3);
  });

  it('q8 embeddings match fp32 ones', async () => {
    const texts = ['The hydropower plant exports electricity.', 'Kremlin officials and the military base.'];
    const [full, quantized] = await Promise.all([embed(fp32, texts), embed(q8, texts)]);
    full.forEach((v, i) => expect(dot(v, quantized[i]!)).toBeGreaterThan(0.99));
  });

  it('spells out-of-vocabulary words with WordPiece pieces and still embeds them', async () => {
    const ids = fp32.tokenizer.encode('zyxwvut');
    const tokens = ids.map((id) => fp32.tokenizer.decode([id]));
    expect(tokens).not.toContain('[UNK]');
    expect(tokens.slice(1, -1)).toEqual(['z', '##y', '##x', '##w', '##v', '##u', '##t']);
    const [v] = await embed(fp32, ['zyxwvut']);
    expect(v!.every(Number.isFinite)).toBe(true);
    expect(Math.sqrt(dot(v!, v!))).toBeCloseTo(1, 5);
  });
});
