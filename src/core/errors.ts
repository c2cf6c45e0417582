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

/** Configuration is missing or invalid. */
export class ConfigError extends AppError {}

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
