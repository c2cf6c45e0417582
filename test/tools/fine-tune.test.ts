import { describe, expect, it } from 'vitest';
import { runScript } from '../support/spawn.js';

// The training itself needs PyTorch and 20 minutes: what is checked here is that the command
// stops at once, saying what to do, when it cannot run.
describe('npm run fine-tune', () => {
  it('an unknown argument stops it with the usage and exit code 2, before any work', async () => {
    const { code, stderr } = await runScript({ script: 'tools/fine-tune/fine-tune.ts', args: ['--check-split', 'one'] });
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('usage: npm run fine-tune [-- --check-split N]   (N: 2, 3, …; measures another split of the folds, writes nothing)');
  });

  it('a Python without PyTorch stops it with the install line and exit code 2, writing nothing', async () => {
    const { code, stderr } = await runScript({ script: 'tools/fine-tune/fine-tune.ts', env: { PYTHON: 'no-such-python' } });
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('no-such-python cannot import torch, transformers, onnx and onnxruntime: pip install -r tools/fine-tune/requirements.txt (or set PYTHON)');
  });
});
