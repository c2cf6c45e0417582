import { cp, mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEngineConfig } from '../../src/app/config.js';
import type { Embedder } from '../../src/embedding/embedder.js';
import { createEngineFromConfig, loadEngine } from '../../src/app/serving/load-engine.js';
import { createEngineHolder } from '../../src/app/serving/engine-holder.js';
import { isExpectedError } from '../../src/core/errors.js';
import { digestFile, sealManifest } from '../../src/store/checksums.js';
import { BUILDS_DIR, CURRENT_FILE, MANIFEST_FILE, readCurrent, writeCurrent } from '../../src/store/layout.js';
import { createRng } from '../../tools/fuzz.js';
import { loadTestEmbedder, TEST_MODEL, TEST_MODELS_DIR } from '../support/engine.js';
import { createIndexFixture } from '../support/index-fixture.js';
import { runCli } from '../support/cli.js';

const QUESTION = 'How much trade did Russia do with Central Asia?';

let embedder: Embedder;
let fixture: Awaited<ReturnType<typeof createIndexFixture>>;

beforeAll(async () => {
  embedder = await loadTestEmbedder();
  fixture = await createIndexFixture({ embedder });
});

afterAll(async () => {
  await embedder?.dispose();
  await fixture?.cleanup();
});

/** Random bytes from a fixed seed: the same "disk damage" on every run. */
function garbage(length: number, seed = 1): Buffer {
  const rng = createRng(seed);
  return Buffer.from(Array.from({ length }, () => rng.int(256)));
}

type Damage = (paths: { indexDir: string; build: string; folder: string }) => Promise<void>;

const editJson = (file: string, edit: (json: Record<string, unknown>) => unknown) => async (folder: string) => {
  const path = join(folder, file);
  const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  await writeFile(path, JSON.stringify(edit(json)));
};
const halve = (file: string) => async (folder: string) => {
  const path = join(folder, file);
  await truncate(path, Math.floor((await readFile(path)).length / 2));
};
type Items = Array<{ vector: number[]; metadata: Record<string, unknown> }>;
/**
 * Records the checksums of the edited files again, as a build would have: for damage that a
 * build could have written (another model, a counting bug), so the check behind the checksums
 * is the one tested.
 */
const reseal = async (folder: string): Promise<void> => {
  const path = join(folder, MANIFEST_FILE);
  const { integrity: _old, ...manifest } = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  await writeFile(path, JSON.stringify(sealManifest({ manifest, files: { 'index.json': await digestFile(join(folder, 'index.json')), 'lexicon.json': await digestFile(join(folder, 'lexicon.json')) } })));
};
/** A consistent build as another model with 384-dimensional vectors would have written it. */
const fromLargerModel = async (folder: string, modelId: string): Promise<void> => {
  await editJson(MANIFEST_FILE, (j) => ({ ...j, modelId, dimensions: 384 }))(folder);
  await editJson('index.json', (j) => {
    for (const item of j.items as Items) item.vector = [...item.vector, ...new Array<number>(128).fill(0)];
    return j;
  })(folder);
  await reseal(folder);
};

