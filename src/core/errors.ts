/**
 * Expected failures, each with one meaning. Front ends print their message as one line and
 * exit non-zero; anything else is a bug and prints a stack.
 */
export class AppError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One misconfigured environment variable and what to do about it. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/**
 * Configuration is missing or invalid. Built from problems, it carries them as data and its
 * message names each one: `invalid configuration: A must …; B must …`.
 */
export class ConfigError extends AppError {
  readonly problems: readonly ConfigProblem[];

  constructor(detail: string | { problems: ConfigProblem[] }, options?: { cause?: unknown }) {
    super(typeof detail === 'string' ? detail : `invalid configuration: ${detail.problems.map((p) => p.message).join('; ')}`, options);
    this.problems = typeof detail === 'string' ? [] : Object.freeze([...detail.problems]);
  }
}

/** A corpus file cannot be read or parsed. */
export class CorpusError extends AppError {}

/** The index is missing, damaged, or was built with another model. */
export class IndexError extends AppError {}

/** The embedding model cannot be loaded. */
export class ModelError extends AppError {}

/** The user's input cannot be used (empty question, unreadable file). */
export class InputError extends AppError {}

/** True for failures a user can fix from the message alone. */
export function isExpectedError(error: unknown): error is AppError {
  return error instanceof AppError;
}
