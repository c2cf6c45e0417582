/**
 * What the bot remembers of a conversation, so a follow-up ("and in 2022?") is read in the
 * context of the question it follows: the question each recent answer answered, per chat. Small,
 * bounded and expiring; nothing about the people asking. A shared store (a database) can serve
 * several bot processes through the same interface.
 */
import { CONVERSATION } from '../core/settings.js';
export interface ConversationMemory {
  /** Remembers that a bot message answered a question. */
  answered(options: { chat: number; message: number; question: string }): Promise<void>;
  /** The question a bot message answered, while remembered. */
  questionOf(options: { chat: number; message: number }): Promise<string | undefined>;
  /** The last question answered in a chat, while recent. */
  last(options: { chat: number }): Promise<string | undefined>;
}

/**
 * In-process memory: per chat the last `perChat` answers, for `ttlMs`, at most `maxChats`
 * chats (the least recently used are forgotten first).
 * @default ttlMs 30 minutes, perChat 20, maxChats 10,000
 */
export function createMemoryConversations(options: { ttlMs?: number; perChat?: number; maxChats?: number; now?: () => number } = {}): ConversationMemory {
  const { ttlMs = CONVERSATION.memory.ttlMs, perChat = CONVERSATION.memory.perChat, maxChats = CONVERSATION.memory.maxChats, now = Date.now } = options;
  const chats = new Map<number, Array<{ message: number; question: string; at: number }>>();
  const fresh = (chat: number) => {
    const cutoff = now() - ttlMs;
    const kept = (chats.get(chat) ?? []).filter((entry) => entry.at >= cutoff);
    if (kept.length === 0) chats.delete(chat);
    else chats.set(chat, kept);
    return kept;
  };
  return {
    async answered({ chat, message, question }) {
      const entries = fresh(chat);
      entries.push({ message, question, at: now() });
      // Re-inserted last: a Map keeps insertion order, so the first key is the least recent chat.
      chats.delete(chat);
      chats.set(chat, entries.slice(-perChat));
      while (chats.size > maxChats) chats.delete(chats.keys().next().value as number);
    },
    async questionOf({ chat, message }) {
      return fresh(chat).find((entry) => entry.message === message)?.question;
    },
    async last({ chat }) {
      return fresh(chat).at(-1)?.question;
    },
  };
}
