/**
 * Fitted ranking params per model profile, written by `npm run eval -- --fit --profile NAME`
 * (a fine-tuned model's by `npm run fine-tune`, with the model).
 * JSON is data: the fit command rewrites it; nobody edits it by hand.
 */
import allMiniLm from './all-MiniLM-L6-v2.json' with { type: 'json' };
import allMiniLmDushanbe from './all-MiniLM-L6-v2-dushanbe.json' with { type: 'json' };
import multilingualE5 from './multilingual-e5-small.json' with { type: 'json' };
import testTinyBert from './test-tiny-bert.json' with { type: 'json' };

export const FITTED: Readonly<Record<string, unknown>> = Object.freeze({
  'all-MiniLM-L6-v2': allMiniLm,
  'all-MiniLM-L6-v2-dushanbe': allMiniLmDushanbe,
  'multilingual-e5-small': multilingualE5,
  'test-tiny-bert': testTinyBert,
});
