import { createHash } from 'node:crypto';
import { appendFile, cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Embedder } from '../../src/embedding/embedder.js';
import { buildIndex } from '../../src/indexer/build-index.js';
import { copyTemplateIndex, TEST_MODEL, tempDir } from './engine.js';
import { SEED_CORPUS } from './seed-corpus.js';

/**
 * A good index of the real corpus built once, plus fresh copies of it for tests that break
 * things, and corpus copies with changed articles so the next build has work to do.
 */
export async function createIndexFixture(options: { embedder: Embedder }) {
  const root = await tempDir('quotes-faults-');
  const corpusDir = join(root.dir, 'corpus');
  await cp(SEED_CORPUS, corpusDir, { recursive: true });
  const templateDir = join(root.dir, 'template-index');
  // The run's template is the real corpus built with the generated model; another model builds its own.
  if (options.embedder.modelId === TEST_MODEL) await copyTemplateIndex(templateDir);
  else await buildIndex({ corpusDir, indexDir: templateDir, embedder: options.embedder });
  let copies = 0;
  return {
    root: root.dir,
    /** The unchanged corpus the template was built from. */
    corpusDir,
    /** A fresh INDEX_DIR holding a copy of the good index. */
    async copyIndex(): Promise<string> {
      const dir = join(root.dir, `index-${++copies}`);
      await cp(templateDir, dir, { recursive: true });
      return dir;
    },
    /**
     * A corpus copy whose first article (or every article) gained a paragraph; `copies` more
     * copies of every article, renamed and with every word altered (the build refuses the same
     * article twice), make a build long enough to interrupt mid-embedding.
     */
    async changedCorpus(change: { all: boolean; copies?: number }): Promise<string> {
      const dir = join(root.dir, `corpus-${++copies}`);
      await cp(corpusDir, dir, { recursive: true });
      const names = (await readdir(dir)).filter((n) => n.endsWith('.md')).sort();
      for (const name of change.all ? names : names.slice(0, 1)) {
        await appendFile(join(dir, name), '\n\nThe rebuild test added this paragraph about railway freight tariffs.\n');
      }
      for (let k = 1; k <= (change.copies ?? 0); k++) {
        for (const name of names) {
          const [, frontMatter = '', body = ''] = /^(---\n[\s\S]*?\n---\n)([\s\S]*)$/.exec(await readFile(join(dir, name), 'utf8')) ?? [];
          await writeFile(join(dir, name.replace(/\.md$/, `-copy-${k}.md`)), `${frontMatter}${body.replace(/\b[A-Za-z]{3,}\b/g, (word) => `${word}${'x'.repeat(k)}`)}`);
        }
      }
      return dir;
    },
    cleanup: root.cleanup,
  };
}

/** Every file under a folder with its sha256, to prove a folder was not touched. */
export async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return out;
}

/** An Embedder that fails on its (n+1)-th call, as a crash or a dying model would mid-build. */
export function failingEmbedder(options: { inner: Embedder; failAfterCalls: number; error?: Error }): Embedder & { calls: number } {
  const { inner, failAfterCalls, error = new Error('simulated crash while embedding') } = options;
  const wrapper = {
    modelId: inner.modelId,
    dimensions: inner.dimensions,
    calls: 0,
    async embed(texts: string[], embedOptions?: { kind?: 'query' | 'passage' }) {
      wrapper.calls++;
      if (wrapper.calls > failAfterCalls) throw error;
      return inner.embed(texts, embedOptions);
    },
    dispose: () => inner.dispose(),
  };
  return wrapper;
}
