import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineHolder } from '../../src/app/serving/engine-holder.js';
import { createTestEngine } from '../support/engine.js';
import { createHarness, tagsBalanced } from '../support/bot-harness.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

function unescapeHtml(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

describe('bot on the real engine', () => {
  let fixture: Awaited<ReturnType<typeof createTestEngine>>;
  let corpus: string;

  beforeAll(async () => {
    fixture = await createTestEngine();
    const names = (await readdir(SEED_CORPUS)).filter((n) => n.endsWith('.md'));
    corpus = (await Promise.all(names.map((n) => readFile(join(SEED_CORPUS, n), 'utf8')))).join('\n').replace(/\s+/g, ' ');
  });
  afterAll(async () => {
    await fixture?.close();
  });

  const harness = () =>
    createHarness({
      engines: createEngineHolder({ initial: { engine: fixture.engine, build: fixture.build }, indexDir: fixture.indexDir, embedder: fixture.embedder }),
    });

  it('quotes articles verbatim and names each quote’s outlet', async () => {
    const h = harness();
    await h.privateText("How much was Russia's trade with the five Central Asian states last year?");
    const text = h.texts()[0] ?? '';
    expect(tagsBalanced(text)).toBe(true);
    const quotes = [...text.matchAll(/<blockquote>([^<]*)<\/blockquote>\n— <b>([^<]+)<\/b>/g)];
    expect(quotes.length).toBeGreaterThan(0);
    const outlets = new Set(fixture.engine.info.sources.map((s) => s.outlet));
    for (const [, quote = '', outlet = ''] of quotes) {
      // A trimmed quote marks each cut with "…", at either end or between two parts.
      const fragments = unescapeHtml(quote).split(/\s*…\s*/).filter((f) => f !== '');
      expect(fragments.length).toBeGreaterThan(0);
      for (const fragment of fragments) expect(corpus).toContain(fragment.replace(/\s+/g, ' '));
      expect(outlets).toContain(unescapeHtml(outlet));
    }
  });

  it('tells the real index size in /about', async () => {
    const h = harness();
    await h.privateText('/about');
    expect(h.texts()[0]).toContain(`Articles: ${fixture.engine.info.articles}; passages (chunks): ${fixture.engine.info.chunks}`);
  });
});
