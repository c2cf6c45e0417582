import { expect, it } from 'vitest';
import { paramsForModel } from '../../src/answer/params.js';
import type { EvalMetrics } from '../../src/eval/metrics.js';
import { summaryLine } from '../../src/eval/report.js';
import { runCli } from '../support/cli.js';

/**
 * `npm run eval` on the default profile, with its real weights (and its reader): it reports
 * the held-out scores recorded when the model and the reader were trained, never a
 * cross-validation on questions they learnt, then the development set.
 */
it('reports the held-out scores recorded with the fine-tuned model and its reader, not a cross-validation on questions they learnt', async () => {
  const { code, stdout } = await runCli({ args: ['eval', '--profile', 'all-MiniLM-L6-v2-dushanbe'], env: {} });
  expect(code).toBe(0);
  const fit = paramsForModel('all-MiniLM-L6-v2-dushanbe').fit;
  const recorded = fit?.reader?.crossValidated ?? fit?.crossValidated;
  expect(stdout).toMatch(/^== cross-validated, nested \(5 folds; each fold answered by a model fine-tuned without it\)/m);
  if (fit?.reader) expect(stdout).toMatch(/^== with the reader, cross-validated by article/m);
  expect(stdout).toMatch(/^== committed params · test\/fixtures\/dev-questions.jsonl \(24 questions\)/m);
  expect(stdout).not.toMatch(/held-out, split/);
  expect(stdout.trim().split('\n').at(-1)).toBe(summaryLine(recorded as unknown as EvalMetrics));
}, 300_000);
