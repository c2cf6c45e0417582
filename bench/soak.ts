import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { hashUserId } from '../src/core/redact.js';
import { startEmulator, type Emulator } from '../tools/telegram/emulator.js';
import { TEST_MODEL, TEST_MODELS_DIR } from '../tools/test-model/generate.js';
import { generateFuzzCases } from '../tools/fuzz.js';
import { parseTelegramHtml } from '../tools/telegram/html-checker.js';
import { quantile } from './stats.js';

/**
 * A bounded soak: the production entry point (src/app/main.ts, long polling with the runner) runs
 * as its own process against telegram-test-api on 127.0.0.1, and simulated users ask it
 * questions over HTTP as Telegram clients would. Normal users ask one question at a time and
 * wait for the answer; a few "fast" users fire a burst past the per-user rate limit.
 *
 * Every reply is read back from the emulator's storage (never from its polling client, which
 * can lose messages) and matched to the question it replies to.
 */
export interface SoakOptions {
  /** At least this many questions are asked in total. */
  questions: number;
  users: number;
  /** How many of `users` burst past the rate limit. @default 5 */
  fastUsers?: number;
  /** The whole run must finish within this; a question without an answer by then is lost. */
  timeLimitMs: number;
  /** A built index for the bot process (the generated test model). */
  indexDir: string;
  /** How long one question may wait for its answer before it counts as lost. @default 30 s */
  answerTimeoutMs?: number;
  onProgress?: (line: string) => void;
  seed?: number;
}

export interface SoakReport {
  users: number;
  fastUsers: number;
  rateLimitPerMinute: number;
  /** All questions, warm-up included. */
  questionsSent: number;
  /** One per normal user before measuring; not in latency, throughput or memory figures. */
  warmupQuestions: number;
  burstQuestions: number;
  replies: number;
  /** Normal users' questions without a reply. */
  lost: number;
  /** Questions with more than one reply. */
  duplicated: number;
  /** Bot messages that reply to no question. */
  orphans: number;
  /** Replies that Telegram would refuse (bad HTML, too long). */
  invalidReplies: number;
  /** What the bot logged: every question is either answered or refused by the rate limiter. */
  loggedAnswered: number;
  loggedRateLimited: number;
  fastUsersLimited: number;
  normalUsersLimited: number;
  slowDownReplies: number;
  /** The measured part of the run (after the warm-up). */
  durationSeconds: number;
  questionsPerSecond: number;
  latencyMs: { p50: number; p90: number; p95: number; p99: number; max: number };
  /**
   * Resident memory of the bot, sampled every 200 ms over the measured part, in quarters.
   * `growthPercent` compares the last quarter with the first; `lateGrowthPercent` with the
   * highest of the three before it, which is what the check uses: V8 grows its heap for the
   * first 10-20 s, so the first quarter moves with how fast that happens (from 1% to 14% between
   * runs of the same code), while a leak keeps the last quarter above every earlier one.
   * `stepsPercent` is each quarter against the one before it. A leak raises every quarter over
   * the one before (a 12 KB-a-question leak by about 10% each); V8 enlarging its old space late
   * in a run is one step (a run of unchanged code once ended 14.8% over its earlier quarters), so the check
   * fails a run only when the last quarter is over the limit and every step rose.
   */
  rss: { samples: number; firstQuarterMb: number; lastQuarterMb: number; growthPercent: number; lateGrowthPercent: number; stepsPercent: number[]; peakMb: number; quartersMb: number[] };
  /** Answers that came later than the answer timeout (they still count as delivered). */
  answersOverTimeout: number;
  /** CPU time used during the run: the bot process, and this process (emulator and users). */
  cpuSeconds: { bot: number; driver: number };
  finishedInTime: boolean;
}

const TOKEN = '1234567890:SOAK-test-token_not-a-real-one_00000';
const SLOW_DOWN = /^You are asking faster than I can keep up/;
/** The bot's default MAX_QUESTION_CHARS. */
const MAX_SOAK_QUESTION_CHARS = 500;

