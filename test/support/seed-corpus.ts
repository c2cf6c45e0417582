/**
 * The five articles the project was given, as a fixture: the suites read these, never the live
 * `corpus/`, which is the admin's to grow and edit (the tests and the fitted params expect
 * exactly these five).
 */
export const SEED_CORPUS = 'test/fixtures/corpus';
