import { describe, expect, it } from 'vitest';
import { runScript } from '../support/spawn.js';

// The training itself needs PyTorch and 20 minutes: what is checked here is that the command
// stops at once, saying what to do, when it cannot run.
describe('npm run fine-tune', () => {
  const usage =
    'usage: npm run fine-tune [-- [--check-split N] [--unanswerable-weight W]]   (N: 2, 3, …; measures another split of the folds, writes nothing. W: how much the unanswerable questions count, 0 to 1; 0 leaves them out)';

  it.each([
    ['a split that is not a number', ['--check-split', 'one']],
    ['split 1, the recorded one', ['--check-split', '1']],
    ['a weight over 1', ['--unanswerable-weight', '2']],
    ['an unknown option', ['--epochs', '5']],
  ])('%s stops it with the usage and exit code 2, before any work', async (_, args) => {
    const { code, stderr } = await runScript({ script: 'tools/fine-tune/fine-tune.ts', args });
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(usage);
  });

  it('a Python without PyTorch stops it with the install line and exit code 2, writing nothing', async () => {
    const { code, stderr } = await runScript({ script: 'tools/fine-tune/fine-tune.ts', env: { PYTHON: 'no-such-python' } });
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('no-such-python cannot import torch, transformers, onnx and onnxruntime: pip install -r tools/fine-tune/requirements.txt (or set PYTHON)');
  });
});