/** Questions a Telegram client can send in a private chat, each getting exactly one reply. */
async function questionPool(seed: number): Promise<string[]> {
  const pool: string[] = [];
  for (const file of ['test/fixtures/dev-questions.jsonl', 'test/fixtures/extra-questions.jsonl']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const q = (JSON.parse(line) as { question?: unknown }).question;
      if (typeof q === 'string') pool.push(q);
    }
  }
  // Hostile input too, as far as Telegram delivers it: no empty or blank messages, no broken
  // UTF-16, and no commands (those are not questions). Over-long questions get a refusal the
  // bot does not log, so they stay in the fuzz tests and out of the soak's accounting.
  for (const c of generateFuzzCases({ count: 400, seed })) {
    if (['empty', 'whitespace', 'lone-surrogate'].includes(c.kind) || c.text.trimStart().startsWith('/') || c.text.trim() === '') continue;
    pool.push(c.text.slice(0, MAX_SOAK_QUESTION_CHARS));
  }
  return pool;
}

/** A latency percentile (0..100) with the benchmarks' definition; 0 when nothing was measured. */
function percentile(samples: number[], p: number): number {
  return samples.length === 0 ? 0 : quantile(samples, p / 100);
}

/** User plus system CPU seconds of a process, from /proc (Linux); 0 elsewhere. */
async function readCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, in clock ticks (100 a second on Linux).
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
}

async function readRssKb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kb = status ? /VmRSS:\s+(\d+)/.exec(status)?.[1] : undefined;
  return kb ? Number(kb) : undefined;
}

function startBot(options: { apiRoot: string; indexDir: string; rateLimit: number; onLog: (entry: Record<string, unknown>) => void }): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
    env: {
      ...process.env,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: options.apiRoot,
      MODELS_DIR: TEST_MODELS_DIR,
      EMBEDDING_MODEL: TEST_MODEL,
      INDEX_DIR: options.indexDir,
      RATE_LIMIT: String(options.rateLimit),
      LOG_LEVEL: 'info',
      // JSON log lines, which the soak counts.
      NODE_ENV: 'production',
      ADMIN_IDS: '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (child.stderr) {
    createInterface({ input: child.stderr }).on('line', (line) => {
      try {
        options.onLog(JSON.parse(line) as Record<string, unknown>);
      } catch {
        options.onLog({ msg: line });
      }
    });
  }
  return child;
}