/** Damage to the live build's files, each with what the message must point at. */
const INDEX_DAMAGE: Array<{ name: string; damage: Damage; says: RegExp }> = [
  { name: 'index.json truncated', damage: ({ folder }) => halve('index.json')(folder), says: /damaged|does not match/ },
  { name: 'index.json empty', damage: ({ folder }) => truncate(join(folder, 'index.json'), 0), says: /damaged/ },
  { name: 'index.json random bytes', damage: ({ folder }) => writeFile(join(folder, 'index.json'), garbage(4096)), says: /damaged/ },
  { name: 'index.json missing', damage: ({ folder }) => rm(join(folder, 'index.json')), says: /missing|damaged/ },
  { name: 'index.json is null', damage: ({ folder }) => writeFile(join(folder, 'index.json'), 'null'), says: /damaged/ },
  {
    name: 'index.json lost items',
    damage: ({ folder }) => editJson('index.json', (j) => ({ ...j, items: (j.items as Items).slice(0, 10) }))(folder),
    says: /does not match its manifest/,
  },
  {
    name: 'index.json vector cut short',
    damage: ({ folder }) =>
      editJson('index.json', (j) => {
        const items = j.items as Items;
        items[3] = { ...(items[3] as Items[number]), vector: [0.1, 0.2] };
        return j;
      })(folder),
    says: /does not match its manifest/,
  },
  {
    name: 'index.json item text replaced by a number',
    damage: ({ folder }) =>
      editJson('index.json', (j) => {
        const items = j.items as Items;
        const item = items[5] as Items[number];
        items[5] = { ...item, metadata: { ...item.metadata, text: 42 } };
        return j;
      })(folder),
    says: /damaged|does not match/,
  },
  {
    name: 'index.json item without metadata',
    damage: ({ folder }) =>
      editJson('index.json', (j) => {
        const items = j.items as Array<Record<string, unknown>>;
        delete items[7]?.metadata;
        return j;
      })(folder),
    says: /damaged|does not match/,
  },
  { name: 'manifest truncated', damage: ({ folder }) => halve(MANIFEST_FILE)(folder), says: /manifest .* damaged/ },
  { name: 'manifest missing', damage: ({ folder }) => rm(join(folder, MANIFEST_FILE)), says: /manifest .* missing/ },
  { name: 'manifest random bytes', damage: ({ folder }) => writeFile(join(folder, MANIFEST_FILE), garbage(512, 2)), says: /manifest .* damaged/ },
  { name: 'manifest is an empty object', damage: ({ folder }) => writeFile(join(folder, MANIFEST_FILE), '{}'), says: /manifest .* damaged/ },
  { name: 'manifest is an array', damage: ({ folder }) => writeFile(join(folder, MANIFEST_FILE), '[1,2]'), says: /manifest .* damaged/ },
  {
    name: 'manifest articles not a list of articles',
    damage: ({ folder }) => editJson(MANIFEST_FILE, (j) => ({ ...j, articles: [1, null, 'x'] }))(folder),
    says: /manifest .* damaged|does not match/,
  },
  {
    name: 'manifest counts disagree with the items',
    damage: async ({ folder }) => {
      await editJson(MANIFEST_FILE, (j) => ({ ...j, counts: { articles: 5, chunks: 1, sentences: 1, items: 2 } }))(folder);
      await reseal(folder);
    },
    says: /does not match its manifest/,
  },
  {
    name: 'manifest from another model of the same size',
    damage: async ({ folder }) => {
      await editJson(MANIFEST_FILE, (j) => ({ ...j, modelId: 'other/model-256' }))(folder);
      await reseal(folder);
    },
    says: /built with other\/model-256 \(256 dims\) but EMBEDDING_MODEL is test-tiny-bert \(256 dims\)/,
  },
  {
    name: 'index and manifest from another, larger model',
    damage: ({ folder }) => fromLargerModel(folder, 'Xenova/all-MiniLM-L6-v2'),
    says: /built with Xenova\/all-MiniLM-L6-v2 \(384 dims\) but EMBEDDING_MODEL is test-tiny-bert \(256 dims\)/,
  },
  {
    name: 'manifest from the same model name with other dimensions',
    damage: ({ folder }) => fromLargerModel(folder, TEST_MODEL),
    says: /\(384 dims\) but EMBEDDING_MODEL is test-tiny-bert \(256 dims\)/,
  },
  { name: 'CURRENT names a missing build', damage: ({ indexDir }) => writeCurrent({ indexDir, build: '20990101-000000-000000' }), says: /missing/ },
  { name: 'CURRENT is garbage', damage: ({ indexDir }) => writeFile(join(indexDir, CURRENT_FILE), garbage(64, 3)), says: /no index .* build-index/ },
  { name: 'CURRENT is empty', damage: ({ indexDir }) => writeFile(join(indexDir, CURRENT_FILE), ''), says: /no index .* build-index/ },
  { name: 'CURRENT is a folder', damage: async ({ indexDir }) => {
      await rm(join(indexDir, CURRENT_FILE));
      await mkdir(join(indexDir, CURRENT_FILE));
    }, says: /cannot read the index/ },
  { name: 'builds folder gone', damage: ({ indexDir }) => rm(join(indexDir, BUILDS_DIR), { recursive: true }), says: /missing/ },
  { name: 'INDEX_DIR gone', damage: ({ indexDir }) => rm(indexDir, { recursive: true }), says: /no index .* build-index/ },
];

