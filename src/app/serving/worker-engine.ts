import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Answer, AnswerEngine } from '../../core/types.js';
import type { EngineConfig } from '../config.js';
import type { LoadedEngine } from './engine-holder.js';
import { deserializeError, type FromWorker, type ToWorker } from './worker-protocol.js';

/** An engine that answers from a worker thread, and can be shut down. */
export interface WorkerEngine extends LoadedEngine {
  /** Waits for the answers in progress, then frees the worker and its model. */
  dispose(): Promise<void>;
}

/**
 * Loads the configured model and the live index in a worker thread and returns an engine that
 * answers from there. The calling thread only passes questions and answers, so a large index
 * loading (at start or on reload) never blocks it. Errors while loading are rethrown here with
 * their class, so an expected one still prints as one line.
 * @param options.onExit told when the worker stops without being disposed (a crash)
 */
export async function loadEngineInWorker(options: { config: EngineConfig; onExit?: (code: number) => void }): Promise<WorkerEngine> {
  const { config, onExit } = options;
  const worker = startWorker({ config });
  const pending = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let disposed = false;
  let stopped: Error | undefined;

  const ready = new Promise<Extract<FromWorker, { type: 'ready' }>>((resolve, reject) => {
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          resolve(message);
          return;
        case 'failed':
          reject(deserializeError(message.error));
          return;
        case 'answer':
          pending.get(message.id)?.resolve(message.answer);
          pending.delete(message.id);
          return;
        case 'answer-failed':
          pending.get(message.id)?.reject(deserializeError(message.error));
          pending.delete(message.id);
          return;
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      stopped = new Error(`the answer engine stopped (worker exit code ${code})`);
      reject(stopped);
      for (const { reject: fail } of pending.values()) fail(stopped);
      pending.clear();
      if (!disposed) onExit?.(code);
    });
  });

  let loaded: Extract<FromWorker, { type: 'ready' }>;
  try {
    loaded = await ready;
  } catch (error) {
    disposed = true;
    await worker.terminate();
    throw error;
  }

  const send = (message: ToWorker) => worker.postMessage(message);
  const inFlight = new Set<Promise<unknown>>();
  const engine: AnswerEngine = {
    info: loaded.info,
    answer(question, answerOptions) {
      if (stopped) return Promise.reject(stopped);
      const id = nextId++;
      const answer = new Promise<Answer>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ type: 'answer', id, question, ...(answerOptions?.limit === undefined ? {} : { limit: answerOptions.limit }) });
      });
      const settled = answer.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      return answer;
    },
  };
  return {
    engine,
    build: loaded.build,
    usable: () => stopped === undefined,
    async dispose() {
      if (disposed) return;
      disposed = true;
      // Answers already asked of this engine are finished, not cut off by a reload.
      await Promise.all([...inFlight]);
      if (!stopped) {
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        send({ type: 'dispose' });
        // A worker that does not stop by itself within a few seconds is stopped.
        const timer = setTimeout(() => void worker.terminate(), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/**
 * The compiled worker next to this file (.js) runs as it is. The source (.ts, under tsx or in
 * tests) needs tsx's loader inside the worker too, and a worker does not apply the parent's
 * `--import` hooks to its entry: a two-line entry registers them, then imports the worker.
 */
function startWorker(options: { config: EngineConfig }): Worker {
  const ext = extname(fileURLToPath(import.meta.url));
  const url = new URL(`./engine-worker${ext}`, import.meta.url);
  if (ext !== '.ts') return new Worker(url, { workerData: options });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(entry, { eval: true, workerData: options });
}
