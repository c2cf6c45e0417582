/**
 * Fitted ranking params per model profile, written by `npm run eval -- --fit --profile NAME`.
 * JSON is data: the fit command rewrites it; nobody edits it by hand.
 */
export const FITTED: Readonly<Record<string, unknown>> = Object.freeze({});
