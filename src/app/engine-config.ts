import { ConfigError } from '../core/errors.js';
import { DEFAULT_PROFILE } from '../embedding/profiles.js';

/** Environment as given (process.env or a test's object). */
export type Env = Readonly<Record<string, string | undefined>>;

/** What the engine, the index build and the CLI need. */
export interface EngineConfig {
  embeddingModel: string;
  /** When set, models load only from here; the network is never used. */
  modelsDir: string | undefined;
  /** Cache for models downloaded on a connected machine. */
  modelCacheDir: string;
  indexDir: string;
  corpusDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads the engine settings once. Every problem is collected and reported together, each
 * naming its variable and how to fix it.
 */
export function parseEngineConfig(env: Env): Readonly<EngineConfig> {
  const problems: string[] = [];
  const logLevel = (env.LOG_LEVEL?.trim() || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  }
  const embeddingModel = env.EMBEDDING_MODEL?.trim() || DEFAULT_PROFILE;
  if (!/^[\w.\-/]+$/.test(embeddingModel)) {
    problems.push(`EMBEDDING_MODEL must be a profile name or a model id such as Xenova/all-MiniLM-L6-v2 (got "${env.EMBEDDING_MODEL}")`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return Object.freeze({
    embeddingModel,
    modelsDir: env.MODELS_DIR?.trim() || undefined,
    modelCacheDir: env.MODEL_CACHE_DIR?.trim() || '.models/cache',
    indexDir: env.INDEX_DIR?.trim() || 'index',
    corpusDir: env.CORPUS_DIR?.trim() || 'corpus',
    logLevel: logLevel as EngineConfig['logLevel'],
  });
}
