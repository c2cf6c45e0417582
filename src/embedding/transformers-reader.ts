import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ModelError } from '../core/errors.js';
import { READER_CONTEXTS, readerInput, type Reader, type ReaderContext } from './reader.js';

/** The reader's own settings, written beside its weights by `npm run train-reader`. */
interface ReaderFile {
  /** Its learnt score for "no sentence answers". */
  noneLogit: number;
  /** What it reads beside the question (see ReaderContext); readers that predate the setting read the sentence alone. */
  context?: ReaderContext;
}

/** The files a reader folder must hold, relative to it. */
const READER_FILES = ['config.json', 'tokenizer.json', 'reader.json', join('onnx', 'model_quantized.onnx')];

/**
 * The longest question and sentence pair the reader reads, in tokens: what it was trained with.
 * Longer pairs lose their longest part's end.
 */
export const READER_MAX_TOKENS = 128;

/**
 * Loads a reader (a cross-encoder in transformers.js layout, 8-bit) from a folder of models,
 * offline. The reader ships in the project's `models/` folder; it is never downloaded.
 *
 * transformers.js keeps its settings in a module-level `env`; this writes them for this load
 * only, as the embedder does for its own.
 */
export async function createTransformersReader(options: { modelsDir: string; modelId: string }): Promise<Reader> {
  const modelsDir = resolve(options.modelsDir);
  const folder = join(modelsDir, options.modelId);
  const missing = READER_FILES.map((f) => join(folder, f)).find((f) => !existsSync(f));
  if (missing) throw new ModelError(`reader model ${options.modelId} is not in ${modelsDir}: missing ${missing} (npm run train-reader makes it)`);
  let settings: ReaderFile;
  try {
    settings = JSON.parse(await readFile(join(folder, 'reader.json'), 'utf8')) as ReaderFile;
    if (typeof settings.noneLogit !== 'number' || !Number.isFinite(settings.noneLogit)) throw new Error('noneLogit must be a number');
    if (settings.context !== undefined && !READER_CONTEXTS.includes(settings.context)) throw new Error(`context must be one of ${READER_CONTEXTS.join(', ')}`);
  } catch (cause) {
    throw new ModelError(`reader model ${options.modelId}: ${join(folder, 'reader.json')} is damaged (${firstLine(cause)}); run npm run train-reader`, { cause });
  }
  const { env, AutoTokenizer, AutoModelForSequenceClassification } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${modelsDir}/`;
  let tokenizer: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
  let model: Awaited<ReturnType<typeof AutoModelForSequenceClassification.from_pretrained>>;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(options.modelId);
    model = await AutoModelForSequenceClassification.from_pretrained(options.modelId, { dtype: 'q8' });
  } catch (cause) {
    throw new ModelError(`cannot load reader model ${options.modelId} from ${modelsDir}: ${firstLine(cause)}; replace ${folder} with a complete copy (npm run train-reader)`, { cause });
  }
  const context = settings.context ?? 'sentence';
  return {
    modelId: options.modelId,
    none: settings.noneLogit,
    async score(question, passages) {
      if (passages.length === 0) return [];
      const texts = passages.map((p) => readerInput(p, context));
      // One batch: the engine reads a handful of candidates per question.
      const inputs = tokenizer(
        texts.map(() => question),
        { text_pair: texts, padding: true, truncation: true, max_length: READER_MAX_TOKENS },
      );
      const { logits } = (await model(inputs)) as { logits: { data: ArrayLike<number>; dispose?: () => void } };
      const scores = Array.from(logits.data, Number);
      logits.dispose?.();
      return scores;
    },
    async dispose() {
      await model.dispose();
    },
  };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