/** An index copy with one kind of damage; returns INDEX_DIR. */
async function damagedIndex(damage: Damage): Promise<string> {
  const indexDir = await fixture.copyIndex();
  const build = (await readCurrent(indexDir)) ?? '';
  await damage({ indexDir, build, folder: join(indexDir, BUILDS_DIR, build) });
  return indexDir;
}

/** One line, naming the fix: what an operator needs to act on. */
function expectOneClearLine(error: unknown, says: RegExp): void {
  expect(isExpectedError(error), `not an expected error: ${error instanceof Error ? error.stack : String(error)}`).toBe(true);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  expect(message).toMatch(says);
  expect(message).toMatch(/rebuild with npm run build-index|run npm run build-index|set EMBEDDING_MODEL|npm run test-model|replace .* with a complete copy/);
}

describe('start-up with a damaged index', () => {
  it.each(INDEX_DAMAGE)('$name: fails with one clear line', async ({ damage, says }) => {
    const indexDir = await damagedIndex(damage);
    const config = parseEngineConfig({ MODELS_DIR: TEST_MODELS_DIR, EMBEDDING_MODEL: TEST_MODEL, INDEX_DIR: indexDir });
    const error = await createEngineFromConfig({ config }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expectOneClearLine(error, says);
  });
});

describe('hot reload onto a damaged index keeps the old one', () => {
  it.each(INDEX_DAMAGE)('$name', async ({ damage }) => {
    const indexDir = await fixture.copyIndex();
    const initial = await loadEngine({ indexDir, embedder });
    const holder = createEngineHolder({ initial, indexDir, embedder });
    const before = await holder.current.answer(QUESTION);
    // A new build appears and is damaged: copy the live one under a new name, switch, damage.
    const build = '20990101-000000-abcdef';
    await cp(join(indexDir, BUILDS_DIR, initial.build), join(indexDir, BUILDS_DIR, build), { recursive: true });
    await writeCurrent({ indexDir, build });
    await damage({ indexDir, build, folder: join(indexDir, BUILDS_DIR, build) });
    const result = await holder.reload();
    expect(result.status).toBe('failed');
    expect(holder.build).toBe(initial.build);
    expect(await holder.current.answer(QUESTION)).toEqual(before);
    expect(before.answered).toBe(true);
  });
});

/** A copy of the generated model folder, damaged one way; returns MODELS_DIR. */
async function damagedModel(damage: (modelFolder: string) => Promise<void>): Promise<string> {
  const modelsDir = join(fixture.root, `models-${Math.random().toString(36).slice(2)}`);
  const folder = join(modelsDir, TEST_MODEL);
  await cp(join(TEST_MODELS_DIR, TEST_MODEL), folder, { recursive: true });
  await damage(folder);
  return modelsDir;
}

const MODEL_DAMAGE: Array<{ name: string; damage: (folder: string) => Promise<void>; says: RegExp }> = [
  { name: 'model folder missing', damage: (folder) => rm(folder, { recursive: true }), says: /not in MODELS_DIR=.*npm run test-model/ },
  { name: 'ONNX file missing', damage: (folder) => rm(join(folder, 'onnx', 'model.onnx')), says: /missing .*model\.onnx/ },
  { name: 'ONNX file random bytes', damage: (folder) => writeFile(join(folder, 'onnx', 'model.onnx'), garbage(20_000, 4)), says: /cannot load embedding model test-tiny-bert .*; replace .*test-tiny-bert with a complete copy of the model \(run `npm run test-model`/ },
  { name: 'ONNX file truncated', damage: (folder) => halve(join('onnx', 'model.onnx'))(folder), says: /cannot load embedding model test-tiny-bert .*; replace .*test-tiny-bert with a complete copy of the model \(run `npm run test-model`/ },
  { name: 'ONNX file empty', damage: (folder) => truncate(join(folder, 'onnx', 'model.onnx'), 0), says: /cannot load embedding model test-tiny-bert .*; replace .*test-tiny-bert with a complete copy of the model \(run `npm run test-model`/ },
  { name: 'tokenizer.json missing', damage: (folder) => rm(join(folder, 'tokenizer.json')), says: /missing .*tokenizer\.json/ },
  { name: 'tokenizer.json damaged', damage: (folder) => halve('tokenizer.json')(folder), says: /cannot load embedding model test-tiny-bert .*; replace .*test-tiny-bert with a complete copy of the model \(run `npm run test-model`/ },
  { name: 'config.json damaged', damage: (folder) => writeFile(join(folder, 'config.json'), '{"model_type":'), says: /cannot load embedding model test-tiny-bert .*; replace .*test-tiny-bert with a complete copy of the model \(run `npm run test-model`/ },
];

describe('start-up with a damaged model', () => {
  it.each(MODEL_DAMAGE)('$name: fails with one clear line', async ({ damage, says }) => {
    const modelsDir = await damagedModel(damage);
    const indexDir = await fixture.copyIndex();
    const config = parseEngineConfig({ MODELS_DIR: modelsDir, EMBEDDING_MODEL: TEST_MODEL, INDEX_DIR: indexDir });
    const error = await createEngineFromConfig({ config }).then(
      (loaded) => loaded.embedder.dispose(),
      (e: unknown) => e,
    );
    expectOneClearLine(error, says);
  });
});

/** The ask CLI in one node process, as `npm run ask` runs it. */
function runAsk(env: Record<string, string>) {
  return runCli({ args: ['ask', QUESTION], env: { LOG_LEVEL: 'silent', ...env } });
}

describe('the ask CLI on a damaged index or model', () => {
  const CASES: Array<{ name: string; setup: () => Promise<Record<string, string>> }> = [
    {
      name: 'truncated index.json',
      setup: async () => ({ INDEX_DIR: await damagedIndex(({ folder }) => halve('index.json')(folder)), MODELS_DIR: TEST_MODELS_DIR }),
    },
    {
      name: 'manifest from another model',
      setup: async () => ({
        INDEX_DIR: await damagedIndex(({ folder }) => fromLargerModel(folder, 'Xenova/bge-small-en-v1.5')),
        MODELS_DIR: TEST_MODELS_DIR,
      }),
    },
    {
      name: 'missing model folder',
      setup: async () => ({ INDEX_DIR: await fixture.copyIndex(), MODELS_DIR: await damagedModel((f) => rm(f, { recursive: true })) }),
    },
    {
      name: 'damaged ONNX file',
      setup: async () => ({
        INDEX_DIR: await fixture.copyIndex(),
        MODELS_DIR: await damagedModel((f) => writeFile(join(f, 'onnx', 'model.onnx'), garbage(20_000, 5))),
      }),
    },
  ];

  it.each(CASES)('$name: exits 1 with one error line and no stack', async ({ setup }) => {
    const env = await setup();
    const { code, stdout, stderr } = await runAsk({ EMBEDDING_MODEL: TEST_MODEL, ...env });
    expect(code, stderr).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('npm warn'));
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('answers normally with the undamaged index and model (the control case)', async () => {
    const { code, stdout } = await runAsk({ EMBEDDING_MODEL: TEST_MODEL, INDEX_DIR: await fixture.copyIndex(), MODELS_DIR: TEST_MODELS_DIR });
    expect(code).toBe(0);
    expect(stdout).toContain('—');
  }, 30_000);
});
