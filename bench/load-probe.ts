import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { QueryPathFigures } from './query-path.js';

/** What a fresh process reports after loading the model and the index (and optionally querying). */
export interface LoadProbeResult {
  /** From spawning the process to the engine being ready, in ms (measured by the parent). */
  startToReadyMs: number;
  /** Inside the child: loading the embedding model. */
  modelMs: number;
  /** Inside the child: reading and checking the build (index.json and manifest), or opening the database's live generation. */
  readMs: number;
  /** Inside the child: building the query structures (unit vectors, BM25, vocabulary); 0 for PostgreSQL. */
  searchIndexMs: number;
  /** readMs + searchIndexMs: what "index load" costs. */
  indexLoadMs: number;
  /** Resident set size once ready, in MB. */
  rssMb: number;
  /** Resident set size after a full garbage collection, in MB. */
  rssAfterGcMb: number;
  /** Heap used once ready (after that collection), in MB. */
  heapMb: number;
  items: number;
  query?: QueryPathFigures;
}

export interface LoadProbeRequest {
  indexDir: string;
  /** Open the live generation of this PostgreSQL database instead of INDEX_DIR's files. */
  databaseUrl?: string;
  /**
   * Time answers without the query embedding: each question's vector is computed once during
   * the warm-up and reused, so the figure is the store and the engine alone.
   */
  excludeEmbedding?: boolean;
  model: string;
  modelsDir?: string;
  /** When given, the child also measures the query path on these after loading. */
  questions?: string[];
  repeats?: number;
}

const READY = 'BENCH-READY ';
const DONE = 'BENCH-DONE ';
const childEntry = fileURLToPath(new URL('./load-probe-child.ts', import.meta.url));

/**
 * Starts a fresh Node process that loads the model and the index the way a front end does,
 * and reports timings and memory. Start-to-ready is measured here, from spawn to the child's
 * ready line, so it includes Node and TypeScript loader start-up.
 */
export function runLoadProbe(request: LoadProbeRequest, options: { timeoutMs?: number } = {}): Promise<LoadProbeResult> {
  const { timeoutMs = 300_000 } = options;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', childEntry, JSON.stringify(request)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    let readyMs: number | undefined;
    let ready: Omit<LoadProbeResult, 'startToReadyMs'> | undefined;
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
    child.stdout.on('data', (text: string) => {
      stdout += text;
      let newline = stdout.indexOf('\n');
      while (newline >= 0) {
        const line = stdout.slice(0, newline);
        stdout = stdout.slice(newline + 1);
        if (line.startsWith(READY)) {
          readyMs = performance.now() - started;
          ready = JSON.parse(line.slice(READY.length)) as typeof ready;
        } else if (line.startsWith(DONE) && ready) {
          ready = { ...ready, query: JSON.parse(line.slice(DONE.length)) as QueryPathFigures };
        }
        newline = stdout.indexOf('\n');
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && ready && readyMs !== undefined) resolve({ startToReadyMs: readyMs, ...ready });
      else reject(new Error(`load probe exited with ${signal ?? code}${stderr ? `: ${stderr.trim()}` : ''}`));
    });
  });
}

export const PROBE_MARKERS = { READY, DONE } as const;
