import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestIndex } from '../helpers/engine.js';
import { runSoak, soakProblems, type SoakReport } from '../helpers/soak.js';

/**
 * The CI-sized soak: 2,000 questions from 200 users through telegram-test-api against the real
 * entry point. `npm run soak` runs the full 20,000.
 */
const QUESTIONS = 2000;
const USERS = 200;

let index: Awaited<ReturnType<typeof buildTestIndex>> | undefined;
let report: SoakReport;

beforeAll(async () => {
  index = await buildTestIndex();
  report = await runSoak({ questions: QUESTIONS, users: USERS, fastUsers: 5, timeLimitMs: 240_000, indexDir: index.indexDir });
}, 330_000);

afterAll(async () => {
  await index?.cleanup();
});

describe(`soak: ${QUESTIONS} questions from ${USERS} users through the Telegram emulator`, () => {
  it('loses no reply, duplicates none, and every reply is valid Telegram HTML', () => {
    expect(report.questionsSent).toBeGreaterThanOrEqual(QUESTIONS);
    expect({ lost: report.lost, duplicated: report.duplicated, orphans: report.orphans, invalid: report.invalidReplies, inTime: report.finishedInTime }).toEqual({
      lost: 0,
      duplicated: 0,
      orphans: 0,
      invalid: 0,
      inTime: true,
    });
    expect(report.loggedAnswered + report.loggedRateLimited).toBe(report.questionsSent);
  });

  it('limits each user separately: every bursting user is slowed down, nobody else', () => {
    expect(report.fastUsersLimited).toBe(report.fastUsers);
    expect(report.normalUsersLimited).toBe(0);
    expect(report.slowDownReplies).toBeGreaterThanOrEqual(report.fastUsers);
  });

  it('keeps memory flat: RSS grows at most 10% from the first to the last quarter', () => {
    expect(report.rss.samples).toBeGreaterThanOrEqual(8);
    expect(report.rss.growthPercent).toBeLessThanOrEqual(10);
  });

  it('passes every soak check', () => {
    expect(soakProblems(report, { minQuestions: QUESTIONS })).toEqual([]);
  });
});
