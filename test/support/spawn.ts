import { spawn } from 'node:child_process';
import { resolve as absolute } from 'node:path';
import { SEED_CORPUS } from './seed-corpus.js';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a project script with tsx, as `npm run` would, and collects its output. */
export function runScript(options: { script: string; args?: string[]; env?: Record<string, string>; input?: string; timeoutMs?: number }): Promise<RunResult> {
  const { script, args = [], env = {}, input, timeoutMs = 60_000 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', CORPUS_DIR: absolute(SEED_CORPUS), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}
