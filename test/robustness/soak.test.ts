import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestIndex } from '../support/engine.js';
import { memoryLeaked, runSoak, soakProblems, type SoakReport } from '../../bench/soak.js';

/**
 * The full soak, as `npm run soak` runs it: 20,000 questions from 200 users through
 * telegram-test-api against the real entry point (about a minute, on its own: `npm run
 * test:soak`). Memory is judged by the last quarter of the run against the highest quarter
 * before it (see `SoakReport.rss`): V8 grows its heap for the first 10-20 s by an amount that
 * differs from run to run, so a run of 2,000 questions, or a comparison with the first
 * quarter, measured that warm-up (7-35% and 1-14%). A leak of about 12 KB a question raises
 * each quarter of 5,000 questions by 60 MB, 10% of the bot's 600 MB, and fails this check; a
 * single late step (V8 enlarging its heap once) does not (see `memoryLeaked`).
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

  it(`keeps memory bounded: RSS does not rise quarter after quarter to end over ${MAX_RSS_GROWTH_PERCENT}% above every quarter before it`, () => {
    expect(report.rss.samples).toBeGreaterThanOrEqual(8);
    expect(memoryLeaked(report.rss, MAX_RSS_GROWTH_PERCENT), JSON.stringify(report.rss)).toBe(false);
  });

  it('passes every soak check', () => {
    expect(soakProblems(report, { minQuestions: QUESTIONS, maxRssGrowthPercent: MAX_RSS_GROWTH_PERCENT })).toEqual([]);
  });
});
