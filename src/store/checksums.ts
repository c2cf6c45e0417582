import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { IndexError } from '../core/errors.js';
import type { StoredItem } from './records.js';

/**
 * What a build records about its own files: the sha256 of every file it writes (by name), and
 * of the manifest itself, so that a damaged or edited index is refused rather than quoted.
 */
export interface Integrity {
  algorithm: 'sha256';
  /** File name in the build folder -> hex digest of its bytes. */
  files: Record<string, string>;
  /** Digest of the manifest as JSON with this field left out (see `sealManifest`). */
  manifest: string;
}

/** Hex sha256 of a file, read as a stream (an index may be larger than a string can hold). */
export async function digestFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  // Large reads: an index may be hundreds of megabytes, hashed at every start.
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The same digest as `digestFile`, computed on another thread. */
const DIGEST_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
(async () => {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(workerData, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk);
  parentPort.postMessage(hash.digest('hex'));
})().catch((error) => setImmediate(() => { throw error; }));
`;

/**
 * `digestFile` on a worker thread, so a large file is hashed on a second core while this one
 * does other work (at start, index.json is most of the bytes but none of what is loaded).
 */
export function digestFileOffThread(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(DIGEST_WORKER, { eval: true, workerData: path });
    worker.once('message', (digest: string) => resolve(digest));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`hashing ${path} stopped (exit ${code})`)));
  });
}

/** The manifest with its `integrity`: the files' digests and the manifest's own. */
export function sealManifest<M extends object>(options: { manifest: M; files: Record<string, string> }): M & { integrity: Integrity } {
  const { manifest, files } = options;
  const unsealed = { ...manifest, integrity: { algorithm: 'sha256' as const, files } };
  return { ...manifest, integrity: { ...unsealed.integrity, manifest: digestJson(unsealed) } };
}

/**
 * Refuses a manifest (as parsed from its file) whose content differs from what its build
 * wrote, or that has no checksums (written by a version before them).
 */
export function checkManifestSeal(options: { json: unknown; path: string }): Integrity {
  const { json, path } = options;
  const integrity = (json as { integrity?: Partial<Integrity> } | null)?.integrity;
  if (!integrity || integrity.algorithm !== 'sha256' || typeof integrity.manifest !== 'string' || typeof integrity.files !== 'object' || integrity.files === null) {
    throw new IndexError(`the index manifest ${path} has no checksums (built by an older version, or damaged); rebuild with npm run build-index`);
  }
  const { manifest: claimed, ...rest } = integrity;
  // JSON.parse keeps key order, so this is the text the build hashed, whatever the indentation.
  if (digestJson({ ...(json as object), integrity: rest }) !== claimed) {
    throw new IndexError(`the index manifest ${path} is damaged: it differs from the checksum recorded when it was built; rebuild with npm run build-index`);
  }
  return integrity as Integrity;
}

/** The digest recorded for one file of the build; a sealed manifest has one for each file. */
export function recordedDigest(options: { integrity: Integrity; file: string; folder: string }): string {
  const digest = options.integrity.files[options.file];
  if (typeof digest !== 'string') {
    throw new IndexError(`the index manifest in ${options.folder} has no checksum for ${options.file}; rebuild with npm run build-index`);
  }
  return digest;
}

/**
 * True when every stored text (chunks and sentences carry theirs) is exactly the article's text
 * at its offsets: a build reuses an article's items only then, so an edited index can never
 * pass a quote that differs from the corpus file on to the next build.
 */
export function storedTextMatches(items: readonly StoredItem[], body: string): boolean {
  return items.every((item) => {
    const { text, start, end } = item.metadata as { text?: unknown; start: number; end: number };
    return typeof text !== 'string' || body.slice(start, end) === text;
  });
}

function digestJson(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
