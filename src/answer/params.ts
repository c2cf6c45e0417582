import { resolveProfile } from '../embedding/profiles.js';
import { parseRankingParams, unfittedParams, type RankingParams } from './ranking-params.js';
import { FITTED } from './params/index.js';

/**
 * The fitted params of a model (by profile name or model id), or safe unfitted ones with
 * `fit: null` for a model nobody has fitted yet.
 */
export function paramsForModel(nameOrId: string): RankingParams {
  const profile = resolveProfile(nameOrId);
  const fitted = FITTED[profile.name];
  if (fitted) return parseRankingParams(fitted, `src/answer/params/${profile.name}.json`);
  return unfittedParams({ profile: profile.name, modelId: profile.modelId });
}
