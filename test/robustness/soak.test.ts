import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestIndex } from '../support/engine.js';
import { runSoak, soakProblems, type SoakReport } from '../../bench/soak.js';

/**
 * The full soak, as `npm run soak` runs it: 20,000 questions from 200 users through
 * telegram-test-api against the real entry point (about a minute). It is this long because
 * memory only settles after the first 10-20 s: a run of 2,000 questions measured 2-3 s of
 * V8 growing its heap (RSS up 7-35% from the first quarter to the last), while this run
 * levels off (0.9-3.8% in four runs), so the 10% criterion can tell a leak from warm-up.
 */
const QUESTIONS = 20_000;
const USERS = 200;
const MAX_RSS_GROWTH_PERCENT = 10;

let index: Awaited<ReturnType<typeof buildTestIndex>> | undefined;
let report: SoakReport;

beforeAll(async () => {
  index = await buildTestIndex();
  report = await runSoak({ questions: QUESTIONS, users: USERS, fastUsers: 5, timeLimitMs: 300_000, indexDir: index.indexDir });
  // The figures, for the CI log.
  console.log(JSON.stringify(report));
}, 400_000);

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

  it(`keeps memory bounded: RSS grows at most ${MAX_RSS_GROWTH_PERCENT}% from the first to the last quarter`, () => {
    expect(report.rss.samples).toBeGreaterThanOrEqual(8);
    expect(report.rss.growthPercent).toBeLessThanOrEqual(MAX_RSS_GROWTH_PERCENT);
  });

  it('passes every soak check', () => {
    expect(soakProblems(report, { minQuestions: QUESTIONS, maxRssGrowthPercent: MAX_RSS_GROWTH_PERCENT })).toEqual([]);
  });
});
