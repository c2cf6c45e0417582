import { execFileSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/ingest/load.js';
import { CorpusError } from '../../src/core/errors.js';
import { tempDir } from '../support/engine.js';
import { runCli } from '../support/cli.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const GOOD = `---
title: "Putin urges trade"
outlet: ThePrint (Reuters)
date: 2025-10-09
byline: null
url: null
event: "October 2025 visit"
---
Putin urged Central Asian states to trade more with Russia. He spoke in Dushanbe.
`;

/** A corpus folder holding one good article and whatever `setup` adds. */
async function corpusWith(setup: (dir: string, outside: string) => Promise<void>): Promise<string> {
  const { dir: root, cleanup } = await tempDir('corpus-edge-');
  cleanups.push(cleanup);
  const dir = join(root, 'corpus');
  const outside = join(root, 'elsewhere');
  await mkdir(dir);
  await mkdir(outside);
  await writeFile(join(dir, 'good.md'), GOOD);
  await setup(dir, outside);
  return dir;
}

async function loadError(dir: string): Promise<CorpusError> {
  const error = await loadCorpus({ dir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CorpusError);
  return error as CorpusError;
}

const withFrontMatter = (lines: string) => `---\n${lines}\n---\nPutin spoke in Dushanbe. Trade grew.\n`;

describe('#8 corpus edge cases: each gets one clear line naming the file', () => {
  it.each([
    {
      name: 'a .md symlink to a folder',
      setup: async (dir: string) => {
        await mkdir(join(dir, 'sub'));
        await symlink(join(dir, 'sub'), join(dir, 'x.md'));
      },
      says: /^x\.md: a folder, not an article file$/,
    },
    { name: 'a dangling symlink', setup: (dir: string) => symlink(join(dir, 'gone.txt'), join(dir, 'x.md')), says: /^x\.md: a symbolic link to .*gone\.txt, which does not exist$/ },
    {
      name: 'a FIFO named x.md (read without hanging)',
      setup: async (dir: string) => void execFileSync('mkfifo', [join(dir, 'x.md')]),
      says: /^x\.md: a FIFO \(named pipe\), not an article file$/,
    },
    {
      name: 'a symlink pointing outside the corpus folder',
      setup: async (dir: string, outside: string) => {
        await writeFile(join(outside, 'secret.md'), GOOD.replace('Putin urged', 'Secret text:'));
        await symlink(join(outside, 'secret.md'), join(dir, 'x.md'));
      },
      says: /^x\.md: a symbolic link to .*secret\.md, outside the corpus folder; copy the article into the folder instead$/,
    },
    { name: 'an upper-case .MD extension', setup: (dir: string) => writeFile(join(dir, 'Extra.MD'), GOOD), says: /^Extra\.MD: article files must end in lower-case \.md: rename it to extra\.md$/ },
    { name: 'a day that does not exist', setup: (dir: string) => writeFile(join(dir, 'x.md'), GOOD.replace('2025-10-09', '2025-02-30')), says: /^x\.md: date must be a real day as YYYY-MM-DD, or null, got "2025-02-30"$/ },
    {
      name: 'a repeated key',
      setup: (dir: string) => writeFile(join(dir, 'x.md'), GOOD.replace('byline: null', 'date: 2025-10-10')),
      says: /^x\.md: front matter repeats "date" \(lines 4 and 5\); keep one$/,
    },
    {
      name: 'a misspelt key',
      setup: (dir: string) => writeFile(join(dir, 'x.md'), GOOD.replace('date: 2025-10-09', 'daet: 2025-10-09')),
      says: /^x\.md: front matter key "daet" is not known \(did you mean "date"\?\); keys are title, outlet, date, date_note, byline, url, event$/,
    },
    {
      name: 'invalid UTF-8',
      setup: (dir: string) => writeFile(join(dir, 'x.md'), Buffer.concat([Buffer.from(GOOD), Buffer.from([0x54, 0x72, 0xe9, 0x73, 0x0a])])),
      says: /^x\.md: not valid UTF-8 \(line 10, byte \d+\); save the file as UTF-8$/,
    },
    { name: 'a NUL byte', setup: (dir: string) => writeFile(join(dir, 'x.md'), GOOD.replace('He spoke', 'He\u0000spoke')), says: /^x\.md: a control character U\+0000 \(NUL\) on line 9; remove it$/ },
    {
      name: 'a YAML anchor and alias',
      setup: (dir: string) => writeFile(join(dir, 'x.md'), GOOD.replace('title: "Putin urges trade"', 'title: &t "Putin urges trade"').replace('outlet: ThePrint (Reuters)', 'outlet: *t')),
      says: /^x\.md: front matter "title" starts with an anchor \("&"\), YAML syntax .*; front matter "outlet" starts with an alias \("\*"\), YAML syntax .*$/,
    },
  ])('$name', async ({ setup, says }) => {
    const dir = await corpusWith(setup);
    const error = await loadError(dir);
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(says);
  });

  it('a UTF-8 byte-order mark before the front matter is ignored, the body kept byte for byte', async () => {
    const dir = await corpusWith((d) => writeFile(join(d, 'bom.md'), `\uFEFF${GOOD}`));
    const bom = (await loadCorpus({ dir })).find((a) => a.id === 'bom');
    expect(bom).toMatchObject({ title: 'Putin urges trade', outlet: 'ThePrint (Reuters)', date: '2025-10-09' });
    expect(bom?.body).toBe('Putin urged Central Asian states to trade more with Russia. He spoke in Dushanbe.\n');
  });

  it('reads comments after values, single-quoted strings and symlinks inside the folder as documented', async () => {
    const dir = await corpusWith(async (d) => {
      await writeFile(join(d, 'commented.md'), withFrontMatter("title: 'Putin''s visit'   # as published\noutlet: TASS # wire\ndate: 2025-10-10   # YYYY-MM-DD\nevent: \"October 2025 visit\""));
      await symlink('good.md', join(d, 'linked.md'));
    });
    const articles = await loadCorpus({ dir });
    expect(articles.find((a) => a.id === 'commented')).toMatchObject({ title: "Putin's visit", outlet: 'TASS', date: '2025-10-10' });
    expect(articles.find((a) => a.id === 'linked')?.body).toBe(articles.find((a) => a.id === 'good')?.body);
  });

  it('reports every problem of a file at once, and every bad file, one line each', async () => {
    const dir = await corpusWith(async (d) => {
      await writeFile(join(d, 'a.md'), withFrontMatter('title: T\noutlte: O\ndate: 2025-13-01\ndate: null\nevent: E'));
      await writeFile(join(d, 'b.md'), 'no front matter');
    });
    const lines = (await loadError(dir)).message.split('\n');
    expect(lines).toEqual([
      'a.md: front matter key "outlte" is not known (did you mean "outlet"?); keys are title, outlet, date, date_note, byline, url, event; ' +
        'front matter repeats "date" (lines 4 and 5); keep one; front matter needs a non-empty "outlet"; date must be a real day as YYYY-MM-DD, or null, got "2025-13-01"',
      'b.md: missing front matter (the file must start with a --- block naming title, outlet and event)',
    ]);
  });

  it('build-index names a file of the corpus folder that is not an article, in one warning line, and indexes the rest', async () => {
    const dir = await corpusWith(async (d) => {
      await writeFile(join(d, 'x.md'), GOOD.replace('date: 2025-10-09', 'daet: 2025-10-09'));
      await writeFile(join(d, 'pasted from the site.txt'), 'Putin arrived in Dushanbe on Wednesday.');
    });
    const { dir: indexDir, cleanup } = await tempDir('corpus-edge-index-');
    cleanups.push(cleanup);
    const result = await runCli({ args: ['build-index'], env: { CORPUS_DIR: dir, INDEX_DIR: indexDir, MODELS_DIR: join(indexDir, 'no-models') } });
    const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toBe(`warning: ${join(dir, 'pasted from the site.txt')} is not an article and is not indexed: articles are .md files with front matter; to add a page copied from the browser, run npm run add-article -- '${join(dir, 'pasted from the site.txt')}' --outlet NAME --event LABEL`);
    expect(lines.filter((l) => l.startsWith('warning:'))).toHaveLength(1);
  });

  it('build-index reports a bad corpus before it loads the model', async () => {
    const dir = await corpusWith((d) => writeFile(join(d, 'x.md'), GOOD.replace('date: 2025-10-09', 'daet: 2025-10-09')));
    const { dir: indexDir, cleanup } = await tempDir('corpus-edge-index-');
    cleanups.push(cleanup);
    // No model exists here: reaching the model would fail with a model error instead.
    const result = await runCli({ args: ['build-index'], env: { CORPUS_DIR: dir, INDEX_DIR: indexDir, MODELS_DIR: join(indexDir, 'no-models') } });
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toEqual([expect.stringMatching(/^error: x\.md: front matter key "daet" is not known/)]);
    expect(await readFile(join(dir, 'x.md'), 'utf8')).toContain('daet');
  });
});
