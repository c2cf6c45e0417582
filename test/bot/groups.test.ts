import { describe, expect, it } from 'vitest';
import { BOT_INFO, GROUP, answered, createHarness, fakeEngine, fixedEngines, mentionEntity, snippet } from '../support/bot-harness.js';

const setup = () => {
  const engine = fakeEngine(() => answered([snippet()]));
  return { engine, h: createHarness({ engines: fixedEngines(engine) }) };
};

const botMessage = { message_id: 77, date: 0, chat: GROUP, from: { id: BOT_INFO.id, is_bot: true, first_name: 'Quotes', username: BOT_INFO.username }, text: 'an earlier answer' };

describe('group chats', () => {
  it.each([
    { name: 'plain chatter', text: 'did anyone see the match?', extra: {} },
    { name: 'a question not addressed to the bot', text: 'How much trade did Russia do?', extra: {} },
    { name: 'a mention of another bot', text: '@OtherBot how much trade?', extra: { entities: [mentionEntity('@OtherBot how much trade?', '@OtherBot')] } },
    { name: 'a command for another bot', text: '/ask@OtherBot how much trade?', extra: {} },
    { name: 'a reply to another user', text: 'agreed', extra: { reply_to_message: { message_id: 5, date: 0, chat: GROUP, from: { id: 3, is_bot: false, first_name: 'C' }, text: 'hm' } } },
  ])('ignores $name: no call at all', async ({ text, extra }) => {
    const { engine, h } = setup();
    await h.groupText(text, extra);
    expect(engine.questions).toEqual([]);
    expect(h.calls).toEqual([]);
  });

  it('ignores stickers and photos in groups, even replies to the bot', async () => {
    const { h } = setup();
    await h.privateMessage({ photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }], reply_to_message: botMessage }, GROUP);
    expect(h.calls).toEqual([]);
  });

  it.each([
    { name: '/ask question', text: '/ask How much trade?', extra: {}, question: 'How much trade?' },
    { name: '/ask@BotName question', text: `/ask@${BOT_INFO.username} How much trade?`, extra: {}, question: 'How much trade?' },
    {
      name: 'a mention, stripped from the question',
      text: `@${BOT_INFO.username} how much trade?`,
      extra: { entities: [mentionEntity(`@${BOT_INFO.username} how much trade?`, `@${BOT_INFO.username}`)] },
      question: 'how much trade?',
    },
    {
      name: 'a mention in the middle, in another letter case',
      text: 'so @quotestestbot, how much trade?',
      extra: { entities: [mentionEntity('so @quotestestbot, how much trade?', '@quotestestbot')] },
      question: 'so, how much trade?',
    },
    {
      name: 'a mention followed by a comma',
      text: `@${BOT_INFO.username}, who founded BTK Group?`,
      extra: { entities: [mentionEntity(`@${BOT_INFO.username}, who founded BTK Group?`, `@${BOT_INFO.username}`)] },
      question: 'who founded BTK Group?',
    },
    { name: 'a reply to one of the bot’s messages (a follow-up)', text: 'and security?', extra: { reply_to_message: botMessage }, question: 'and security?' },
  ])('answers $name, replying to the asking message', async ({ text, extra, question }) => {
    const { engine, h } = setup();
    const asked = await h.groupText(text, extra);
    expect(engine.questions).toEqual([question]);
    const reply = h.sent().at(-1);
    expect(reply?.payload).toMatchObject({ chat_id: GROUP.id, reply_parameters: { message_id: asked.message_id } });
    expect(String(reply?.payload.text)).toContain('<blockquote>');
  });

  it('asks for a question after a bare mention or a bare /ask', async () => {
    const { engine, h } = setup();
    const name = `@${BOT_INFO.username}`;
    await h.groupText(name, { entities: [mentionEntity(name, name)] });
    await h.groupText('/ask');
    expect(engine.questions).toEqual([]);
    expect(h.texts()[0]).toContain('Ask me a question');
    expect(h.texts()[1]).toContain('<code>/ask ');
  });
});
