import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchModel } from '../../src/embedding/fetch-model.js';
import { createTransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { TEST_MODEL, TEST_MODELS_DIR, tempDir } from '../support/engine.js';

/**
 * A stand-in for the model hub on 127.0.0.1: serves the generated test model under
 * `/<org>/<name>/resolve/main/<file>`, as the hub does.
 */
let server: Server;
let hubUrl: string;
const requested: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    const match = /^\/local\/tiny\/resolve\/main\/(.+)$/.exec(req.url ?? '');
    const file = match?.[1] ? join(TEST_MODELS_DIR, TEST_MODEL, decodeURIComponent(match[1])) : undefined;
    if (!file || file.includes('..') || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200);
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('fetchModel', () => {
  it('caches a model in the layout MODELS_DIR expects, so it then loads with the network off', async () => {
    // transformers.js keeps its hub address in a module-level setting; point it at the stand-in.
    const { env } = await import('@huggingface/transformers');
    const previousHost = env.remoteHost;
    env.remoteHost = hubUrl;
    const { dir, cleanup } = await tempDir('model-cache-');
    try {
      const fetched = await fetchModel({ model: 'local/tiny', cacheDir: dir });
      expect(fetched).toMatchObject({ modelId: 'local/tiny', modelsDir: dir });
      expect(fetched.dimensions).toBeGreaterThan(0);
      for (const file of ['config.json', 'tokenizer.json', 'onnx/model.onnx']) expect(existsSync(join(dir, 'local', 'tiny', file)), file).toBe(true);

      // Stop the hub: the cached copy alone must be enough.
      env.remoteHost = 'http://127.0.0.1:9/';
      const before = requested.length;
      const offline = await createTransformersEmbedder({ model: 'local/tiny', modelsDir: dir });
      const [vector] = await offline.embed(['trade with Central Asia']);
      await offline.dispose();
      expect(vector?.length).toBe(fetched.dimensions);
      expect(requested.length).toBe(before);
    } finally {
      env.remoteHost = previousHost;
      await cleanup();
    }
  });
});
