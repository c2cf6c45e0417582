import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_ADMIN_ID, CHANNEL_BOT_ID } from '../../src/bot/answering.js';
import { FAILURE_TEXT } from '../support/bot-harness.js';
import { createRecordingBot } from '../support/recording-bot.js';
import { answered, BOT_INFO, createHarness, fakeEngine, fixedEngines, INFO, snippet, source, USER } from '../support/bot-harness.js';

const SLOW_DOWN = /^You are asking faster than I can keep up/;
const engines = () => fixedEngines(fakeEngine(() => answered([snippet()])));

describe('#5 anonymous group admins share one rate-limit bucket', () => {
  const anonymous = { id: ANONYMOUS_ADMIN_ID, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' };

  it('admins of 15 groups, each asking once as the group, all get an answer', async () => {
    const h = createHarness({ engines: engines(), questionsPerMinute: 10 });
    for (let i = 0; i < 15; i++) {
      const group = { id: -1000 - i, type: 'supergroup', title: `Group ${i}` };
      await h.update({
        message: {
          message_id: 1, date: 0, chat: group, from: anonymous, sender_chat: group,
          text: `/ask@${BOT_INFO.username} How much trade?`, entities: [{ type: 'bot_command', offset: 0, length: 4 + BOT_INFO.username.length + 1 }],
        },
      } as Omit<Update, 'update_id'>);
    }
    const texts = h.texts();
    expect(texts.filter((t) => t.includes('<blockquote>'))).toHaveLength(15);
    expect(texts.filter((t) => SLOW_DOWN.test(t))).toEqual([]);
  });

  it('channels posting into groups are kept apart by the channel, and one group is still limited', async () => {
    const h = createHarness({ engines: engines(), questionsPerMinute: 2 });
    const channelBot = { id: CHANNEL_BOT_ID, is_bot: true, first_name: 'Channel' };
    const ask = (sender: { id: number; type: string; title: string }, group: { id: number; type: string; title: string }) =>
      h.update({ message: { message_id: 1, date: 0, chat: group, from: sender.type === 'channel' ? channelBot : anonymous, sender_chat: sender, text: '/ask How much trade?', entities: [{ type: 'bot_command', offset: 0, length: 4 }] } } as Omit<Update, 'update_id'>);
    const group = { id: -2000, type: 'supergroup', title: 'G' };
    for (let i = 0; i < 3; i++) await ask({ id: -3000 - i, type: 'channel', title: `C${i}` }, group);
    expect(h.texts().filter((t) => t.includes('<blockquote>'))).toHaveLength(3);
    for (let i = 0; i < 3; i++) await ask(group, group);
    expect(h.texts().filter((t) => t.includes('<blockquote>'))).toHaveLength(5);
    expect(h.texts().filter((t) => SLOW_DOWN.test(t))).toHaveLength(1);
  });
});

describe('#6 every reply the bot sends counts against the rate limit', () => {
  it.each([
    { name: 'over-long questions', send: (h: ReturnType<typeof createHarness>) => h.privateText(`How much trade? ${'x'.repeat(400)}`) },
    { name: '/help', send: (h: ReturnType<typeof createHarness>) => h.privateText('/help') },
    { name: '/start', send: (h: ReturnType<typeof createHarness>) => h.privateText('/start') },
    { name: '/sources', send: (h: ReturnType<typeof createHarness>) => h.privateText('/sources') },
    { name: '/about', send: (h: ReturnType<typeof createHarness>) => h.privateText('/about') },
    { name: 'unknown commands', send: (h: ReturnType<typeof createHarness>) => h.privateText('/weather') },
    { name: 'a bare /ask', send: (h: ReturnType<typeof createHarness>) => h.privateText('/ask') },
    { name: 'stickers', send: (h: ReturnType<typeof createHarness>) => h.privateMessage({ sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } }) },
  ])('2,000 $name within a minute get 10 replies and one "slow down"', async ({ send }) => {
    let clock = 0;
    const h = createHarness({ engines: engines(), questionsPerMinute: 10, now: () => clock });
    for (let i = 0; i < 2000; i++) await send(h);
    const texts = h.texts();
    expect(texts.filter((t) => SLOW_DOWN.test(t))).toHaveLength(1);
    expect(texts).toHaveLength(11);
    // A minute later the user is heard again.
    clock += 60_000;
    await h.privateText('How much trade?');
    expect(h.texts().at(-1)).toContain('<blockquote>');
  });

  it('commands and questions share one budget per user; another user is not affected', async () => {
    const h = createHarness({ engines: engines(), questionsPerMinute: 3 });
    await h.privateText('/help');
    await h.privateText('/sources');
    await h.privateText('How much trade?');
    await h.privateText('How much trade?');
    const other = { id: 2002, is_bot: false as const, first_name: 'Bo' };
    await h.privateText('How much trade?', other);
    expect(h.texts().map((t) => (SLOW_DOWN.test(t) ? 'slow down' : t.includes('<blockquote>') ? 'answer' : 'command'))).toEqual(['command', 'command', 'answer', 'slow down', 'answer']);
  });
});

describe('#10 a message with entities but no text', () => {
  it.each([
    { name: 'a command entity', extra: { entities: [{ type: 'bot_command', offset: 0, length: 5 }] } },
    { name: 'a mention entity', extra: { entities: [{ type: 'mention', offset: 0, length: 9 }] } },
    { name: 'caption entities on a photo without a caption', extra: { photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }], caption_entities: [{ type: 'bot_command', offset: 0, length: 4 }] } },
  ])('with $name gets the non-text hint in private and silence in a group, never the failure text or an error', async ({ extra }) => {
    const r = createRecordingBot({ engines: engines() });
    const chat = { id: USER.id, type: 'private', first_name: USER.first_name };
    const group = { id: -5005, type: 'group', title: 'Newsroom' };
    const inPrivate = await r.send({ message: { message_id: 1, date: 0, chat, from: USER, ...extra } });
    const inGroup = await r.send({ message: { message_id: 2, date: 0, chat: group, from: USER, ...extra } });
    expect(inPrivate.filter((c) => c.method === 'sendMessage').map((c) => String(c.payload.text))).toEqual([expect.stringMatching(/^I can only read text/)]);
    expect(inGroup).toEqual([]);
    expect(JSON.stringify([...inPrivate, ...inGroup])).not.toContain(FAILURE_TEXT);
    expect(r.errorLogs()).toEqual([]);
  });
});

describe('a long /sources costs the rate-limit budget per message it sends', () => {
  const many = { ...INFO, articles: 300, sources: Array.from({ length: 300 }, (_, i) => ({ ...source({ id: `a${i}`, outlet: `Outlet number ${i}`, title: `A fairly long headline about the summit in Dushanbe, part ${i}` }), event: 'October 2025 visit' })) };

  it('ten /sources from one group member send no more messages than the budget allows, and one slow-down note', async () => {
    const h = createHarness({ engines: fixedEngines(fakeEngine(() => answered([snippet()]), many)), questionsPerMinute: 5 });
    const single = createHarness({ engines: fixedEngines(fakeEngine(() => answered([snippet()]), many)), questionsPerMinute: 1000 });
    await single.groupText('/sources');
    expect(single.texts().length).toBeGreaterThan(5);
    for (let i = 0; i < 10; i++) await h.groupText('/sources');
    const texts = h.texts();
    const notes = texts.filter((t) => SLOW_DOWN.test(t));
    expect(notes).toHaveLength(1);
    expect(texts.length - notes.length).toBe(5);
    expect(texts.slice(0, 5)).toEqual(single.texts().slice(0, 5));
  });
});
