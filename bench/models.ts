import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveProfile } from '../src/embedding/profiles.js';

/** One model the suite runs on. */
export interface BenchModel {
  /** EMBEDDING_MODEL value: a profile name or a model id (a folder under modelsDir). */
  model: string;
  modelsDir: string;
}

/** The weights file transformers.js loads for a model id, given its profile's dtype. */
function weightsFile(modelId: string): string {
  return join('onnx', resolveProfile(modelId).dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
}

/**
 * Model folders under `dir` (`name/` or `org/name/`) that hold a complete offline model:
 * config.json, tokenizer.json and the weights its profile asks for. An absent folder is no
 * models, not an error.
 */
export async function findModels(dir: string): Promise<BenchModel[]> {
  if (!existsSync(dir)) return [];
  const complete = (id: string): boolean =>
    ['config.json', 'tokenizer.json', weightsFile(id)].every((file) => existsSync(join(dir, id, file)));
  const found: BenchModel[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (complete(entry.name)) {
      found.push({ model: entry.name, modelsDir: dir });
      continue;
    }
    for (const inner of await readdir(join(dir, entry.name), { withFileTypes: true })) {
      const id = `${entry.name}/${inner.name}`;
      if (inner.isDirectory() && complete(id)) found.push({ model: id, modelsDir: dir });
    }
  }
  return found.sort((a, b) => a.model.localeCompare(b.model));
}
