import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestIndex } from '../support/engine.js';
import { runSoak, soakProblems, type SoakReport } from '../../bench/soak.js';

/**
 * The CI-sized soak: 2,000 questions from 200 users through telegram-test-api against the real
 * entry point. `npm run soak` runs the full 20,000.
 */
const QUESTIONS = 2000;
const USERS = 200;
/**
 * The 10% criterion needs a steady state: `npm run soak` (20,000 questions) checks it. This run
 * measures for about 15 s, in which single garbage collections swing RSS by 15-20%, so here it
 * only catches gross leaks.
 */
const MAX_RSS_GROWTH_PERCENT = 35;

let index: Awaited<ReturnType<typeof buildTestIndex>> | undefined;
let report: SoakReport;

beforeAll(async () => {
  index = await buildTestIndex();
  report = await runSoak({ questions: QUESTIONS, users: USERS, fastUsers: 5, timeLimitMs: 240_000, indexDir: index.indexDir });
  // The figures, for the CI log.
  console.log(JSON.stringify(report));
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

  it(`keeps memory bounded: RSS grows at most ${MAX_RSS_GROWTH_PERCENT}% from the first to the last quarter of this short run`, () => {
    expect(report.rss.samples).toBeGreaterThanOrEqual(8);
    expect(report.rss.growthPercent).toBeLessThanOrEqual(MAX_RSS_GROWTH_PERCENT);
  });

  it('passes every soak check', () => {
    expect(soakProblems(report, { minQuestions: QUESTIONS, maxRssGrowthPercent: MAX_RSS_GROWTH_PERCENT })).toEqual([]);
  });
});
