import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { run } from '@grammyjs/runner';
import pino from 'pino';
import { createBot, registerCommands } from '../src/bot/create-bot.js';
import type { AnswerEngine } from '../src/core/types.js';
import type { Embedder } from '../src/embedding/embedder.js';
import { createEngineHolder } from '../src/app/serving/engine-holder.js';
import { loadEngine } from '../src/app/serving/load-engine.js';
import { latencySummary, median, ratio, type LatencySummary } from './stats.js';

const childEntry = fileURLToPath(new URL('./telegram-users-child.ts', import.meta.url));
/** A token of the right shape for the emulator; it never reaches Telegram. */
const BENCH_TOKEN = '100000001:benchmark-token-not-a-secret-000000';

export interface BotLayerOptions {
  indexDir: string;
  embedder: Embedder;
  questions: string[];
  repeats: number;
  log: (line: string) => void;
  /** Simulated users asking at the same time. @default 50 */
  users?: number;
  /** Questions each user asks per round, one after another. @default 4 */
  perUser?: number;
}

export interface BotFigures {
  users: number;
  answers: number;
  /** Through the bot and the emulator; cpuCores is what this process kept busy. */
  bot: { perSecond: number; p50: number; p95: number; cpuCores: number };
  /** The engine alone on the same questions with the same concurrency (the anchor). */
  engine: { perSecond: number; p50: number; p95: number; cpuCores: number };
  /** bot / engine answers per second; target >= 0.9. */
  ratio: number;
  /** Cores the emulator and simulated users (another process) kept busy meanwhile. */
  emulatorCpuCores: number;
}

/**
 * Answers per second and latency through the real bot (createBot + the runner, as `npm start`
 * runs it) talking to telegram-test-api on 127.0.0.1, with `users` users each asking
 * `perUser` questions in a row per round; versus the engine alone answering the same questions
 * with the same concurrency in this process. The emulator and the users live in a child
 * process, so only the bot's own work shares the engine's event loop.
 */
export async function measureBotLayer(options: BotLayerOptions): Promise<BotFigures> {
  const { indexDir, embedder, questions, repeats, log, users = 50, perUser = 4 } = options;
  const { engine, build } = await loadEngine({ indexDir, embedder });
  const asked = questions.slice(0, perUser);
  const engineRounds = await engineAlone({ engine, questions: asked, users, rounds: repeats });
  log(`  engine alone: ${median(engineRounds.map((r) => r.perSecond)).toFixed(1)} answers/s`);
  const botRounds = await throughBot({ indexDir, embedder, engine, build, questions: asked, users, rounds: repeats });
  const summarise = (rounds: RoundFigures[]) => ({
    perSecond: median(rounds.map((r) => r.perSecond)),
    p50: median(rounds.map((r) => r.latency.p50)),
    p95: median(rounds.map((r) => r.latency.p95)),
    cpuCores: median(rounds.map((r) => r.botCpuShare)),
  });
  const bot = summarise(botRounds);
  const alone = summarise(engineRounds);
  return {
    users,
    answers: users * asked.length,
    bot,
    engine: alone,
    ratio: ratio(bot.perSecond, alone.perSecond),
    emulatorCpuCores: median(botRounds.map((r) => r.otherCpuShare)),
  };
}

interface RoundFigures {
  perSecond: number;
  latency: LatencySummary;
  /** CPU the emulator and the simulated users used, in cores (cpu time / wall time). */
  otherCpuShare: number;
  /** CPU this process (bot and engine) used, in cores. */
  botCpuShare: number;
}

async function engineAlone(options: { engine: AnswerEngine; questions: string[]; users: number; rounds: number }): Promise<RoundFigures[]> {
  const { engine, questions, users, rounds } = options;
  const results: RoundFigures[] = [];
  for (let round = 0; round < rounds; round++) {
    const latencies: number[] = [];
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: users }, async (_, u) => {
        for (let q = 0; q < questions.length; q++) {
          const at = performance.now();
          await engine.answer(questions[(u + q) % questions.length] ?? '', { limit: 9 });
          latencies.push(performance.now() - at);
        }
      }),
    );
    const wallMs = performance.now() - started;
    results.push({ perSecond: (latencies.length / wallMs) * 1000, latency: latencySummary(latencies), otherCpuShare: 0, botCpuShare: cpuShare(cpuBefore, wallMs) });
  }
  return results;
}

async function throughBot(options: {
  indexDir: string;
  embedder: Embedder;
  engine: AnswerEngine;
  build: string;
  questions: string[];
  users: number;
  rounds: number;
}): Promise<RoundFigures[]> {
  const { indexDir, embedder, engine, build, questions, users, rounds } = options;
  const child = spawn(process.execPath, ['--import', 'tsx', childEntry, JSON.stringify({ token: BENCH_TOKEN, users, questions, rounds })], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const lines = createInterface({ input: child.stdout });
  const results: RoundFigures[] = [];
  let readyResolve: (port: number) => void = () => undefined;
  let doneResolve: () => void = () => undefined;
  const ready = new Promise<number>((resolve) => (readyResolve = resolve));
  const done = new Promise<void>((resolve) => (doneResolve = resolve));
  lines.on('line', (line) => {
    if (line.startsWith('READY ')) readyResolve(Number(line.slice('READY '.length)));
    else if (line === 'ROUNDS-DONE') doneResolve();
    else if (line.startsWith('ROUND ')) {
      const round = JSON.parse(line.slice('ROUND '.length)) as { answers: number; wallMs: number; cpuMs: number; latency: LatencySummary };
      results.push({ perSecond: (round.answers / round.wallMs) * 1000, latency: round.latency, otherCpuShare: round.cpuMs / round.wallMs, botCpuShare: 0 });
    }
  });
  const failed = exited.then((code) => {
    throw new Error(`the Telegram emulator process exited early (${code})${stderr ? `: ${stderr.trim()}` : ''}`);
  });
  // Only a race reads this; once the rounds are done the child's normal exit must not surface.
  failed.catch(() => undefined);
  const port = await Promise.race([ready, failed]);

  // Exactly as main.ts wires it, with a silent logger and a rate limit no simulated user reaches.
  const logger = pino({ level: 'silent' });
  const engines = createEngineHolder({ initial: { engine, build }, indexDir, embedder });
  const bot = createBot({
    token: BENCH_TOKEN,
    apiRoot: `http://127.0.0.1:${port}`,
    engines,
    adminIds: [],
    logger,
    questionsPerMinute: 1000,
    maxQuestionChars: 1000,
  });
  await bot.init();
  await registerCommands({ api: bot.api, logger });
  const runner = run(bot);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    child.stdin.write('GO\n');
    await Promise.race([done, failed]);
    const share = cpuShare(cpuBefore, performance.now() - started);
    for (const round of results) round.botCpuShare = share;
  } finally {
    if (runner.isRunning()) await runner.stop();
    child.stdin.end('STOP\n');
    await exited;
  }
  return results;
}

/** Cores this process kept busy since `before` (both onnxruntime threads count). */
function cpuShare(before: NodeJS.CpuUsage, wallMs: number): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / wallMs;
}