async function stopBot(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Runs one soak; resolves with what happened. Never throws for lost replies: the report says. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { users, timeLimitMs, indexDir, answerTimeoutMs = 30_000, onProgress = () => undefined, seed = 2025 } = options;
  const fastUsers = Math.min(options.fastUsers ?? 5, Math.max(0, users - 1));
  const normalUsers = users - fastUsers;
  const perUser = Math.ceil(options.questions / users);
  // Normal users never reach the limit (the bucket holds more than they ever ask); fast users
  // burst past it, so any refusal of a normal user would mean the limit is not per user.
  const rateLimit = perUser + 1 + 10;
  // Twice the bucket: refusals follow even if the bot, busy with everyone else, takes most of
  // a minute (a full refill) to get through the burst.
  const burst = 2 * rateLimit + 10;
  const pool = await questionPool(seed);

  const emulator: Emulator = await startEmulator({ pollWaitMs: 500 });
  // The emulator drops messages older than its store timeout; the soak reads them all at the end.
  clearInterval(Reflect.get(emulator.server, 'cleanUpDaemonInterval') as NodeJS.Timeout);
  const { server, apiRoot } = emulator;

  const replyCounts = new Map<number, number>();
  const waiters = new Map<number, () => void>();
  const onBotMessage = () => {
    const chatId = Number(server.storage.botMessages.at(-1)?.message.chat_id);
    replyCounts.set(chatId, (replyCounts.get(chatId) ?? 0) + 1);
    waiters.get(chatId)?.();
  };
  server.on('AddedBotMessage', onBotMessage);

  const answered = new Map<string, number>();
  const limited = new Map<string, number>();
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const bot = startBot({
    apiRoot,
    indexDir,
    rateLimit,
    onLog: (entry) => {
      const user = typeof entry.user === 'string' ? entry.user : '';
      if (entry.msg === 'question answered') answered.set(user, (answered.get(user) ?? 0) + 1);
      else if (entry.msg === 'rate limited') limited.set(user, (limited.get(user) ?? 0) + 1);
      else if (entry.msg === 'bot is polling for updates') ready();
      else if (typeof entry.level === 'number' && entry.level >= 50) onProgress(`bot error: ${JSON.stringify(entry).slice(0, 300)}`);
    },
  });
  const botExit = new Promise<void>((resolve) => bot.once('exit', () => resolve()));
  const rssSamples: Array<{ at: number; kb: number }> = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const kb = bot.pid ? await readRssKb(bot.pid) : undefined;
      if (kb !== undefined) rssSamples.push({ at: Date.now(), kb });
      await new Promise((r) => setTimeout(r, 200));
    }
  })();

  try {
    await Promise.race([isReady, botExit.then(() => Promise.reject(new Error('the bot process exited before polling'))), sleep(60_000).then(() => Promise.reject(new Error('the bot did not start within 60 s')))]);
    onProgress(`bot polling; ${normalUsers} users x ${perUser} questions, ${fastUsers} users bursting ${burst} (limit ${rateLimit}/min)`);

    const deadline = Date.now() + timeLimitMs;
    const latencies: number[] = [];
    let sent = 0;
    let burstSent = 0;
    let timedOut = 0;
    const post = async (userId: number, text: string) => {
      const body = {
        botToken: TOKEN,
        date: Math.floor(Date.now() / 1000),
        from: { id: userId, is_bot: false, first_name: `User ${userId}`, username: `user${userId}` },
        chat: { id: userId, type: 'private', first_name: `User ${userId}`, username: `user${userId}` },
        text,
      };
      const response = await fetch(`${apiRoot}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await response.arrayBuffer();
      sent++;
    };
    const waitForReply = (chatId: number, count: number, timeoutMs: number) =>
      new Promise<boolean>((resolve) => {
        const check = () => {
          if ((replyCounts.get(chatId) ?? 0) < count) return;
          clearTimeout(timer);
          waiters.delete(chatId);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiters.delete(chatId);
          resolve(false);
        }, timeoutMs);
        waiters.set(chatId, check);
        check();
      });

    const ask = async (userId: number, text: string, measure: boolean) => {
      const before = replyCounts.get(userId) ?? 0;
      const t0 = performance.now();
      await post(userId, text);
      if (await waitForReply(userId, before + 1, Math.min(answerTimeoutMs, Math.max(1, deadline - Date.now())))) {
        if (measure) latencies.push(performance.now() - t0);
      } else {
        timedOut++;
      }
    };
    // Warm-up, not measured: every user asks once, the longest questions first, so the model's
    // buffers and the JIT reach their working size before memory and latency are sampled.
    const longest = [...pool].sort((a, b) => b.length - a.length);
    await Promise.all(Array.from({ length: normalUsers }, (_, i) => ask(200_000 + i, longest[i % longest.length] ?? 'trade', false)));
    const warmup = sent;
    const started = Date.now();
    const botCpuAtStart = bot.pid ? await readCpuSeconds(bot.pid) : 0;
    const driverCpuAtStart = process.cpuUsage();
    onProgress(`warm-up done (${warmup} questions); measuring`);

    const normal = async (index: number) => {
      const userId = 200_000 + index;
      for (let q = 0; q < perUser && Date.now() < deadline; q++) await ask(userId, pool[(index * 7919 + q * 104_729) % pool.length] ?? 'trade', true);
    };
    const fast = async (index: number) => {
      const userId = 300_000 + index;
      // Burst halfway through, so bursts meet a busy bot and the first quarter's memory is the
      // steady state the last quarter is compared with.
      while (sent - warmup < (normalUsers * perUser) / 2 && Date.now() < deadline) await sleep(100);
      await sleep(index * 200);
      await Promise.all(
        Array.from({ length: burst }, async (_, q) => {
          await post(userId, pool[q % pool.length] ?? 'trade');
          burstSent++;
        }),
      );
    };
    const progress = setInterval(() => onProgress(`${sent} questions sent, ${latencies.length} answered, ${timedOut} timed out`), 10_000);
    let durationSeconds: number;
    let finishedInTime: boolean;
    let cpuSeconds = { bot: 0, driver: 0 };
    let ended = Date.now();
    try {
      await Promise.all([...Array.from({ length: normalUsers }, (_, i) => normal(i)), ...Array.from({ length: fastUsers }, (_, i) => fast(i))]);
      // Everything sent is either answered or refused by the limiter, as the bot logs it.
      const total = () => [...answered.values(), ...limited.values()].reduce((a, b) => a + b, 0);
      while (total() < sent && Date.now() < deadline) await sleep(100);
      ended = Date.now();
      durationSeconds = (ended - started) / 1000;
      finishedInTime = Date.now() <= deadline;
      const driverCpu = process.cpuUsage(driverCpuAtStart);
      cpuSeconds = { bot: (bot.pid ? await readCpuSeconds(bot.pid) : 0) - botCpuAtStart, driver: (driverCpu.user + driverCpu.system) / 1e6 };
      // Late duplicates would arrive now.
      await sleep(1000);
    } finally {
      clearInterval(progress);
    }

    await stopBot(bot);
    sampling = false;
    await sampler;

    // Match every reply to the question it answers.
    const questionsById = new Map<number, { userId: number }>();
    for (const u of server.storage.userMessages) if ('message' in u) questionsById.set(u.messageId, { userId: Number(u.message.from?.id) });
    const repliesTo = new Map<number, number>();
    let orphans = 0;
    let invalidReplies = 0;
    let slowDownReplies = 0;
    for (const m of server.storage.botMessages) {
      const target = (m.message.reply_parameters as { message_id?: number } | undefined)?.message_id;
      if (target === undefined || !questionsById.has(target)) orphans++;
      else repliesTo.set(target, (repliesTo.get(target) ?? 0) + 1);
      const text = String(m.message.text ?? '');
      if (parseTelegramHtml(text).errors.length > 0) invalidReplies++;
      if (SLOW_DOWN.test(text)) slowDownReplies++;
    }
    let lost = 0;
    let duplicated = 0;
    for (const [id, q] of questionsById) {
      const count = repliesTo.get(id) ?? 0;
      if (count > 1) duplicated++;
      if (count === 0 && q.userId < 300_000) lost++;
    }
    const hash = (id: number) => hashUserId(id, TOKEN);
    const fastUsersLimited = Array.from({ length: fastUsers }, (_, i) => limited.get(hash(300_000 + i)) ?? 0).filter((n) => n > 0).length;
    const normalUsersLimited = Array.from({ length: normalUsers }, (_, i) => limited.get(hash(200_000 + i)) ?? 0).filter((n) => n > 0).length;

    const sorted = [...latencies].sort((a, b) => a - b);
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      users,
      fastUsers,
      rateLimitPerMinute: rateLimit,
      questionsSent: sent,
      warmupQuestions: warmup,
      burstQuestions: burstSent,
      replies: server.storage.botMessages.length,
      lost,
      duplicated,
      orphans,
      invalidReplies,
      loggedAnswered: [...answered.values()].reduce((a, b) => a + b, 0),
      loggedRateLimited: [...limited.values()].reduce((a, b) => a + b, 0),
      fastUsersLimited,
      normalUsersLimited,
      slowDownReplies,
      durationSeconds: round(durationSeconds),
      questionsPerSecond: round((sent - warmup) / durationSeconds),
      latencyMs: { p50: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? 0) },
      rss: rssFigures(rssSamples.filter((s) => s.at >= started && s.at <= ended).map((s) => s.kb)),
      answersOverTimeout: timedOut,
      cpuSeconds: { bot: round(cpuSeconds.bot), driver: round(cpuSeconds.driver) },
      finishedInTime,
    };
  } finally {
    sampling = false;
    await stopBot(bot);
    await sampler;
    server.off('AddedBotMessage', onBotMessage);
    await emulator.stop();
  }
}

/** The memory figures of a run from its RSS samples in KB, in order (see `SoakReport.rss`). */
export function rssFigures(samplesKb: readonly number[]): SoakReport['rss'] {
  const round = (x: number) => Math.round(x * 10) / 10;
  const quarter = Math.max(1, Math.floor(samplesKb.length / 4));
  const meanMb = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length) / 1024;
  const quartersMb = [0, 1, 2, 3].map((q) => meanMb(samplesKb.slice(q * quarter, q === 3 ? undefined : (q + 1) * quarter)));
  const [firstQuarterMb = 0, , , lastQuarterMb = 0] = quartersMb;
  const earlierMb = Math.max(...quartersMb.slice(0, 3));
  return {
    samples: samplesKb.length,
    firstQuarterMb: round(firstQuarterMb),
    lastQuarterMb: round(lastQuarterMb),
    growthPercent: round(firstQuarterMb > 0 ? ((lastQuarterMb - firstQuarterMb) / firstQuarterMb) * 100 : 0),
    lateGrowthPercent: round(earlierMb > 0 ? ((lastQuarterMb - earlierMb) / earlierMb) * 100 : 0),
    stepsPercent: quartersMb.slice(1).map((mb, i) => round(((mb - (quartersMb[i] ?? 0)) / Math.max(1e-9, quartersMb[i] ?? 0)) * 100)),
    peakMb: round(Math.max(0, ...samplesKb) / 1024),
    quartersMb: quartersMb.map(round),
  };
}

/**
 * A leak's signature (see `SoakReport.rss`): the last quarter more than `maxGrowthPercent` over
 * every quarter before it, and every quarter at least a quarter of that limit over the one
 * before it.
 */
export function memoryLeaked(rss: SoakReport['rss'], maxGrowthPercent: number): boolean {
  return rss.lateGrowthPercent > maxGrowthPercent && rss.stepsPercent.every((step) => step >= maxGrowthPercent / 4);
}

/** What is wrong with a soak, in words; empty when it held. */
export function soakProblems(report: SoakReport, options: { minQuestions: number; maxRssGrowthPercent?: number }): string[] {
  const { minQuestions, maxRssGrowthPercent = 10 } = options;
  const problems: string[] = [];
  if (!report.finishedInTime) problems.push('did not finish within the time limit');
  if (report.questionsSent < minQuestions) problems.push(`only ${report.questionsSent} of ${minQuestions} questions sent`);
  if (report.lost > 0) problems.push(`${report.lost} questions got no reply`);
  if (report.duplicated > 0) problems.push(`${report.duplicated} questions got more than one reply`);
  if (report.orphans > 0) problems.push(`${report.orphans} replies answer no question`);
  if (report.invalidReplies > 0) problems.push(`${report.invalidReplies} replies are not valid Telegram HTML`);
  if (report.loggedAnswered + report.loggedRateLimited !== report.questionsSent) {
    problems.push(`the bot accounted for ${report.loggedAnswered + report.loggedRateLimited} of ${report.questionsSent} questions`);
  }
  if (report.fastUsersLimited !== report.fastUsers) problems.push(`only ${report.fastUsersLimited} of ${report.fastUsers} bursting users were rate limited`);
  if (report.normalUsersLimited > 0) problems.push(`${report.normalUsersLimited} users under the limit were rate limited`);
  if (report.fastUsers > 0 && report.slowDownReplies < report.fastUsers) problems.push(`${report.slowDownReplies} slow-down replies for ${report.fastUsers} bursting users`);
  if (report.rss.samples < 8) problems.push(`too few memory samples (${report.rss.samples})`);
  if (memoryLeaked(report.rss, maxRssGrowthPercent)) {
    problems.push(`RSS in the last quarter was ${report.rss.lateGrowthPercent}% above the highest quarter before it (limit ${maxRssGrowthPercent}%), and every quarter rose over the one before (${report.rss.stepsPercent.map((s) => `${s}%`).join(', ')})`);
  }
  return problems;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
