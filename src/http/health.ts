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

/** What /healthz reports while the process runs but cannot answer. */
export interface UnavailableBody {
  status: 'unavailable';
  reason: string;
}

export interface Health {
  /**
   * Marks the process ready to answer. Pass a function to report the engine serving now,
   * e.g. after an index reload.
   */
  markReady(info: EngineInfo | (() => EngineInfo)): void;
  /** Marks the process as shutting down: /healthz answers 503 again. */
  markStopping(): void;
  /**
   * Marks what the answers depend on as out of reach (e.g. "database unreachable"): /healthz
   * answers 503 with the reason until `markAvailable`, so a load balancer sends users elsewhere.
   */
  markUnavailable(reason: string): void;
  markAvailable(): void;
  /** The current body of /healthz. */
  readonly body: ReadyBody | { status: 'starting' | 'stopping' } | UnavailableBody;
  /** Serves GET/HEAD /healthz: 200 when ready, 503 otherwise. */
  route: Route;
}

/**
 * Readiness for an orchestrator or Docker's HEALTHCHECK: 503 `{status:"starting"}` until the
 * index and the model are loaded, then 200 with the model id, the index build time and its
 * article and chunk counts; 503 `{status:"unavailable", reason}` while what it answers from is
 * out of reach; 503 `{status:"stopping"}` during shutdown.
 */
export function createHealth(): Health {
  let state: 'starting' | 'ready' | 'stopping' = 'starting';
  let readInfo: (() => EngineInfo) | undefined;
  let unavailable: string | undefined;
  const current = (): Health['body'] => {
    if (state !== 'ready' || !readInfo) return { status: state === 'ready' ? 'starting' : state };
    if (unavailable !== undefined) return { status: 'unavailable', reason: unavailable };
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
    markUnavailable(reason) {
      unavailable = reason;
    },
    markAvailable() {
      unavailable = undefined;
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
