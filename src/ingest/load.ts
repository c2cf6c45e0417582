import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir, readlink, realpath } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import { CorpusError } from '../core/errors.js';
import { parseArticle, type Article } from './front-matter.js';

/** An article plus the hash of its file, which decides whether a rebuild must re-embed it. */
export interface LoadedArticle extends Article {
  hash: string;
}

/**
 * The largest article file accepted: 1 MiB, some twenty times a long news article. Keeps one
 * file from holding up a build or a reload for minutes, and says so instead of failing later.
 */
export const MAX_ARTICLE_BYTES = 1024 * 1024;

/**
 * Reads every `*.md` file of a corpus folder, in name order. A corpus with problems stops the
 * load with one line per bad file, each naming the file and all of its problems: a
 * half-indexed corpus would answer silently wrong, and fixing one problem per run is slow.
 *
 * Only regular files (or symbolic links to regular files inside the folder) are read: a FIFO
 * would block the read forever, a link may point anywhere. Text must be valid UTF-8 without
 * control characters, so what is quoted is exactly what the file says.
 */
export async function loadCorpus(options: { dir: string; maxArticleBytes?: number }): Promise<LoadedArticle[]> {
  const { dir, maxArticleBytes = MAX_ARTICLE_BYTES } = options;
  let names: string[];
  let root: string;
  try {
    names = (await readdir(dir)).filter((name) => /\.md$/i.test(name) && !name.startsWith('.'));
    root = await realpath(dir);
  } catch (cause) {
    throw new CorpusError(`cannot read the corpus folder ${dir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  if (names.length === 0) throw new CorpusError(`the corpus folder ${dir} has no .md articles`);
  names.sort();
  const articles: LoadedArticle[] = [];
  const bad: string[] = [];
  for (const name of names) {
    try {
      articles.push(await loadArticle({ dir, root, name, maxArticleBytes }));
    } catch (error) {
      if (!(error instanceof CorpusError)) throw error;
      bad.push(error.message);
    }
  }
  if (bad.length > 0) throw new CorpusError(bad.join('\n'));
  return articles;
}

async function loadArticle(options: { dir: string; root: string; name: string; maxArticleBytes: number }): Promise<LoadedArticle> {
  const { dir, root, name, maxArticleBytes } = options;
  const id = name.slice(0, -'.md'.length);
  const problems: string[] = [];
  if (!name.endsWith('.md')) problems.push(`article files must end in lower-case .md: rename it to ${id.toLowerCase()}.md`);
  else if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) problems.push('article file names must be lower-case letters, digits and dashes');
  const bytes = await readRegularFile({ path: join(dir, name), root, maxArticleBytes, problems }).catch((error: NodeJS.ErrnoException) => {
    problems.push(`cannot be read (${error.code ?? String(error)})`);
    return undefined;
  });
  if (bytes) problems.push(...textProblems(bytes));
  if (problems.length > 0 || !bytes) throw new CorpusError(`${name}: ${problems.join('; ')}`);
  const text = bytes.toString('utf8');
  return { ...parseArticle({ id, text, file: name }), hash: createHash('sha256').update(bytes).digest('hex') };
}

/** The file's bytes, or undefined with the reason in `problems` when it is no article file. */
async function readRegularFile(options: { path: string; root: string; maxArticleBytes: number; problems: string[] }): Promise<Buffer | undefined> {
  const { path, root, maxArticleBytes, problems } = options;
  if ((await lstat(path)).isSymbolicLink()) {
    const target = await readlink(path);
    let resolved: string;
    try {
      resolved = await realpath(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(code === 'ELOOP' ? `a symbolic link that loops (${target})` : `a symbolic link to ${target}, which does not exist`);
      return undefined;
    }
    const inside = relative(root, resolved);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      problems.push(`a symbolic link to ${target}, outside the corpus folder; copy the article into the folder instead`);
      return undefined;
    }
  }
  // Non-blocking, so that opening a FIFO returns at once; fstat then tells what it is.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      problems.push(`${info.isDirectory() ? 'a folder' : info.isFIFO() ? 'a FIFO (named pipe)' : info.isSocket() ? 'a socket' : 'a device'}, not an article file`);
      return undefined;
    }
    if (info.size > maxArticleBytes) {
      problems.push(`${info.size.toLocaleString('en')} bytes, over the limit of ${maxArticleBytes.toLocaleString('en')} bytes per article; split it or remove what is not article text`);
      return undefined;
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Invalid UTF-8 (which would be read as U+FFFD) and control characters, with their lines. */
function textProblems(bytes: Buffer): string[] {
  const problem = textProblem(bytes);
  if (!problem) return [];
  if (problem.kind === 'invalid-utf8') return [`not valid UTF-8 (line ${problem.line}, byte ${problem.offset}); save the file as UTF-8`];
  return [`a control character ${problem.code}${problem.code === 'U+0000' ? ' (NUL)' : ''} on line ${problem.line}; remove it`];
}

/** Why bytes are not text the corpus accepts: the first bad byte, with its 1-based line. */
export type TextProblem = { kind: 'invalid-utf8'; offset: number; line: number } | { kind: 'control'; offset: number; line: number; code: string };

/**
 * The first reason bytes are not corpus text, or undefined: not well-formed UTF-8, or a control
 * character other than tab, line feed and carriage return (a NUL byte among them). Shared by the
 * corpus loader and add-article, which word it each for their reader.
 */
export function textProblem(bytes: Buffer): TextProblem | undefined {
  const invalid = isUtf8(bytes) ? undefined : firstInvalidUtf8(bytes);
  if (invalid !== undefined) return { kind: 'invalid-utf8', offset: invalid, line: lineAt(bytes, invalid) };
  // Tab, line feed and carriage return are text; other C0 controls and DEL are not.
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) {
      return { kind: 'control', offset: i, line: lineAt(bytes, i), code: `U+${b.toString(16).toUpperCase().padStart(4, '0')}` };
    }
  }
  return undefined;
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that is not part of well-formed UTF-8, or undefined. */
function firstInvalidUtf8(bytes: Buffer): number | undefined {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte: sequence length and the allowed range of the second byte (no overlongs,
    // no surrogates, nothing above U+10FFFF).
    const [length, low, high] =
      b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf]
      : b === 0xe0 ? [3, 0xa0, 0xbf]
      : b === 0xed ? [3, 0x80, 0x9f]
      : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf]
      : b === 0xf0 ? [4, 0x90, 0xbf]
      : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf]
      : b === 0xf4 ? [4, 0x80, 0x8f]
      : [0, 0, 0];
    if (length === 0 || i + length > bytes.length) return i;
    const second = bytes[i + 1] ?? 0;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k] ?? 0;
      if (next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return undefined;
}
