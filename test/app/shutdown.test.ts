import { EventEmitter } from 'node:events';
import { Bot } from 'grammy';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { createInFlightTracker, installShutdown } from '../../src/app/shutdown.js';

const silent = createLogger({ level: 'silent' });

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function fakeProcess() {
  const source = new EventEmitter();
  const exits: number[] = [];
  let exited!: (code: number) => void;
  const exitPromise = new Promise<number>((r) => (exited = r));
  return {
    source,
    exits,
    exitPromise,
    exit: (code: number) => {
      exits.push(code);
      exited(code);
    },
  };
}

describe('createInFlightTracker', () => {
  it('counts an update while its handlers run and remembers the highest update id', async () => {
    const tracker = createInFlightTracker();
    const bot = new Bot('123456:fake', { botInfo: { id: 1, is_bot: true, first_name: 'b', username: 'b' } as never });
    const gate = deferred();
    bot.use(tracker.middleware);
    bot.on('message', async () => {
      await gate.promise;
    });
    const handled = bot.handleUpdate({ update_id: 41, message: { message_id: 1, date: 0, chat: { id: 1, type: 'private', first_name: 'a' }, from: { id: 1, is_bot: false, first_name: 'a' }, text: 'hi' } });
    await new Promise((r) => setImmediate(r));
    expect(tracker.count).toBe(1);
    expect(tracker.lastUpdateId).toBe(41);
    gate.resolve();
    await handled;
    expect(tracker.count).toBe(0);
  });

  it('stops counting an update whose handler throws', async () => {
    const tracker = createInFlightTracker();
    await expect(tracker.track(5, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(tracker.count).toBe(0);
  });
});

describe('installShutdown', () => {
  it('on SIGTERM stops intake, lets the answer in flight finish, cleans up and exits 0', async () => {
    const proc = fakeProcess();
    const tracker = createInFlightTracker();
    const steps: string[] = [];
    const answer = deferred();
    const inFlight = tracker.track(1, async () => {
      await answer.promise;
      steps.push('answer sent');
    });
    installShutdown({
      logger: silent,
      stopIntake: () => void steps.push('intake stopped'),
      busy: () => tracker.count,
      cleanup: () => void steps.push('cleaned up'),
      source: proc.source,
      exit: proc.exit,
    });
    vi.useFakeTimers();
    try {
      proc.source.emit('SIGTERM', 'SIGTERM');
      // However long the answer takes (short of the deadline), shutdown waits for it.
      await vi.advanceTimersByTimeAsync(1_000);
      expect(steps).toEqual(['intake stopped']);
      expect(proc.exits).toEqual([]);
      answer.resolve();
      await inFlight;
      await vi.advanceTimersByTimeAsync(100);
      expect(await proc.exitPromise).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    expect(steps).toEqual(['intake stopped', 'answer sent', 'cleaned up']);
  });

  it('exits 1 when answers are still running at the deadline', async () => {
    const proc = fakeProcess();
    installShutdown({ logger: silent, stopIntake: () => {}, busy: () => 1, timeoutMs: 50, source: proc.source, exit: proc.exit });
    proc.source.emit('SIGINT', 'SIGINT');
    expect(await proc.exitPromise).toBe(1);
  });

  it('exits 1 at once on a second signal', async () => {
    const proc = fakeProcess();
    const never = deferred();
    installShutdown({ logger: silent, stopIntake: () => never.promise, busy: () => 0, source: proc.source, exit: proc.exit });
    proc.source.emit('SIGTERM', 'SIGTERM');
    proc.source.emit('SIGINT', 'SIGINT');
    expect(proc.exits).toEqual([1]);
    never.resolve();
  });

  it('exits 1 when a step fails, after still running the others', async () => {
    const proc = fakeProcess();
    const steps: string[] = [];
    installShutdown({
      logger: silent,
      stopIntake: () => Promise.reject(new Error('runner would not stop')),
      busy: () => 0,
      cleanup: () => void steps.push('cleaned up'),
      source: proc.source,
      exit: proc.exit,
    });
    proc.source.emit('SIGTERM', 'SIGTERM');
    expect(await proc.exitPromise).toBe(1);
    expect(steps).toEqual(['cleaned up']);
  });
});
