import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FluentBundle, FluentResource } from '@fluent/bundle';

/** Values a message may take: text (already HTML-escaped where the message is HTML) or numbers. */
export type MessageVariables = Record<string, string | number>;

/** The bot's own words in one language: a message by its key, with its variables filled in. */
export type Translate = (key: string, variables?: MessageVariables) => string;

/** The languages the bot speaks; English is the fallback for every other. */
export const LOCALES = ['en', 'ru'] as const;
export const DEFAULT_LOCALE = 'en';

/**
 * The folder of the Fluent files (`locales/<language>.ftl`): found from this module up to the
 * project root, so it is the same from the sources, from dist/, and in the container image.
 */
export function localesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'locales'))) return join(dir, 'locales');
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the locales folder beside package.json');
    dir = parent;
  }
}

/**
 * Fluent bundles of every language, for renderers outside the bot (the terminal) and tests.
 * Placeables are not wrapped in Unicode isolation marks: the messages are HTML or terminal
 * text, where the marks would only be invisible noise.
 */
export function loadBundles(dir = localesDir()): ReadonlyMap<string, FluentBundle> {
  const bundles = new Map<string, FluentBundle>();
  for (const locale of LOCALES) {
    const bundle = new FluentBundle(locale, { useIsolating: false });
    const errors = bundle.addResource(new FluentResource(readFileSync(join(dir, `${locale}.ftl`), 'utf8')));
    if (errors.length > 0) throw new Error(`locales/${locale}.ftl: ${errors.map((e) => e.message).join('; ')}`);
    bundles.set(locale, bundle);
  }
  return bundles;
}

/** A translate function for a language, English for a missing language or message. */
export function translator(bundles: ReadonlyMap<string, FluentBundle>, locale: string = DEFAULT_LOCALE): Translate {
  const chain = [bundles.get(locale), bundles.get(DEFAULT_LOCALE)].filter((b): b is FluentBundle => b !== undefined);
  return (key, variables) => {
    for (const bundle of chain) {
      const message = bundle.getMessage(key);
      if (message?.value) return bundle.formatPattern(message.value, variables);
    }
    return key;
  };
}
