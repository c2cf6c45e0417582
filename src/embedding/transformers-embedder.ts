import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ModelError } from '../core/errors.js';
import type { Embedder } from './embedder.js';
import { resolveProfile, type ModelProfile } from './profiles.js';

export interface TransformersEmbedderOptions {
  /** Profile name or model id. @default 'all-MiniLM-L6-v2-dushanbe' */
  model?: string;
  /** When set, models load only from this folder and the network is never touched. */
  modelsDir?: string;
  /**
   * Models shipped with the project (`models/` in the repository). A model found complete here
   * loads from it with the network off; any other model downloads into `cacheDir`.
   * Ignored when `modelsDir` is set.
   */
  bundledDir?: string;
  /** Where downloaded models are cached on a connected machine. */
  cacheDir?: string;
  /** Texts per inference call. @default 32 */
  batchSize?: number;
}

/**
 * Loads a transformers.js feature-extraction pipeline and wraps it as an Embedder.
 *
 * transformers.js keeps its settings in a module-level `env`; this is the one place that
 * writes them, once per load, from explicit options.
 */
export async function createTransformersEmbedder(options: TransformersEmbedderOptions = {}): Promise<Embedder> {
  const profile = resolveProfile(options.model);
  const { env, pipeline } = await import('@huggingface/transformers');
  const bundled = !options.modelsDir && options.bundledDir && hasLocalModel({ modelsDir: options.bundledDir, profile }) ? options.bundledDir : undefined;
  const modelsDir = options.modelsDir ? resolve(options.modelsDir) : bundled ? resolve(bundled) : undefined;
  if (!modelsDir && profile.fineTunedFrom) {
    throw new ModelError(`embedding model ${profile.modelId} is made by npm run fine-tune and ships in ${options.bundledDir ?? 'models/'}; it is not on the Hugging Face hub, and that folder does not hold it`);
  }
  if (modelsDir) {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = modelsDir.endsWith('/') ? modelsDir : `${modelsDir}/`;
    checkLocalModel({ modelsDir, profile });
  } else {
    env.allowRemoteModels = true;
  }
  if (options.cacheDir) env.cacheDir = resolve(options.cacheDir);

  let extractor: Awaited<ReturnType<typeof pipeline<'feature-extraction'>>>;
  try {
    extractor = await pipeline('feature-extraction', profile.modelId, { dtype: profile.dtype });
  } catch (cause) {
    const where = bundled ? `from the bundled folder ${modelsDir}` : modelsDir ? `from MODELS_DIR=${modelsDir}` : 'from the Hugging Face hub (is the network reachable? set MODELS_DIR to load from a local folder)';
    // Files that exist but do not load are damaged or incomplete: say what to replace.
    const fix = modelsDir ? `; replace ${join(modelsDir, profile.modelId)} with a complete copy of the model${regenerateHint(profile)}` : '';
    throw new ModelError(`cannot load embedding model ${profile.modelId} ${where}: ${firstLine(cause)}${fix}`, { cause });
  }
  const batchSize = options.batchSize ?? 32;

  const run = async (texts: string[]): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      const batch = texts.slice(i, i + batchSize);
      const tensor = await extractor(batch, { pooling: profile.pooling, normalize: profile.normalize });
      const [rows, dims] = tensor.dims as [number, number];
      const data = tensor.data as ArrayLike<number> & { subarray(start: number, end: number): ArrayLike<number> };
      // A float32 tensor is copied row by row directly; anything else is converted.
      for (let r = 0; r < rows; r++) out.push(data instanceof Float32Array ? data.slice(r * dims, (r + 1) * dims) : Float32Array.from(data.subarray(r * dims, (r + 1) * dims)));
      tensor.dispose?.();
    }
    return out;
  };

  const probe = await run(['dimension probe']);
  const dimensions = probe[0]?.length ?? 0;
  if (dimensions === 0) throw new ModelError(`embedding model ${profile.modelId} returned an empty vector`);

  return {
    modelId: profile.modelId,
    dimensions,
    async embed(texts, embedOptions) {
      const prefix = embedOptions?.kind === 'query' ? profile.queryPrefix : profile.passagePrefix;
      return run(prefix ? texts.map((t) => prefix + t) : texts);
    },
    async dispose() {
      await extractor.dispose();
    },
  };
}

/** The files transformers.js needs to load a model offline from a folder. */
function localModelFiles(options: { modelsDir: string; profile: ModelProfile }): string[] {
  const { modelsDir, profile } = options;
  const folder = join(modelsDir, profile.modelId);
  const weights = join(folder, 'onnx', profile.dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
  return [join(folder, 'config.json'), join(folder, 'tokenizer.json'), weights];
}

/** Whether a folder holds every file of a model in the layout transformers.js loads offline. */
export function hasLocalModel(options: { modelsDir: string; profile: ModelProfile }): boolean {
  return localModelFiles(options).every((file) => existsSync(file));
}

/** Fails early, with the folder and id, when an offline model is not where it must be. */
function checkLocalModel(options: { modelsDir: string; profile: ModelProfile }): void {
  const { modelsDir, profile } = options;
  const missing = localModelFiles(options).find((file) => !existsSync(file));
  if (missing) {
    throw new ModelError(`embedding model ${profile.modelId} is not in MODELS_DIR=${modelsDir}: missing ${missing}${regenerateHint(profile)}`);
  }
}

function regenerateHint(profile: ModelProfile): string {
  return profile.modelId === 'test-tiny-bert' ? ' (run `npm run test-model` to generate it)' : '';
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
