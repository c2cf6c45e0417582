/**
 * A linear model over named columns: `bias + Σ weight·(value − mean)/scale`. The ranker and the
 * answer decision are both this, fitted by `npm run eval -- --fit` and stored as data.
 */
export interface LinearModel {
  /** Column names, in the order of the other arrays. */
  columns: string[];
  /** Standardisation fitted with the weights: value → (value − mean) / scale. */
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

/** A model bound to the column layout of one feature matrix: evaluates a row in one pass. */
export interface BoundModel {
  score(row: ArrayLike<number>): number;
}

/**
 * Binds a model to the columns a feature matrix has. A column the model needs and the matrix
 * lacks is an error: params fitted for another feature set must be refitted, not guessed.
 */
export function bindModel(model: LinearModel, available: readonly string[]): BoundModel {
  const cached = bound.get(model);
  if (cached?.available === available) return cached.model;
  const fresh = bindAnew(model, available);
  bound.set(model, { available, model: fresh });
  return fresh;
}

/**
 * The last binding of each model, so a question does not bind the same params again. Models
 * are data, never changed once made; the column list is the same array for every question.
 */
const bound = new WeakMap<LinearModel, { available: readonly string[]; model: BoundModel }>();

function bindAnew(model: LinearModel, available: readonly string[]): BoundModel {
  const at = new Map(available.map((name, i) => [name, i]));
  const index = model.columns.map((name) => {
    const i = at.get(name);
    if (i === undefined) throw new Error(`ranking params use the unknown column "${name}"; refit them with npm run eval -- --fit`);
    return i;
  });
  const factor = model.weights.map((w, k) => w / (model.scale[k] || 1));
  const offset = model.bias - model.weights.reduce((sum, w, k) => sum + (w * (model.mean[k] ?? 0)) / (model.scale[k] || 1), 0);
  return {
    score(row) {
      let sum = offset;
      for (let k = 0; k < index.length; k++) sum += (factor[k] ?? 0) * (row[index[k] ?? 0] ?? 0);
      return sum;
    },
  };
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
