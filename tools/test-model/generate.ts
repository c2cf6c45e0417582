import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  TensorDataType,
  graphProto,
  intAttribute,
  intsAttribute,
  modelProto,
  nodeProto,
  tensorProto,
  valueInfoProto,
} from './onnx-proto.js';
import { SPECIAL_TOKENS, buildVocab, isPunctuation, preTokenize } from './vocab.js';
import { seededRandom } from '../../src/core/random.js';

/** Options for {@link generateTestModel}. */
/** The generated model's profile name, and the folder `npm run test-model` writes it to. */
export const TEST_MODEL = 'test-tiny-bert';
export const TEST_MODELS_DIR = '.models';

export interface GenerateTestModelOptions {
  /** Folder to write into (created if missing); its name is the model id for transformers.js. */
  outDir: string;
  /** Texts that define the vocabulary and the IDF weights. */
  texts: string[];
  /** Embedding width. @default 64 */
  dimensions?: number;
  /** Seed mixed into every token's random direction. @default 1 */
  seed?: number;
}

const MAX_LENGTH = 512;

/**
 * Writes a tiny BERT-shaped model (config, HF tokenizer files, fp32 and q8
 * ONNX graphs) that transformers.js loads like any `feature-extraction` model.
 * Each token embeds as a random direction scaled by its IDF, so mean-pooled,
 * normalised vectors rank texts roughly like TF-IDF cosine similarity.
 */
export async function generateTestModel(
  options: GenerateTestModelOptions,
): Promise<{ vocabSize: number; dimensions: number }> {
  const { outDir, texts, dimensions = 256, seed = 1 } = options;
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new Error(`dimensions must be a positive integer, got ${dimensions}`);
  const vocab = buildVocab(texts);
  const table = embeddingTable(vocab, idfWeights(vocab, texts), dimensions, seed);

  await mkdir(join(outDir, 'onnx'), { recursive: true });
  const json = (name: string, value: unknown) => writeAtomic(join(outDir, name), `${JSON.stringify(value, null, 2)}\n`);
  await Promise.all([
    json('config.json', {
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: dimensions,
      vocab_size: vocab.length,
      max_position_embeddings: MAX_LENGTH,
      num_hidden_layers: 0,
      num_attention_heads: 1,
      type_vocab_size: 2,
      pad_token_id: 0,
    }),
    json('tokenizer.json', tokenizerJson(vocab)),
    json('tokenizer_config.json', {
      model_max_length: MAX_LENGTH,
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      mask_token: '[MASK]',
      do_lower_case: true,
      clean_up_tokenization_spaces: true,
      tokenizer_class: 'BertTokenizer',
    }),
    writeAtomic(join(outDir, 'onnx', 'model.onnx'), onnxModel(table, vocab.length, dimensions, false)),
    writeAtomic(join(outDir, 'onnx', 'model_quantized.onnx'), onnxModel(table, vocab.length, dimensions, true)),
  ]);
  return { vocabSize: vocab.length, dimensions };
}

