import { defineCommand } from 'citty';
import { parseEngineConfig } from '../../app/config.js';
import { createEngineFromConfig } from '../../app/serving/load-engine.js';
import { describeIndexLocation } from '../../app/serving/open-store.js';
import { runChat } from '../chat-session.js';
import { ioOf } from '../io.js';

/** `chat`: the bot's answers in a terminal, a question a line (piped input works too). */
export const chatCommand = defineCommand({
  meta: { name: 'chat', description: 'Chat with the answer engine in a terminal (/help, /sources, /about, /quit)' },
  async run(context) {
    const io = ioOf(context);
    const config = parseEngineConfig(io.env);
    const interactive = io.stdin.isTTY === true && io.stdout.isTTY === true;
    if (interactive) io.stderr.write(`loading embedding model ${config.embeddingModel} and the index in ${describeIndexLocation(config)}…\n`);
    const { engine, dispose } = await createEngineFromConfig({ config });
    try {
      await runChat({ engine, input: io.stdin, output: io.stdout as NodeJS.WritableStream, interactive });
    } finally {
      await dispose();
    }
    return 0;
  },
});
