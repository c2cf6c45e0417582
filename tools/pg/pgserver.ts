/**
 * A private PostgreSQL 16 server with pgvector for tests and benchmarks, from the PyPI package
 * `pgserver` (PostgreSQL and pgvector in one wheel; Debian's PostgreSQL has no pgvector). The
 * server runs in a temporary folder on a Unix socket, and is stopped and deleted by `stop()`,
 * or by its helper process when this process ends in any way (the helper watches its stdin).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export interface PgServer {
  /** Connection URL of the server's `postgres` database, as superuser. */
  url: string;
  stop(): Promise<void>;
}

/** A server of this process's own, which a test may also take down and bring back. */
export interface PrivatePgServer extends PgServer {
  /** Stops the server and keeps its data, as an outage would. */
  pause(): Promise<void>;
  /** Starts a paused server again, on the same socket with the same data. */
  resume(): Promise<void>;
}

export type PgServerStart = { server: PrivatePgServer } | { unavailable: string };

const HELPER = fileURLToPath(new URL('./pgserver_run.py', import.meta.url));
/** Where `npm test` installs pgserver when no Python on the machine has it. */
export const PGSERVER_VENV = resolve('.cache/pgserver-venv');

/** The first Python that can import pgserver. */
function findPython(): string | undefined {
  const candidates = [process.env.PGSERVER_PYTHON, join(PGSERVER_VENV, 'bin', 'python'), 'python3', 'python'].filter((c): c is string => Boolean(c));
  return candidates.find((python) => spawnSync(python, ['-c', 'import pgserver'], { stdio: 'ignore', timeout: 30_000 }).status === 0);
}

/**
 * Installs pgserver from PyPI into a virtual environment of the project's own (nothing is
 * installed for the machine). Returns why not when it cannot.
 */
function installPgserver(log: (line: string) => void): string | undefined {
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0);
  if (!python) return 'no Python 3 on this machine';
  log(`installing pgserver (PostgreSQL with pgvector, from PyPI) into ${PGSERVER_VENV} for the PostgreSQL tests…`);
  if (!existsSync(join(PGSERVER_VENV, 'bin', 'python'))) {
    const venv = spawnSync(python, ['-m', 'venv', PGSERVER_VENV], { encoding: 'utf8', timeout: 120_000 });
    if (venv.status !== 0) return `python -m venv failed: ${(venv.stderr || venv.stdout || '').trim().split('\n').at(-1) ?? ''}`;
  }
  const pip = spawnSync(join(PGSERVER_VENV, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', 'pgserver'], { encoding: 'utf8', timeout: 600_000 });
  if (pip.status !== 0) return `pip install pgserver failed: ${(pip.stderr || pip.stdout || '').trim().split('\n').at(-1) ?? ''}`;
  return undefined;
}

/**
 * Starts a private server, installing pgserver first when `install` allows and no Python has
 * it. Resolves with the reason instead when that cannot be done (no Python, no pip, offline).
 * @default options.install true
 */
export async function startPgServer(options: { install?: boolean; log?: (line: string) => void; timeoutMs?: number } = {}): Promise<PgServerStart> {
  const { install = true, log = () => undefined, timeoutMs = 120_000 } = options;
  let python = findPython();
  if (!python && install) {
    const failed = installPgserver(log);
    if (failed) return { unavailable: failed };
    python = findPython();
  }
  if (!python) return { unavailable: 'no Python with pgserver (pip install pgserver)' };
  const root = await mkdtemp(join(tmpdir(), 'pgserver-'));
  const child = spawn(python, [HELPER, join(root, 'data')], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
  // The helper answers each request with one line, in order.
  const waiting: Array<(line: string) => void> = [];
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    stdout += text;
    for (let newline = stdout.indexOf('\n'); newline >= 0; newline = stdout.indexOf('\n')) {
      const line = stdout.slice(0, newline);
      stdout = stdout.slice(newline + 1);
      waiting.shift()?.(line);
    }
  });
  const nextLine = (what: string): Promise<string> =>
    new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no answer from pgserver to ${what} within ${timeoutMs} ms`)), timeoutMs);
      const onExit = (code: number | null): void => fail(new Error(`pgserver exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      child.once('exit', onExit);
      waiting.push((line) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        done(line);
      });
    });
  const first = await nextLine('start')
    .then((line) => {
      try {
        return JSON.parse(line) as { uri?: string; error?: string };
      } catch {
        return { error: line };
      }
    })
    .catch((error: unknown): { uri?: string; error?: string } => ({ error: error instanceof Error ? error.message : String(error) }));
  const request = async (command: 'stop' | 'start'): Promise<void> => {
    const answer = nextLine(command);
    child.stdin.write(`${command}\n`);
    await answer;
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      // Closing stdin is the helper's signal to stop the server and delete its folder.
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGTERM'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(root, { recursive: true, force: true });
  };
  if (!first.uri) {
    await stop();
    return { unavailable: first.error ?? 'pgserver did not start' };
  }
  return { server: { url: first.uri, stop, pause: () => request('stop'), resume: () => request('start') } };
}

/** The same server's URL for another database (`new URL` refuses pgserver's socket form). */
export function databaseUrl(url: string, database: string): string {
  const match = /^(postgres(?:ql)?:\/\/[^/?]*)(?:\/[^?]*)?(\?.*)?$/.exec(url);
  if (!match) throw new Error('not a PostgreSQL URL');
  return `${match[1]}/${encodeURIComponent(database)}${match[2] ?? ''}`;
}

/**
 * A new, empty database on the server of `adminUrl` (a user who may create databases), and
 * how to drop it (connections still open are ended).
 */
export async function createDatabase(options: { adminUrl: string; name: string }): Promise<{ url: string; drop: () => Promise<void> }> {
  const { adminUrl, name } = options;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const run = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  return { url: databaseUrl(adminUrl, name), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
