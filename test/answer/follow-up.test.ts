import { describe, expect, it } from 'vitest';
import { inContext, isFollowUp, lastName, questionInConversation } from '../../src/answer/follow-up.js';

describe('isFollowUp', () => {
  it.each([
    ['and in 2022?', {}, true],
    ['What about the base?', {}, true],
    ['2022?', {}, true],
    ['who founded it?', {}, true],
    ['Rogun?', { replying: true }, true],
    // Without a reply, one word is a new question.
    ['Rogun?', {}, false],
    ['How many Russian troops are in Tajikistan?', { replying: true }, false],
    ['Who founded BTK Group?', {}, false],
  ])('%s (%o) → %s', (text, options, expected) => {
    expect(isFollowUp(text, options)).toBe(expected);
  });
});

describe('inContext', () => {
  it('reads a continuation after the question it follows', () => {
    expect(inContext({ followUp: ' and in 2022? ', context: 'How much trade did Russia do with Central Asia?\n' })).toBe('How much trade did Russia do with Central Asia? and in 2022?');
  });

  it('replaces "it" by the last name the previous question mentions', () => {
    expect(inContext({ followUp: 'who founded it?', context: 'What investment agreement did the BTK Group sign?' })).toBe('who founded BTK Group?');
    expect(inContext({ followUp: 'what is its value?', context: 'What did Russia sign with the BTK Group?' })).toBe('what is BTK Group’s value?');
  });

  it('leaves people and plurals to the whole previous question', () => {
    expect(inContext({ followUp: 'how old is he?', context: "Who is Rahmon's son?" })).toBe("Who is Rahmon's son? how old is he?");
  });

  it('with no name to use, or no context, keeps the words it has', () => {
    expect(inContext({ followUp: 'who founded it?', context: 'what is btk group' })).toBe('what is btk group who founded it?');
    expect(inContext({ followUp: 'and in 2022?', context: '  ' })).toBe('and in 2022?');
  });
});

describe('lastName', () => {
  it.each([
    ['What investment agreement did the BTK Group sign?', 'BTK Group'],
    ['How much trade did Russia do with Central Asia last year?', 'Central Asia'],
    ["What did Rahmon's spokesman say?", 'Rahmon'],
    ['Who hosted the Russia-Central Asia Summit?', 'Russia-Central Asia Summit'],
    ['What Did the communique say?', undefined],
  ])('%s → %s', (text, name) => {
    expect(lastName(text)).toBe(name);
  });
});

describe('questionInConversation: the one rule of every front end', () => {
  const TRADE = 'How much trade did Russia do with Central Asia?';
  it.each([
    ['a follow-up in one thread follows the last question', { text: 'and in 2022?', oneThread: true, last: TRADE }, `${TRADE} and in 2022?`],
    ['a follow-up replying to the bot follows what that reply answered', { text: 'and in 2022?', replyingToBot: true, replyContext: TRADE }, `${TRADE} and in 2022?`],
    ['in a group, a follow-up that replies to nothing stands alone', { text: 'and in 2022?', last: TRADE }, 'and in 2022?'],
    ['a reply to someone else is not a follow-up to the bot', { text: 'and in 2022?', oneThread: true, replyingToOther: true, last: TRADE }, 'and in 2022?'],
    ['a question of its own is asked as it is', { text: 'Who founded BTK Group?', oneThread: true, last: TRADE }, 'Who founded BTK Group?'],
  ])('%s', (_name, options, expected) => {
    expect(questionInConversation(options)).toBe(expected);
  });
});
