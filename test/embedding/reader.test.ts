import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readerInput } from '../../src/embedding/reader.js';
import { createTransformersReader } from '../../src/embedding/transformers-reader.js';

describe('what the reader reads of a candidate', () => {
  const passage = { text: 'Putin arrived in Dushanbe on Wednesday.', outlet: 'ThePrint (Reuters)', date: '2025-10-09', years: [2025] };

  it('a reader trained on sentences reads the sentence alone', () => {
    expect(readerInput(passage, 'sentence')).toBe(passage.text);
  });

  it('a reader trained with the source reads the outlet and the day, written out, before the sentence', () => {
    expect(readerInput(passage, 'source')).toBe('ThePrint (Reuters), 9 October 2025: Putin arrived in Dushanbe on Wednesday.');
  });

  it("an article with no date is placed by its event's years; with neither, by its outlet alone", () => {
    expect(readerInput({ ...passage, outlet: 'Publisher not named', date: null, years: [2022] }, 'source')).toBe('Publisher not named, 2022: Putin arrived in Dushanbe on Wednesday.');
    expect(readerInput({ ...passage, outlet: 'CNewsLive', date: null, years: [] }, 'source')).toBe('CNewsLive: Putin arrived in Dushanbe on Wednesday.');
  });
});

describe('a reader folder', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A folder with every file a reader needs, its reader.json as given (the weights are never reached). */
  async function folderWith(readerJson: unknown): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'reader-folder-'));
    const folder = join(dir, 'test', 'reader');
    await mkdir(join(folder, 'onnx'), { recursive: true });
    for (const f of ['config.json', 'tokenizer.json', join('onnx', 'model_quantized.onnx')]) await writeFile(join(folder, f), '{}');
    await writeFile(join(folder, 'reader.json'), JSON.stringify(readerJson));
    return dir;
  }

  it('names what it reads beside the question; an unknown setting is refused, naming the file and the way to mend it', async () => {
    const modelsDir = await folderWith({ noneLogit: 0.1, context: 'headline' });
    await expect(createTransformersReader({ modelsDir, modelId: 'test/reader' })).rejects.toThrow(/reader\.json is damaged \(context must be one of sentence, source\); run npm run train-reader/);
  });

  it('a folder without reader.json is refused with what is missing', async () => {
    const modelsDir = await folderWith({ noneLogit: 0 });
    await rm(join(modelsDir, 'test', 'reader', 'reader.json'));
    await expect(createTransformersReader({ modelsDir, modelId: 'test/reader' })).rejects.toThrow(/missing .*reader\.json/);
  });
});
