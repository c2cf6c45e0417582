import { afterAll, beforeAll } from 'vitest';
import { createTestEngine } from './engine.js';

export type TestEngine = Awaited<ReturnType<typeof createTestEngine>>;

/**
 * Builds the test engine once for the calling test file (beforeAll) and closes it (afterAll).
 * Read `current` inside tests and hooks, not at module load.
 */
export function useTestEngine(): { readonly current: TestEngine } {
  let engine: TestEngine | undefined;
  beforeAll(async () => {
    engine = await createTestEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });
  return {
    get current(): TestEngine {
      if (!engine) throw new Error('the test engine is built in beforeAll; read it inside a test');
      return engine;
    },
  };
}
