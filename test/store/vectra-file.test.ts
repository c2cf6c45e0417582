import { isAscii } from 'node:buffer';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredItem } from '../../src/store/records.js';
import { loadVectraItems, storedVector, writeVectraIndex } from '../../src/store/vectra-file.js';
import { tempDir } from '../support/engine.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function folder(): Promise<string> {
  const { dir, cleanup } = await tempDir('vectra-file-');
  cleanups.push(cleanup);
  return dir;
}

function item(id: string, vector: Float32Array, text = `text of ${id} “quoted”\nsecond line`): StoredItem {
  return { id, metadata: { kind: 'sentence', articleId: 'a', chunkIndex: 0, start: 0, end: text.length, text }, vector };
}

describe('storedVector', () => {
  it.each([
    { name: 'small and large magnitudes', values: [0.0513233133, -1.5e-7, 123.456, 1, 0, 3.4e38, 1e-40] },
    { name: 'values near powers of ten', values: [0.001, 0.01, 0.1, 10, 0.099999994] },
  ])('gives back exactly the same float32 components: $name', ({ values }) => {
    const f32 = Float32Array.from(values);
    const stored = storedVector(f32);
    expect(Float32Array.from(stored)).toEqual(f32);
    for (const v of stored) expect(String(v).replace(/^-|e.*$/g, '').replace(/^0\.0*/, '').replace('.', '').length).toBeLessThanOrEqual(9);
  });

  it('is idempotent', () => {
    const once = storedVector(Float32Array.from([0.1, -0.2, 0.333333333]));
    expect(storedVector(Float32Array.from(once))).toEqual(once);
  });
});

describe('index.json', () => {
  it('round-trips items one per line, and a rewrite of read items is byte-identical', async () => {
    const dir = await folder();
    const items = [item('a#s0', Float32Array.from([0.6, 0.8])), item('a#s1', Float32Array.from([0, 1]))];
    await writeVectraIndex({ folder: dir, items });
    const first = await readFile(join(dir, 'index.json'), 'utf8');
    expect(first.split('\n')).toHaveLength(4);
    // Curly quotes are escaped: the file is pure ASCII, the parsed text is unchanged.
    expect(isAscii(Buffer.from(first))).toBe(true);
    expect(first).toContain('\\u201c');
    expect(JSON.parse(first)).toMatchObject({ version: 1, items: [{ id: 'a#s0', norm: expect.closeTo(1, 6) }, { id: 'a#s1', norm: 1 }] });
    const read = await loadVectraItems(dir, { keepLines: true });
    expect(read).toEqual(items);
    const again = await folder();
    await writeVectraIndex({ folder: again, items: read });
    expect(await readFile(join(again, 'index.json'), 'utf8')).toBe(first);
  });

  it('reads an index written as a single JSON line (older builds)', async () => {
    const dir = await folder();
    const items = [item('b#s0', Float32Array.from([0.25, 0.5]))];
    await writeFile(join(dir, 'index.json'), JSON.stringify({ version: 1, metadata_config: {}, items: items.map((i) => ({ ...i, vector: Array.from(i.vector), norm: 0.5 })) }));
    expect(await loadVectraItems(dir)).toEqual(items);
  });

  it.each([
    { name: 'cut off mid-file', cut: (text: string) => text.slice(0, Math.floor(text.length / 2)) },
    { name: 'missing its closing line', cut: (text: string) => text.slice(0, text.lastIndexOf('\n')) },
  ])('refuses a file $name', async ({ cut }) => {
    const dir = await folder();
    await writeVectraIndex({ folder: dir, items: [item('c#s0', Float32Array.from([1, 0])), item('c#s1', Float32Array.from([0, 1]))] });
    const path = join(dir, 'index.json');
    await writeFile(path, cut(await readFile(path, 'utf8')));
    await expect(loadVectraItems(dir)).rejects.toThrow();
  });
});
