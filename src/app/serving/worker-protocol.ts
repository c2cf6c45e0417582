import type { Answer, EngineInfo } from '../../core/types.js';
import { AppError, ConfigError, CorpusError, IndexError, InputError, ModelError } from '../../core/errors.js';

/** Messages to the engine worker. */
export type ToWorker = { type: 'answer'; id: number; question: string; limit?: number } | { type: 'dispose' };

/** Messages from the engine worker. */
export type FromWorker =
  | { type: 'ready'; build: string; info: EngineInfo }
  | { type: 'failed'; error: SerializedError }
  | { type: 'answer'; id: number; answer: Answer }
  | { type: 'answer-failed'; id: number; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string | undefined;
}

export function serializeError(error: unknown): SerializedError {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'Error', message: String(error) };
}

const EXPECTED: Record<string, new (message: string) => AppError> = { ConfigError, CorpusError, IndexError, ModelError, InputError };

/**
 * The error again on this side: an expected error keeps its class (so it is still reported in
 * one line, and a reload failure reads the same); anything else keeps its stack.
 */
export function deserializeError(error: SerializedError): Error {
  const Expected = EXPECTED[error.name];
  if (Expected) return new Expected(error.message);
  const revived = new Error(error.message);
  revived.name = error.name;
  if (error.stack) revived.stack = error.stack;
  return revived;
}
