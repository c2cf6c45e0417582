import type { MessageEntity } from 'grammy/types';

/** The parts of a message that decide whether it is a question and what it asks. */
export interface IncomingText {
  text: string;
  entities?: readonly MessageEntity[] | undefined;
}

/**
 * The question in a message, without a leading `/ask` or `/ask@bot` command and without
 * mentions of the bot; whitespace collapsed. Offsets are UTF-16, as Telegram's are.
 */
export function extractQuestion(options: IncomingText & { botUsername: string }): string {
  const { text, entities = [], botUsername } = options;
  const me = `@${botUsername}`.toLowerCase();
  const cuts: Array<[number, number]> = [];
  for (const entity of entities) {
    const part = text.slice(entity.offset, entity.offset + entity.length);
    if (entity.type === 'mention' && part.toLowerCase() === me) cuts.push([entity.offset, entity.offset + entity.length]);
    if (entity.type === 'bot_command' && entity.offset === 0 && isAskCommand(part, me)) cuts.push([0, entity.length]);
  }
  let question = '';
  let at = 0;
  for (const [start, end] of cuts.sort((a, b) => a[0] - b[0])) {
    question += `${text.slice(at, start)} `;
    at = Math.max(at, end);
  }
  question += text.slice(at);
  // "@bot, how much…" and "so @bot, how…" read as "how much…" and "so, how…".
  return question
    .replace(/\s+/g, ' ')
    .replace(/ ([,;:!?.])/g, '$1')
    .replace(/^[\s,;:]+/, '')
    .trim();
}

function isAskCommand(command: string, me: string): boolean {
  const [name, target] = command.toLowerCase().split('@');
  return name === '/ask' && (target === undefined || `@${target}` === me);
}

/** True when the message mentions the bot by its @username. */
export function mentionsBot(options: IncomingText & { botUsername: string }): boolean {
  const me = `@${options.botUsername}`.toLowerCase();
  return (options.entities ?? []).some((e) => e.type === 'mention' && options.text.slice(e.offset, e.offset + e.length).toLowerCase() === me);
}

/** True when the text starts with a bot command (any bot's). */
export function startsWithCommand(options: IncomingText): boolean {
  return (options.entities ?? []).some((e) => e.type === 'bot_command' && e.offset === 0);
}
