import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GENERIC_ABOUT, loadCorpusAbout } from '../../src/ingest/about.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});
const withAbout = async (text: string | undefined): Promise<string> => {
  const made = await mkdtemp(join(tmpdir(), 'about-'));
  dir = made;
  if (text !== undefined) await writeFile(join(made, 'about.json'), text);
  return made;
};

describe('the corpus describes itself (about.json)', () => {
  it('the project corpus says what it covers, its topics and example questions, in English and Russian', async () => {
    const about = await loadCorpusAbout(SEED_CORPUS);
    expect(about.description.en).toMatch(/Dushanbe/);
    expect(about.examples.en?.length).toBeGreaterThan(2);
    expect(about.description.ru).toBeDefined();
  });

  it('a corpus without one gets a generic description', async () => {
    expect(await loadCorpusAbout(await withAbout(undefined))).toEqual(GENERIC_ABOUT);
  });

  it.each([
    ['not JSON', '{', /about\.json: not valid JSON/],
    ['no English', JSON.stringify({ description: { ru: 'x' }, topics: { en: 'y' }, examples: { en: [] } }), /about\.json: "description" must map languages/],
    ['examples not a list', JSON.stringify({ description: { en: 'x' }, topics: { en: 'y' }, examples: { en: 'q' } }), /"examples" must map languages/],
  ])('%s is refused in one line naming the file', async (_name, text, message) => {
    await expect(loadCorpusAbout(await withAbout(text))).rejects.toThrow(message);
  });
});
