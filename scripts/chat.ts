/**
 * Chats with the answer engine in a terminal: the bot's answers without Telegram.
 * Usage: npm run chat            (type questions; /help, /sources, /about, /quit)
 *        echo "question" | npm run chat
 */
import { runChat } from '../src/cli/chat.js';
import { runCli } from '../src/cli/run.js';
import { parseEngineConfig } from '../src/app/config.js';
import { createEngineFromConfig } from '../src/app/serving/load-engine.js';

await runCli(async () => {
  const config = parseEngineConfig(process.env);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (interactive) process.stderr.write(`loading embedding model ${config.embeddingModel} and the index in ${config.indexDir}…\n`);
  const { engine, embedder } = await createEngineFromConfig({ config });
  try {
    await runChat({ engine, input: process.stdin, output: process.stdout, interactive });
  } finally {
    await embedder.dispose();
  }
  return 0;
});
