import { runLoadProbe, type LoadProbeResult } from './load-probe.js';
import { median } from './stats.js';

export interface ColdStartFigures {
  /** Spawn to engine ready (model and index loaded), in ms. */
  startToReadyMs: number;
  modelMs: number;
  indexLoadMs: number;
  /** Everything before the model starts loading: Node, the TypeScript loader, imports. */
  processMs: number;
  rssMb: number;
  rssAfterGcMb: number;
}

/** Starts `repeats` fresh processes on the same index; each figure is the median. */
export async function measureColdStart(options: { indexDir: string; model: string; modelsDir: string | undefined; repeats: number }): Promise<ColdStartFigures> {
  const { indexDir, model, modelsDir, repeats } = options;
  const runs: LoadProbeResult[] = [];
  for (let i = 0; i < repeats; i++) runs.push(await runLoadProbe({ indexDir, model, ...(modelsDir ? { modelsDir } : {}) }));
  const m = (pick: (r: LoadProbeResult) => number): number => median(runs.map(pick));
  return {
    startToReadyMs: m((r) => r.startToReadyMs),
    modelMs: m((r) => r.modelMs),
    indexLoadMs: m((r) => r.indexLoadMs),
    processMs: m((r) => r.startToReadyMs - r.modelMs - r.indexLoadMs),
    rssMb: m((r) => r.rssMb),
    rssAfterGcMb: m((r) => r.rssAfterGcMb),
  };
}
