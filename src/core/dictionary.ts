import { readFile } from 'node:fs/promises';
import wordListPath from 'word-list';

/**
 * English words, lower case. A question word found here is a real word, not a typo, so it is
 * never "repaired" into a corpus word ("flight" must not become "light").
 */
export async function loadEnglishWords(): Promise<ReadonlySet<string>> {
  const text = await readFile(wordListPath, 'utf8');
  return new Set(text.split('\n'));
}
