/**
 * A worker thread that loads the embedding model and the live index and answers questions.
 * The bot runs its engine here so that loading a new index (tens of seconds for a large one)
 * never holds up the thread that talks to Telegram and serves /healthz: the old engine keeps
 * answering from its own worker until the new one is ready. See `worker-engine.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineConfig } from '../config.js';
import { createEngineFromConfig } from './load-engine.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';
import { serializeError } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('engine-worker.ts runs as a worker thread');
const post = (message: FromWorker) => port.postMessage(message);

const { config } = workerData as { config: EngineConfig };
let loaded: Awaited<ReturnType<typeof createEngineFromConfig>> | undefined;
try {
  loaded = await createEngineFromConfig({ config });
  post({ type: 'ready', build: loaded.build, info: loaded.engine.info });
} catch (error) {
  post({ type: 'failed', error: serializeError(error) });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'dispose') {
    void (async () => {
      await loaded?.dispose().catch(() => undefined);
      port.close();
    })();
    return;
  }
  const engine = loaded?.engine;
  if (!engine) {
    post({ type: 'answer-failed', id: message.id, error: serializeError(new Error('the engine did not load')) });
    return;
  }
  engine.answer(message.question, message.limit === undefined ? undefined : { limit: message.limit }).then(
    (answer) => post({ type: 'answer', id: message.id, answer }),
    (error: unknown) => post({ type: 'answer-failed', id: message.id, error: serializeError(error) }),
  );
});
