/** A smooth objective: its value and gradient at a point. */
export type Objective = (x: Float64Array) => { value: number; gradient: Float64Array };

/**
 * Minimises a smooth convex objective with L-BFGS (limited-memory BFGS: the last `memory`
 * steps approximate the curvature) and a backtracking line search. Deterministic: the same
 * objective and start give the same answer on any machine.
 * @default memory 10, maxIterations 500, tolerance 1e-7
 */
export function minimize(options: { objective: Objective; start: Float64Array; memory?: number; maxIterations?: number; tolerance?: number }): Float64Array {
  const { objective, memory = 10, maxIterations = 500, tolerance = 1e-7 } = options;
  const n = options.start.length;
  let x = Float64Array.from(options.start);
  let { value, gradient } = objective(x);
  const steps: Array<{ s: Float64Array; y: Float64Array; rho: number }> = [];
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (norm(gradient) <= tolerance * Math.max(1, norm(x))) break;
    // Two-loop recursion: direction = −H·g.
    const q = Float64Array.from(gradient);
    const alphas: number[] = [];
    for (let k = steps.length - 1; k >= 0; k--) {
      const step = steps[k];
      if (!step) continue;
      const alpha = step.rho * dotProduct(step.s, q);
      alphas[k] = alpha;
      for (let i = 0; i < n; i++) q[i] = (q[i] ?? 0) - alpha * (step.y[i] ?? 0);
    }
    const last = steps[steps.length - 1];
    const gamma = last ? dotProduct(last.s, last.y) / dotProduct(last.y, last.y) : 1 / Math.max(1, norm(gradient));
    for (let i = 0; i < n; i++) q[i] = (q[i] ?? 0) * gamma;
    for (let k = 0; k < steps.length; k++) {
      const step = steps[k];
      if (!step) continue;
      const beta = step.rho * dotProduct(step.y, q);
      for (let i = 0; i < n; i++) q[i] = (q[i] ?? 0) + (step.s[i] ?? 0) * ((alphas[k] ?? 0) - beta);
    }
    let direction = q.map((v) => -v);
    let slope = dotProduct(gradient, direction);
    if (!(slope < 0)) {
      // Not a descent direction (curvature estimate went bad): restart from steepest descent.
      steps.length = 0;
      direction = gradient.map((v) => -v);
      slope = dotProduct(gradient, direction);
    }
    let t = 1;
    let next = x;
    let result = { value, gradient };
    for (let tries = 0; tries < 40; tries++) {
      next = x.map((v, i) => v + t * (direction[i] ?? 0));
      result = objective(next);
      if (result.value <= value + 1e-4 * t * slope) break;
      t /= 2;
    }
    const s = next.map((v, i) => v - (x[i] ?? 0));
    const y = result.gradient.map((v, i) => v - (gradient[i] ?? 0));
    const sy = dotProduct(s, y);
    const improvement = value - result.value;
    x = next;
    value = result.value;
    gradient = result.gradient;
    if (sy > 1e-12) {
      steps.push({ s, y, rho: 1 / sy });
      if (steps.length > memory) steps.shift();
    }
    if (Math.abs(improvement) <= tolerance * Math.max(1, Math.abs(value))) break;
  }
  return x;
}

function dotProduct(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dotProduct(a, a));
}
