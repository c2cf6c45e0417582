import { defineConfig } from 'vitest/config';

/**
 * Suites that start processes, inject faults or run for long: `npm run test:slow`, then the
 * soak, `npm run test:soak` (CI runs both after `npm test`; `npm run test:all` runs every
 * project at once).
 */
const SOAK = ['test/robustness/soak.test.ts'];
/**
 * Answer quality with real weights (the bundled models, e5 where a machine has it): seconds
 * of model work per file. `npm run test:quality`.
 */
const QUALITY = ['test/eval/real-*.test.ts', 'test/answer/engine.test.ts'];
/** The PostgreSQL store on a private server. `npm run test:pg`. */
const PG = ['test/store/pg-*.test.ts', 'test/app/replicas/pg-*.test.ts'];
const SLOW = [
  'test/robustness/**/*.test.ts',
  'test/app/main.test.ts',
  'test/app/main-startup.test.ts',
  'test/app/replicas.test.ts',
  'test/app/serving/worker-engine.test.ts',
  'test/bot/start.test.ts',
  'test/bot/e2e-reader.test.ts',
  'test/indexer/lock.test.ts',
  'test/http/server.test.ts',
  'test/dist.test.ts',
  'test/scripts/**/*.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Model sessions and emulator servers are heavy; two cores run two files at a time.
    maxWorkers: 2,
    projects: [
      // The quick suites share each worker's loaded modules (the ONNX runtime, grammY): they
      // keep no module state of their own, and this halves the run.
      // `npm test`: the quick loop, with the generated model only, no PostgreSQL server.
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...SLOW, ...QUALITY, ...PG], isolate: false } },
      { extends: true, test: { name: 'quality', include: QUALITY, isolate: false } },
      { extends: true, test: { name: 'pg', include: PG } },
      { extends: true, test: { name: 'slow', include: SLOW, exclude: SOAK } },
      // The full soak (about a minute of two busy processes) runs on its own, after the slow
      // suites: beside them it slowed their timing checks, and they its memory's settling.
      { extends: true, test: { name: 'soak', include: SOAK } },
    ],
  },
});
