import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { SEED_CORPUS } from './seed-corpus.js';

/** `src/app/main.ts` running in a child process, with what it has printed. */
export interface StartedMain {
  child: ChildProcessWithoutNullStreams;
  /** Everything written so far. */
  output: () => string;
  /** JSON log lines so far. */
  logs: () => Array<Record<string, unknown>>;
  /** The first log line with this message (and these fields), once it is printed. */
  waitForLog: (msg: string, timeoutMs?: number, match?: (line: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** Starts `src/app/main.ts` as `npm start` would run it, with production (JSON) logs. */
export function startMain(env: Record<string, string>): StartedMain {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'info', HTTP_HOST: '127.0.0.1', CORPUS_DIR: resolve(SEED_CORPUS), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const logs = () =>
    text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const waitForLog = (msg: string, timeoutMs = 20_000, match: (line: Record<string, unknown>) => boolean = () => true) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const find = () => logs().find((l) => l.msg === msg && match(l));
      const check = () => {
        const found = find();
        if (!found) return;
        done();
        resolve(found);
      };
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no "${msg}" log line; output:\n${text}`));
      }, timeoutMs);
      void exited.then(() => {
        if (!find()) {
          done();
          reject(new Error(`exited before "${msg}"; output:\n${text}`));
        }
      });
      listeners.add(check);
      check();
    });
  return { child, output: () => text, logs, waitForLog, exited };
}

/** Stops a child that a failed test left running. */
export async function ensureStopped(started: StartedMain | undefined): Promise<void> {
  if (started && started.child.exitCode === null && started.child.signalCode === null) {
    started.child.kill('SIGKILL');
    await started.exited;
  }
}
