import type { EngineInfo } from '../core/types.js';
import { sendJson, type Route } from './server.js';

export const HEALTH_PATH = '/healthz';

/** What /healthz reports once the index and the model are loaded. */
export interface ReadyBody {
  status: 'ready';
  model: string;
  builtAt: string;
  articles: number;
  chunks: number;
}

export interface Health {
  /**
   * Marks the process ready to answer. Pass a function to report the engine serving now,
   * e.g. after an index reload.
   */
  markReady(info: EngineInfo | (() => EngineInfo)): void;
  /** Marks the process as shutting down: /healthz answers 503 again. */
  markStopping(): void;
  /** The current body of /healthz. */
  readonly body: ReadyBody | { status: 'starting' | 'stopping' };
  /** Serves GET/HEAD /healthz: 200 when ready, 503 otherwise. */
  route: Route;
}

/**
 * Readiness for an orchestrator or Docker's HEALTHCHECK: 503 `{status:"starting"}` until the
 * index and the model are loaded, then 200 with the model id, the index build time and its
 * article and chunk counts; 503 `{status:"stopping"}` during shutdown.
 */
export function createHealth(): Health {
  let state: 'starting' | 'ready' | 'stopping' = 'starting';
  let readInfo: (() => EngineInfo) | undefined;
  const current = (): Health['body'] => {
    if (state !== 'ready' || !readInfo) return { status: state === 'ready' ? 'starting' : state };
    const info = readInfo();
    return { status: 'ready', model: info.modelId, builtAt: info.builtAt, articles: info.articles, chunks: info.chunks };
  };
  return {
    markReady(info) {
      readInfo = typeof info === 'function' ? info : () => info;
      state = 'ready';
    },
    markStopping() {
      state = 'stopping';
    },
    get body() {
      return current();
    },
    route(req, res) {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== HEALTH_PATH) return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return true;
      }
      const body = current();
      sendJson(res, body.status === 'ready' ? 200 : 503, body);
      return true;
    },
  };
}
