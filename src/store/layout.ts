import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * On-disk layout of INDEX_DIR. Each build is a complete folder under `builds/`; the one-line
 * file `CURRENT` names the live build. Replacing `CURRENT` by rename is atomic, so a reader
 * sees either the old build or the new one, never a half-written index.
 */
export const CURRENT_FILE = 'CURRENT';
export const BUILDS_DIR = 'builds';
export const MANIFEST_FILE = 'manifest.json';
/** What question words may stand for in this corpus (WordNet, computed at build time). */
export const LEXICON_FILE = 'lexicon.json';

export function buildPath(options: { indexDir: string; build: string }): string {
  return join(options.indexDir, BUILDS_DIR, options.build);
}

/** A fresh, sortable build folder name. */
export function newBuildName(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
}

/** The live build's folder name, or undefined when no index has been built. */
export async function readCurrent(indexDir: string): Promise<string | undefined> {
  try {
    const name = (await readFile(join(indexDir, CURRENT_FILE), 'utf8')).trim();
    return /^[\w-]+$/.test(name) ? name : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Points CURRENT at a build: write a temporary file, then rename it over the old one. */
export async function writeCurrent(options: { indexDir: string; build: string }): Promise<void> {
  const tmp = join(options.indexDir, `${CURRENT_FILE}.${process.pid}.tmp`);
  await writeFile(tmp, `${options.build}\n`);
  await rename(tmp, join(options.indexDir, CURRENT_FILE));
}
