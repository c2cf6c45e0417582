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

export type PgServerStart = { server: PgServer } | { unavailable: string };

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
  const first = await new Promise<{ uri?: string; error?: string }>((done) => {
    let stdout = '';
    const timer = setTimeout(() => done({ error: `no answer from pgserver within ${timeoutMs} ms` }), timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      stdout += text;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      try {
        done(JSON.parse(stdout.slice(0, newline)) as { uri?: string; error?: string });
      } catch {
        done({ error: stdout.slice(0, newline) });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ error: `pgserver exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}` });
    });
  });
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
  return { server: { url: first.uri, stop } };
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
