import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChat } from '../../src/cli/chat-session.js';
import { loadCorpus } from '../../src/ingest/load.js';
import { createTestEngine, TEST_MODEL, TEST_MODELS_DIR } from '../support/engine.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

let test: Awaited<ReturnType<typeof createTestEngine>>;
let bodies: string[];
let outlets: string[];

beforeAll(async () => {
  test = await createTestEngine();
  bodies = (await loadCorpus({ dir: SEED_CORPUS })).map((a) => a.body);
  outlets = test.engine.info.sources.map((s) => s.outlet);
});
afterAll(async () => {
  await test?.close();
});

/** Feeds lines to the chat as piped input and returns everything it printed. */
async function chat(lines: string[]): Promise<{ text: string; answered: number }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  input.end(lines.map((l) => `${l}\n`).join(''));
  const answered = await runChat({ engine: test.engine, input, output, interactive: false });
  return { text, answered };
}

/** The first numbered quote and the source line under it. */
function firstQuote(text: string): { quote: string; source: string } | undefined {
  const match = /^1\. “(.+)”\n {3}— (.+)$/m.exec(text);
  return match ? { quote: match[1] ?? '', source: match[2] ?? '' } : undefined;
}

function expectVerbatimWithOutlet(text: string) {
  const first = firstQuote(text);
  expect(first, text).toBeDefined();
  for (const fragment of first?.quote.split(' … ') ?? []) {
    expect(bodies.some((b) => b.includes(fragment)), fragment).toBe(true);
  }
  expect(outlets.some((o) => first?.source.startsWith(`${o}, `))).toBe(true);
}

describe('runChat', () => {
  it('answers a question with a verbatim quote and its source line', async () => {
    const { text, answered } = await chat(['How much trade did Russia do with Central Asia last year?']);
    expect(answered).toBe(1);
    expect(text.startsWith('> How much trade did Russia do with Central Asia last year?\n')).toBe(true);
    expectVerbatimWithOutlet(text);
  });

  it('says when the coverage does not answer', async () => {
    const { text } = await chat(['What is the recipe for borscht?']);
    expect(text).toContain('The coverage does not say.');
    expect(firstQuote(text)).toBeUndefined();
  });

  it.each([
    { command: '/sources', expected: `Articles I quote (5):` },
    { command: '/help', expected: 'Examples:' },
    { command: '/about', expected: 'Model test-tiny-bert' },
    { command: '/nonsense', expected: 'Unknown command /nonsense.' },
  ])('handles $command', async ({ command, expected }) => {
    const { text, answered } = await chat([command]);
    expect(text).toContain(expected);
    expect(answered).toBe(0);
  });

  it('lists every article under /sources', async () => {
    const { text } = await chat(['/sources']);
    for (const source of test.engine.info.sources) expect(text).toContain(source.title);
  });

  it('stops at /quit and ignores blank lines', async () => {
    const { text, answered } = await chat(['', '/quit', 'How much trade did Russia do with Central Asia?']);
    expect(answered).toBe(0);
    expect(text).toBe('> /quit\n');
  });
});

describe('npm run chat', () => {
  it('answers a question fed on stdin and exits 0 at the end of input', async () => {
    const child = spawn('npm', ['run', '--silent', 'chat'], {
      env: { ...process.env, MODELS_DIR: TEST_MODELS_DIR, EMBEDDING_MODEL: TEST_MODEL, INDEX_DIR: test.indexDir, NODE_ENV: 'production' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.stdin.end('How much trade did Russia do with Central Asia last year?\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    expectVerbatimWithOutlet(stdout);
  });
});

describe('follow-ups in the terminal chat, as in the bot', () => {
  it('"and in 2022?" after a question asks that question about 2022; a new question is its own', async () => {
    const asked: string[] = [];
    const engine = { ...test.engine, answer: (question: string, options?: { limit?: number }) => (asked.push(question), test.engine.answer(question, options)) };
    const input = new PassThrough();
    input.end('How much trade did Russia do with Central Asia?\nand in 2022?\nWho founded BTK Group?\n');
    await runChat({ engine, input, output: new PassThrough(), interactive: false });
    expect(asked).toEqual(['How much trade did Russia do with Central Asia?', 'How much trade did Russia do with Central Asia? and in 2022?', 'Who founded BTK Group?']);
  });
});
