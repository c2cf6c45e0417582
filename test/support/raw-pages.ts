import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Pasted web pages (invented articles in distinct site styles) and what add-article must make of them. */
export const RAW_PAGES = 'test/fixtures/raw-pages';

/** What a fixture page must give: its front matter, its body line by line, and its clutter. */
export interface RawPageExpectation {
  outlet: string;
  title: string;
  date: string | null;
  byline: string | null;
  /** Every line the article file's body must hold, in order: headline, byline, paragraphs. */
  body: string[];
  /** Lines of the page that are clutter and must not be left in the body. */
  clutter: string[];
}

export interface RawPage {
  name: string;
  file: string;
  text: string;
  expected: RawPageExpectation;
}

/** Every fixture page with its sidecar `<name>.expected.json`. */
export function rawPages(): RawPage[] {
  return readdirSync(RAW_PAGES)
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => {
      const name = n.slice(0, -'.txt'.length);
      const file = join(RAW_PAGES, n);
      return { name, file, text: readFileSync(file, 'utf8'), expected: JSON.parse(readFileSync(join(RAW_PAGES, `${name}.expected.json`), 'utf8')) as RawPageExpectation };
    });
}