/** idf = ln(1 + N / (1 + df)) over blank-line separated paragraphs; unseen pieces get the median. */
function idfWeights(vocab: readonly string[], texts: readonly string[]): Float64Array {
  const paragraphs = texts.flatMap((t) => t.split(/\n\s*\n/)).filter((p) => p.trim() !== '');
  const df = new Map<string, number>();
  for (const p of paragraphs) for (const w of new Set(preTokenize(p))) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (n: number) => Math.log(1 + paragraphs.length / (1 + n));
  const seen = [...df.values()].map(idf).sort((a, b) => a - b);
  const median = seen[Math.floor(seen.length / 2)] ?? 1;
  const special = new Set<string>(SPECIAL_TOKENS);
  return Float64Array.from(vocab, (t) => {
    if (special.has(t) || isPunctuation(t.replace(/^##/, ''))) return 0;
    const n = df.get(t);
    return n === undefined ? median : idf(n);
  });
}

/** Row-major [vocab, dims] table of ±1/√D sign vectors (exactly reproducible) times the token weight. */
function embeddingTable(vocab: readonly string[], weights: Float64Array, dims: number, seed: number): Float32Array {
  const table = new Float32Array(vocab.length * dims);
  vocab.forEach((token, row) => {
    const scale = (weights[row] ?? 0) / Math.sqrt(dims);
    const next = seededRandom(fnv1a(token) ^ seed);
    for (let d = 0; d < dims; d++) table[row * dims + d] = next() < 0.5 ? -scale : scale;
  });
  return table;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193);
  return h >>> 0;
}

/**
 * last_hidden_state = Gather(table, input_ids) * Unsqueeze(Cast(attention_mask)).
 * The q8 variant stores the table as uint8 and restores it with DequantizeLinear.
 */
function onnxModel(table: Float32Array, vocabSize: number, dims: number, quantized: boolean): Uint8Array {
  const dynamic = ['batch_size', 'sequence_length'];
  // ONNX raw_data is little-endian, which is what Float32Array uses on every platform Node ships for.
  const floatBytes = (values: Float32Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const nodes = [
    nodeProto({ opType: 'Gather', inputs: ['embeddings', 'input_ids'], outputs: ['token_embeddings'], attributes: [intAttribute('axis', 0)] }),
    nodeProto({ opType: 'Cast', inputs: ['attention_mask'], outputs: ['mask_float'], attributes: [intAttribute('to', TensorDataType.FLOAT)] }),
    nodeProto({ opType: 'Unsqueeze', inputs: ['mask_float'], outputs: ['mask_expanded'], attributes: [intsAttribute('axes', [-1])] }),
    nodeProto({ opType: 'Mul', inputs: ['token_embeddings', 'mask_expanded'], outputs: ['last_hidden_state'] }),
  ];
  let initializers: Uint8Array[];
  if (quantized) {
    // Symmetric range around zero point 128: zero rows stay exactly zero and +v/-v stay mirror images,
    // so each sign-vector row keeps its direction and only its length is rounded.
    const maxAbs = table.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const scale = maxAbs / 127 || 1;
    const zeroPoint = 128;
    const q = Uint8Array.from(table, (v) => Math.round(v / scale) + zeroPoint);
    nodes.unshift(
      nodeProto({ opType: 'DequantizeLinear', inputs: ['embeddings_quantized', 'embeddings_scale', 'embeddings_zero_point'], outputs: ['embeddings'] }),
    );
    initializers = [
      tensorProto({ name: 'embeddings_quantized', dataType: TensorDataType.UINT8, dims: [vocabSize, dims], rawData: q }),
      tensorProto({ name: 'embeddings_scale', dataType: TensorDataType.FLOAT, dims: [], rawData: floatBytes(Float32Array.of(scale)) }),
      tensorProto({ name: 'embeddings_zero_point', dataType: TensorDataType.UINT8, dims: [], rawData: Uint8Array.of(zeroPoint) }),
    ];
  } else {
    initializers = [tensorProto({ name: 'embeddings', dataType: TensorDataType.FLOAT, dims: [vocabSize, dims], rawData: floatBytes(table) })];
  }
  const graph = graphProto({
    name: quantized ? 'tiny_bert_embeddings_q8' : 'tiny_bert_embeddings',
    nodes,
    initializers,
    inputs: ['input_ids', 'attention_mask'].map((name) => valueInfoProto({ name, elemType: TensorDataType.INT64, shape: dynamic })),
    outputs: [valueInfoProto({ name: 'last_hidden_state', elemType: TensorDataType.FLOAT, shape: [...dynamic, dims] })],
  });
  return modelProto({ graph, producerName: 'dushanbe-quotes-bot test-model' });
}

/** HF tokenizers JSON for an uncased BERT WordPiece tokenizer over `vocab`. */
function tokenizerJson(vocab: readonly string[]): unknown {
  const id = (token: string) => vocab.indexOf(token);
  const special = (token: string, typeId: number) => ({ SpecialToken: { id: token, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]', 0)],
      pair: [special('[CLS]', 0), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]', 0), { Sequence: { id: 'B', type_id: 1 } }, special('[SEP]', 1)],
      special_tokens: Object.fromEntries(
        ['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((token, i) => [token, i])),
    },
  };
}

/** Write then rename: a process loading the model meanwhile sees the old file or the new one, never half of one. */
async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
