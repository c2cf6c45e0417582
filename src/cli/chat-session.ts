import { createInterface } from 'node:readline';
import { questionInConversation } from '../answer/follow-up.js';
import type { AnswerEngine, EngineInfo } from '../core/types.js';
import { aboutIn, corpusEvents } from '../render/about.js';
import { renderAnswerText, sourceLine } from '../render/text.js';

export interface ChatOptions {
  engine: AnswerEngine;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** A person at a terminal: greet, show a prompt. Piped input gets the answers only, each under its question. */
  interactive: boolean;
  /** Snippets per answer. @default 5 */
  limit?: number;
}

const COMMANDS = ['/help    what I know, example questions', '/sources the articles I quote', '/about   model and index details', '/quit    leave (or Ctrl-D)'];

/** Text of /help in the terminal: what the corpus covers, examples, commands. */
export function renderChatHelp(info: Pick<EngineInfo, 'sources' | 'articles' | 'about'>): string {
  const events = corpusEvents(info);
  const about = aboutIn(info.about);
  return [
    `I answer questions about ${about.description}${events.length ? ` (${events.join('; ')})` : ''}, quoting ${info.articles} articles word for word and naming each source.`,
    '',
    'Examples:',
    ...about.examples.map((q) => `  ${q}`),
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c}`),
  ].join('\n');
}

/** Text of /sources in the terminal: every article, grouped by event, newest first. */
export function renderSourcesText(info: Pick<EngineInfo, 'sources'>): string {
  const lines = [`Articles I quote (${info.sources.length}):`];
  for (const event of corpusEvents(info)) {
    lines.push('', `${event}:`);
    const sources = info.sources
      .filter((s) => s.event === event)
      .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.outlet.localeCompare(b.outlet));
    for (const source of sources) lines.push(`  • ${sourceLine(source, event)}`);
  }
  return lines.join('\n');
}

function renderAboutText(info: EngineInfo): string {
  return `Model ${info.modelId} (${info.dimensions} dimensions); index built ${info.builtAt} from ${info.articles} articles in ${info.chunks} chunks.`;
}

/**
 * An interactive terminal chat over the same engine and the same answer content as the bot:
 * quotes, source lines, the "not covered" reply, and follow-ups as in the bot's private chat
 * ("and in 2022?" after a question asks that question about 2022). Reads one question a line
 * until /quit or the end of the input, so it also works with piped input.
 * @returns the number of questions answered
 */
export async function runChat(options: ChatOptions): Promise<number> {
  const { engine, input, output, interactive, limit = 5 } = options;
  const write = (text: string) => output.write(`${text}\n`);
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  rl.setPrompt('> ');
  if (interactive) {
    write(`Ask about ${aboutIn(engine.info.about).description}. /help for examples and commands, /quit to leave.\n`);
    rl.prompt();
  }
  let answered = 0;
  let last: string | undefined;
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '') {
        if (interactive) rl.prompt();
        continue;
      }
      if (!interactive) write(`> ${line}`);
      const command = line.startsWith('/') ? line.split(/\s+/)[0]?.toLowerCase() : undefined;
      if (command === '/quit' || command === '/exit') break;
      if (command === '/help' || command === '/start') write(renderChatHelp(engine.info));
      else if (command === '/sources') write(renderSourcesText(engine.info));
      else if (command === '/about') write(renderAboutText(engine.info));
      else if (command !== undefined) write(`Unknown command ${command}. Commands: /help, /sources, /about, /quit.`);
      else {
        const question = questionInConversation({ text: line, oneThread: true, last });
        last = question;
        try {
          write(renderAnswerText(await engine.answer(question, { limit }), engine.info.about));
          answered++;
        } catch (error) {
          write(`Sorry, something went wrong while answering: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      write('');
      if (interactive) rl.prompt();
    }
  } finally {
    rl.close();
  }
  return answered;
}
